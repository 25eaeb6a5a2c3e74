/** Share links: the versioned token that carries a playlist capability to a joiner. */
export * from './share-link.ts'
