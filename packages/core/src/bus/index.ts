/**
 * The typed message bus: contracts, endpoints, transports, and what keeps them healthy
 * and observable — registry, batching, rate limits, streams, the worker pool, metrics,
 * the performance monitor, disposables, the log ring and the diagnostics bundle.
 */
export * from './contract.ts'
export * from './endpoint.ts'
export * from './transport.ts'
export * from './registry.ts'
export * from './metrics.ts'
export * from './rate-limit.ts'
export * from './retry.ts'
export * from './pool.ts'
export * from './monitor.ts'
export * from './disposables.ts'
export * from './log-ring.ts'
export * from './diagnostics.ts'
export * from './diagnostics-bundle.ts'
export { measure, parseEnvelope, type Envelope, type EnvelopeKind } from './wire.ts'
