/** The typed message bus: contracts, endpoints, transports. */
export * from './contract.ts'
export * from './endpoint.ts'
export * from './transport.ts'
