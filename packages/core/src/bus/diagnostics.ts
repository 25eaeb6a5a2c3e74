/**
 * The data side of the diagnostics view: channels that carry the worker's logs and
 * figures to the UI, and the "export diagnostics" bundle — versions, metrics, monitor
 * figures and recent logs, with user data and secrets removed.
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
import { z } from 'zod'
import { event, request } from './contract.ts'
import { LogEntrySchema, type LogEntry, type LogRing } from './log-ring.ts'
import type { MetricsSnapshot } from './metrics.ts'
import type { MonitorSnapshot, PerformanceMonitor } from './monitor.ts'

const latency = z
  .object({
    samples: z.number(),
    p50: z.number(),
    p95: z.number(),
    p99: z.number(),
    max: z.number(),
  })
  .nullable()

/** Schema of a {@link MetricsSnapshot} crossing a boundary. */
export const MetricsSnapshotSchema = z.object({
  endpoint: z.string().max(200),
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
        channel: z.string().max(200),
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
    .max(1000),
})

const point = z.object({ at: z.number(), ms: z.number() })

/** Schema of a {@link MonitorSnapshot} crossing a boundary. */
export const MonitorSnapshotSchema = z.object({
  at: z.number(),
  heap: z.object({
    usedBytes: z.number().nullable(),
    limitBytes: z.number().nullable(),
    trend: z.enum(['unknown', 'stable', 'growing', 'shrinking']),
    slopeBytesPerMin: z.number(),
    history: z.array(z.object({ at: z.number(), usedBytes: z.number() })).max(10_000),
  }),
  lag: z.object({
    lastMs: z.number(),
    maxMs: z.number(),
    p95Ms: z.number(),
    history: z.array(point).max(10_000),
  }),
  longTasks: z.object({
    count: z.number(),
    totalMs: z.number(),
    longestMs: z.number(),
    recent: z.array(point).max(10_000),
  }),
  warnings: z
    .array(
      z.object({
        at: z.number(),
        kind: z.enum(['heap-high', 'heap-growing', 'event-loop-lag', 'long-task', 'channel-slow']),
        message: z.string(),
      }),
    )
    .max(1000),
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
    () => z.object({ metrics: MetricsSnapshotSchema, monitor: MonitorSnapshotSchema.nullable() }),
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

// --- the bundle -------------------------------------------------------------------

/** What goes into a bundle. */
export interface DiagnosticsInput {
  app: { name: string; version: string }
  /** Versions of runtimes and libraries (`{ chromium: '…', electron: '…', zod: '…' }`). */
  versions?: Record<string, string>
  /** Non-identifying facts: platform, host kind, locale, screen size, … */
  environment?: Record<string, string | number | boolean>
  metrics: readonly MetricsSnapshot[]
  monitor?: MonitorSnapshot | null
  logs: readonly LogEntry[]
  /** Creation time (ms since the epoch). */
  at: number
}

/** The exported JSON. PERSISTED NAMES: a format of its own (`format`, `formatVersion`). */
export interface DiagnosticsBundle {
  format: 'whatnext-diagnostics'
  formatVersion: 1
  createdAt: string
  app: { name: string; version: string }
  versions: Record<string, string>
  environment: Record<string, string | number | boolean>
  metrics: MetricsSnapshot[]
  monitor: MonitorSnapshot | null
  logs: LogEntry[]
}

/** Options of {@link buildDiagnosticsBundle}. */
export interface DiagnosticsBundleInit {
  /** Newest log entries kept (default 500). */
  maxLogs?: number
}

/** Log data keys whose string values are kept (they name code, never user content). */
const SAFE_STRING_KEYS = new Set([
  'endpoint',
  'channel',
  'code',
  'errorName',
  'kind',
  'phase',
  'level',
  'context',
  'format',
  'reason',
  'state',
  'trend',
  'type',
  'event',
  'method',
  'status',
])
const SECRET_KEY =
  /secret|token|passw|passphrase|key|auth|cookie|credential|signature|capabilit|mnemonic|seed/i
const LONG_TOKEN = /[A-Za-z0-9_\-+/=]{32,}/g
const EMAIL = /[^\s@]+@[^\s@]+\.[^\s@]+/g
const FRAGMENT = /(#|%23)[^\s'"]*/g

/** Removes things that look like secrets from free text (tokens, e-mails, URL fragments). */
export function scrubText(text: string): string {
  return text
    .replace(FRAGMENT, '#[redacted]')
    .replace(EMAIL, '[email]')
    .replace(LONG_TOKEN, '[redacted]')
}

/**
 * Redacts log data for export: values under secret-looking keys go; strings are kept
 * only under keys that name code (`channel`, `code`, …), others become their length;
 * numbers and booleans stay.
 */
export function redactLogData(data: Record<string, unknown>, depth = 0): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const key of Object.keys(data)) {
    const value = data[key]
    let safe: unknown
    if (SECRET_KEY.test(key)) safe = '[redacted]'
    else if (typeof value === 'string')
      safe = SAFE_STRING_KEYS.has(key) ? scrubText(value).slice(0, 200) : `[${value.length} chars]`
    else if (typeof value === 'number' || typeof value === 'boolean' || value === null) safe = value
    else if (Array.isArray(value)) safe = `[${value.length} items]`
    else if (typeof value === 'object' && depth < 2)
      safe = redactLogData(value as Record<string, unknown>, depth + 1)
    else safe = '[omitted]'
    Object.defineProperty(out, key, {
      value: safe,
      enumerable: true,
      writable: true,
      configurable: true,
    })
  }
  return out
}

/** Builds the bundle: plain JSON data, redacted, newest logs only. */
export function buildDiagnosticsBundle(
  input: DiagnosticsInput,
  init: DiagnosticsBundleInit = {},
): DiagnosticsBundle {
  const maxLogs = init.maxLogs ?? 500
  const logs = input.logs.slice(-maxLogs).map((entry) => {
    const out: LogEntry = {
      at: entry.at,
      level: entry.level,
      context: entry.context.slice(0, 64),
      message: scrubText(entry.message).slice(0, 2000),
    }
    if (entry.data) out.data = redactLogData(entry.data)
    return out
  })
  const environment: Record<string, string | number | boolean> = {}
  for (const [key, value] of Object.entries(input.environment ?? {}))
    if (!SECRET_KEY.test(key))
      environment[key] = typeof value === 'string' ? scrubText(value) : value
  return JSON.parse(
    JSON.stringify({
      format: 'whatnext-diagnostics',
      formatVersion: 1,
      createdAt: new Date(input.at).toISOString(),
      app: input.app,
      versions: input.versions ?? {},
      environment,
      metrics: input.metrics,
      monitor: input.monitor ?? null,
      logs,
    }),
  ) as DiagnosticsBundle
}

/** The bundle as the text of a `.json` file. */
export function serializeDiagnosticsBundle(bundle: DiagnosticsBundle): string {
  return `${JSON.stringify(bundle, null, 2)}\n`
}
