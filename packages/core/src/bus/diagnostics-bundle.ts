/**
 * The "export diagnostics" bundle — versions, metrics, monitor figures and recent logs,
 * with user data and secrets removed.
 *
 * @example
 * ```ts
 * const remote = await client.request('diagnostics/snapshot', {})
 * const bundle = buildDiagnosticsBundle({ app, metrics: [client.metrics(), remote.metrics], monitor, logs: ring.entries(), at: Date.now() })
 * ```
 */
import { setOwn } from '../own-property.ts'
import type { LogEntry } from './log-ring.ts'
import type { MetricsSnapshot } from './metrics.ts'
import type { MonitorSnapshot } from './monitor.ts'

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
    setOwn(out, key, safe)
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
