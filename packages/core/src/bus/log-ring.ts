/**
 * Structured logging into one bounded ring buffer shared by every context (UI, worker,
 * later main and utility processes): each context logs through `ring.logger(context)`;
 * entries from other contexts arrive over the bus (`forwardLogs` / `receiveLogs`). The
 * ring keeps the newest `capacity` entries, and their data is copied into small plain
 * values on the way in, so it never holds on to the objects that were logged.
 */
import * as z from 'zod/mini'
import type { Clock, Logger } from '../ports.ts'
import { setOwn } from '../own-property.ts'

/** Log levels, least severe first. */
export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const
export type LogLevel = (typeof LOG_LEVELS)[number]

/** One log line. PERSISTED NAMES: part of the diagnostics bundle format. */
export interface LogEntry {
  /** Clock time (ms since the epoch). */
  at: number
  level: LogLevel
  /** Where it was logged: `'ui'`, `'engine'`, `'main'`, … */
  context: string
  message: string
  data?: Record<string, unknown>
}

/** Schema of a {@link LogEntry} crossing a boundary. */
export const LogEntrySchema = z.object({
  at: z.number(),
  level: z.enum(LOG_LEVELS),
  context: z.string().check(z.maxLength(64)),
  message: z.string().check(z.maxLength(2000)),
  data: z.optional(z.record(z.string(), z.unknown())),
})

/** The bounded, shared log. */
export interface LogRing {
  /** A logger writing into the ring (and also to `forward`, e.g. the console). */
  logger(context: string, forward?: Logger): Logger
  /** Adds an entry logged elsewhere (already stamped). */
  append(entry: LogEntry): void
  /** Entries oldest first, optionally at or above `level` and after `since`. */
  entries(filter?: { level?: LogLevel; since?: number }): LogEntry[]
  /** Hears every entry added from now on; returns the unsubscribe function. */
  subscribe(listener: (entry: LogEntry) => void): () => void
  readonly size: number
  readonly capacity: number
  /** Entries pushed out of the ring so far. */
  readonly dropped: number
  clear(): void
}

/** Options of {@link createLogRing}. */
export interface LogRingInit {
  /** Entries kept (default 1000). */
  capacity?: number
  /** Entries below this level are not kept (default `'debug'`). */
  minLevel?: LogLevel
}

const MAX_STRING = 1000
const MAX_KEYS = 32
const MAX_DEPTH = 3

/** Copies logged data into small plain values (strings cut, depth and keys bounded). */
export function compactLogData(data: Record<string, unknown>): Record<string, unknown> {
  return compact(data, 0) as Record<string, unknown>
}

function compact(value: unknown, depth: number): unknown {
  switch (typeof value) {
    case 'string':
      return value.length > MAX_STRING ? `${value.slice(0, MAX_STRING)}…` : value
    case 'number':
    case 'boolean':
      return value
    case 'bigint':
      return value.toString()
    case 'undefined':
    case 'function':
    case 'symbol':
      return undefined
  }
  if (value === null) return null
  if (value instanceof Error) return { name: value.name, message: compact(value.message, depth) }
  if (depth >= MAX_DEPTH) return '[…]'
  if (Array.isArray(value)) return value.slice(0, MAX_KEYS).map((v) => compact(v, depth + 1))
  const out: Record<string, unknown> = {}
  let n = 0
  for (const key of Object.keys(value as object)) {
    if (n++ >= MAX_KEYS) break
    const v = compact((value as Record<string, unknown>)[key], depth + 1)
    if (v !== undefined) setOwn(out, key, v)
  }
  return out
}

/** Creates a ring stamping entries with `clock`. */
export function createLogRing(components: { clock: Clock }, init: LogRingInit = {}): LogRing {
  const capacity = Math.max(1, init.capacity ?? 1000)
  const min = LOG_LEVELS.indexOf(init.minLevel ?? 'debug')
  const buffer: (LogEntry | undefined)[] = new Array<LogEntry | undefined>(capacity)
  const listeners = new Set<(entry: LogEntry) => void>()
  let start = 0
  let size = 0
  let dropped = 0

  const append = (entry: LogEntry) => {
    if (LOG_LEVELS.indexOf(entry.level) < min) return
    if (size < capacity) {
      buffer[(start + size) % capacity] = entry
      size++
    } else {
      buffer[start] = entry
      start = (start + 1) % capacity
      dropped++
    }
    for (const l of listeners) {
      try {
        l(entry)
      } catch {
        // A broken subscriber must not break logging.
      }
    }
  }

  return {
    logger(context, forward) {
      const write = (level: LogLevel) => (message: string, data?: Record<string, unknown>) => {
        const entry: LogEntry = { at: components.clock.now(), level, context, message }
        if (data) entry.data = compactLogData(data)
        append(entry)
        forward?.[level](message, data)
      }
      return {
        debug: write('debug'),
        info: write('info'),
        warn: write('warn'),
        error: write('error'),
      }
    },
    append,
    entries(filter = {}) {
      const floor = LOG_LEVELS.indexOf(filter.level ?? 'debug')
      const out: LogEntry[] = []
      for (let i = 0; i < size; i++) {
        const entry = buffer[(start + i) % capacity] as LogEntry
        if (LOG_LEVELS.indexOf(entry.level) < floor) continue
        if (filter.since !== undefined && entry.at <= filter.since) continue
        out.push(entry)
      }
      return out
    },
    subscribe(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    get size() {
      return size
    },
    capacity,
    get dropped() {
      return dropped
    },
    clear() {
      buffer.fill(undefined)
      start = 0
      size = 0
    },
  }
}
