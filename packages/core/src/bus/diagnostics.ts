/**
 * The data side of the diagnostics view: channels that carry the worker's logs and
 * figures to the UI. The "export diagnostics" bundle is in `diagnostics-bundle.ts` (the
 * view loads it when it opens; the channels are needed from the start).
 *
 * @example
 * ```ts
 * // worker (composition root)
 * serveDiagnostics(endpoint, { ring, monitor })
 * // UI
 * receiveLogs(client, ring)
 * const remote = await client.request('diagnostics/snapshot', {})
 * const bundle = buildDiagnosticsBundle({ app, metrics: [client.metrics(), remote.metrics], monitor, logs: ring.entries(), at: Date.now() })
 * ```
 */
import * as z from 'zod/mini'
import { event, request } from './contract.ts'
import { LogEntrySchema, type LogEntry, type LogRing } from './log-ring.ts'
import type { MetricsSnapshot } from './metrics.ts'
import type { MonitorSnapshot, PerformanceMonitor } from './monitor.ts'

const latency = z.nullable(
  z.object({
    samples: z.number(),
    p50: z.number(),
    p95: z.number(),
    p99: z.number(),
    max: z.number(),
  }),
)

/** Schema of a {@link MetricsSnapshot} crossing a boundary. */
export const MetricsSnapshotSchema = z.object({
  endpoint: z.string().check(z.maxLength(200)),
  at: z.number(),
  pendingRequests: z.number(),
  queuedRequests: z.number(),
  activeHandlers: z.number(),
  eventListeners: z.number(),
  openStreams: z.number(),
  received: z.number(),
  rejected: z.number(),
  channels: z
    .array(
      z.object({
        channel: z.string().check(z.maxLength(200)),
        kind: z.enum(['request', 'event', 'stream']),
        sent: z.number(),
        received: z.number(),
        errors: z.number(),
        rejected: z.number(),
        retries: z.number(),
        latency,
        handlerLatency: latency,
        bytesIn: z.number(),
        bytesOut: z.number(),
        events: z.number(),
        eventMessages: z.number(),
        batchRatio: z.number(),
      }),
    )
    .check(z.maxLength(1000)),
})

const point = z.object({ at: z.number(), ms: z.number() })

/** Schema of a {@link MonitorSnapshot} crossing a boundary. */
export const MonitorSnapshotSchema = z.object({
  at: z.number(),
  heap: z.object({
    usedBytes: z.nullable(z.number()),
    limitBytes: z.nullable(z.number()),
    trend: z.enum(['unknown', 'stable', 'growing', 'shrinking']),
    slopeBytesPerMin: z.number(),
    history: z
      .array(z.object({ at: z.number(), usedBytes: z.number() }))
      .check(z.maxLength(10_000)),
  }),
  lag: z.object({
    lastMs: z.number(),
    maxMs: z.number(),
    p95Ms: z.number(),
    history: z.array(point).check(z.maxLength(10_000)),
  }),
  longTasks: z.object({
    count: z.number(),
    totalMs: z.number(),
    longestMs: z.number(),
    recent: z.array(point).check(z.maxLength(10_000)),
  }),
  warnings: z
    .array(
      z.object({
        at: z.number(),
        kind: z.enum(['heap-high', 'heap-growing', 'event-loop-lag', 'long-task', 'channel-slow']),
        message: z.string(),
      }),
    )
    .check(z.maxLength(1000)),
})

/**
 * Channels to spread into a contract whose serving side should report to the
 * diagnostics view (the engine contract does).
 */
export const diagnosticsChannels = {
  /** Log entries of the serving side, batched (a burst of logs is a few messages). */
  'diagnostics/logged': event(LogEntrySchema, {
    batch: { maxSize: 100, maxWaitMs: 250, idleMs: 50 },
  }),
  /** The serving side's bus metrics and monitor figures. */
  'diagnostics/snapshot': request(
    () => z.object({}),
    () => z.object({ metrics: MetricsSnapshotSchema, monitor: z.nullable(MonitorSnapshotSchema) }),
    { idempotent: true, timeoutMs: 5000 },
  ),
} as const

/** What `forwardLogs` needs of an endpoint (any endpoint whose contract has the channel). */
export interface LogEmitter {
  emit(channel: 'diagnostics/logged', entry: LogEntry): void
}

/** What `receiveLogs` needs of an endpoint. */
export interface LogReceiver {
  on(channel: 'diagnostics/logged', listener: (entry: LogEntry) => void): () => void
}

/**
 * Sends every entry this side logs (contexts in `contexts`, default all) to the other
 * side. Returns the function that stops it.
 */
export function forwardLogs(
  ring: LogRing,
  endpoint: LogEmitter,
  contexts?: readonly string[],
): () => void {
  let forwarding = false
  return ring.subscribe((entry) => {
    // What the bus logs while forwarding (e.g. "event dropped") is not forwarded again:
    // that would loop.
    if (forwarding || (contexts && !contexts.includes(entry.context))) return
    forwarding = true
    try {
      endpoint.emit('diagnostics/logged', entry)
    } catch {
      // The bus logs its own failures; a log line must never throw into its caller.
    } finally {
      forwarding = false
    }
  })
}

/** Appends the other side's log entries to `ring`. Returns the unsubscribe function. */
export function receiveLogs(endpoint: LogReceiver, ring: LogRing): () => void {
  return endpoint.on('diagnostics/logged', (entry) => ring.append(entry))
}

/** What `serveDiagnostics` needs of an endpoint. */
export interface DiagnosticsServer extends LogEmitter {
  handle(
    channel: 'diagnostics/snapshot',
    handler: () => { metrics: MetricsSnapshot; monitor: MonitorSnapshot | null },
  ): void
  metrics(): MetricsSnapshot
}

/**
 * Serves `diagnostics/snapshot` and forwards this side's logs. Hosts call it in their
 * composition root; returns the function that stops forwarding.
 */
export function serveDiagnostics(
  endpoint: DiagnosticsServer,
  sources: { ring?: LogRing; monitor?: PerformanceMonitor; contexts?: readonly string[] },
): () => void {
  endpoint.handle('diagnostics/snapshot', () => ({
    metrics: endpoint.metrics(),
    monitor: sources.monitor?.snapshot() ?? null,
  }))
  return sources.ring ? forwardLogs(sources.ring, endpoint, sources.contexts) : () => undefined
}
