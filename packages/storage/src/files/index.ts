/**
 * `@whatnext/storage/files`: the desktop's storage (Node only). {@link PlaintextLibrary}
 * keeps the library in a folder the user chooses — one Markdown file per playlist, the
 * CRDT update logs in its hidden `.whatnext/` folder ({@link FsDocumentStore}) — and
 * merges edits made to the Markdown outside the app.
 *
 * @example
 * ```ts
 * import { PlaintextLibrary } from '@whatnext/storage/files'
 *
 * const library = await PlaintextLibrary.open({ dir: '/home/me/Music/WhatNext', logger })
 * library.onIssue((issue) => logger.warn(issue.message, { file: issue.file }))
 * const engine = await createEngine({ documents: library.documents, broadcast: library.broadcast, clock })
 * ```
 *
 * @packageDocumentation
 */
export * from './durable.ts'
export * from './fs-document-store.ts'
export * from './markdown-merge.ts'
export * from './plaintext-library.ts'
export { acquireProcessLock } from './process-lock.ts'
