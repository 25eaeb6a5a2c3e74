/**
 * The performance monitor and memory manager of one page or process: samples heap use
 * and its trend (stable, growing, shrinking), measures event-loop lag on its own timer,
 * counts long tasks reported by the host, watches endpoints' channel figures, and
 * raises warnings in the log when a threshold is crossed. Platform sources are
 * structural ports: the host adapts `performance.memory`, `process.memoryUsage()` or a
 * `PerformanceObserver('longtask')` to them.
 */
import type { Clock, Logger } from '../ports.ts'
import { silentLogger } from '../ports.ts'
import type { MetricsSnapshot } from './metrics.ts'

/** Reads heap use (`performance.memory.usedJSHeapSize`, `process.memoryUsage().heapUsed`). */
export interface HeapSource {
  read(): { usedBytes: number; limitBytes?: number } | undefined
}

/** Reports main-thread long tasks (a `PerformanceObserver` of `longtask` entries). */
export interface LongTaskSource {
  subscribe(listener: (durationMs: number) => void): () => void
}

/** Dependencies of the monitor. */
export interface MonitorComponents {
  clock: Clock
  logger?: Logger
  heap?: HeapSource
  longTasks?: LongTaskSource
  /** Endpoints whose channel figures are checked against the thresholds. */
  endpoints?: () => readonly MetricsSnapshot[]
}

/** Options and thresholds of the monitor. */
export interface MonitorInit {
  /** Sampling period (default 1 s). */
  intervalMs?: number
  /** Samples kept for charts and the trend (default 120). */
  historySize?: number
  /** Warn when heap use passes this (default: 80 % of the heap limit, if known). */
  heapWarnBytes?: number
  /** Slope above which the heap counts as growing (default 1 MiB a minute). */
  growthBytesPerMin?: number
  /** Warn when the sampling timer fires this late (default 100 ms). */
  lagWarnMs?: number
  /** Warn on a long task at least this long (default 200 ms). */
  longTaskWarnMs?: number
  /** Warn when a channel's p99 latency passes this (default 1000 ms). */
  channelP99WarnMs?: number
}

/** Heap trend over the sampled window. */
export type HeapTrend = 'unknown' | 'stable' | 'growing' | 'shrinking'

/** A threshold crossing, also written to the log as a warning. */
export interface MonitorWarning {
  at: number
  kind: 'heap-high' | 'heap-growing' | 'event-loop-lag' | 'long-task' | 'channel-slow'
  message: string
}

/** What the diagnostics view charts. Plain data. */
export interface MonitorSnapshot {
  at: number
  heap: {
    usedBytes: number | null
    limitBytes: number | null
    trend: HeapTrend
    slopeBytesPerMin: number
    history: { at: number; usedBytes: number }[]
  }
  lag: { lastMs: number; maxMs: number; p95Ms: number; history: { at: number; ms: number }[] }
  longTasks: {
    count: number
    totalMs: number
    longestMs: number
    recent: { at: number; ms: number }[]
  }
  warnings: MonitorWarning[]
}

/** A running monitor. */
export interface PerformanceMonitor {
  /** Starts periodic sampling (idempotent). */
  start(): void
  /** Stops sampling and long-task listening. */
  stop(): void
  /** Takes one sample now (also what the timer does). */
  sample(): void
  snapshot(): MonitorSnapshot
  dispose(): void
}

const WARNINGS_KEPT = 50
/** The same warning kind (per channel) is logged at most once per this period. */
const WARN_QUIET_MS = 60_000

/** Creates a monitor (not started). */
export function createPerformanceMonitor(
  components: MonitorComponents,
  init: MonitorInit = {},
): PerformanceMonitor {
  const { clock } = components
  const logger = components.logger ?? silentLogger
  const intervalMs = init.intervalMs ?? 1000
  const historySize = init.historySize ?? 120
  const growth = init.growthBytesPerMin ?? 1024 * 1024
  const lagWarnMs = init.lagWarnMs ?? 100
  const longTaskWarnMs = init.longTaskWarnMs ?? 200
  const p99WarnMs = init.channelP99WarnMs ?? 1000

  const heapHistory: { at: number; usedBytes: number }[] = []
  const lagHistory: { at: number; ms: number }[] = []
  const longTasks: { at: number; ms: number }[] = []
  const warnings: MonitorWarning[] = []
  const lastWarned = new Map<string, number>()
  let longTaskCount = 0
  let longTaskTotal = 0
  let longTaskMax = 0
  let lagMax = 0
  let limitBytes: number | null = null
  let timer: unknown
  let expectedAt = 0
  let offLongTasks: (() => void) | undefined
  let running = false

  const push = <T>(list: T[], item: T, max: number) => {
    list.push(item)
    if (list.length > max) list.splice(0, list.length - max)
  }

  const warn = (
    kind: MonitorWarning['kind'],
    key: string,
    message: string,
    data: Record<string, unknown>,
  ) => {
    const at = clock.now()
    const last = lastWarned.get(key)
    if (last !== undefined && at - last < WARN_QUIET_MS) return
    lastWarned.set(key, at)
    push(warnings, { at, kind, message }, WARNINGS_KEPT)
    logger.warn(message, { kind, ...data })
  }

  const trend = (): { trend: HeapTrend; slope: number } => {
    const n = heapHistory.length
    if (n < 5) return { trend: 'unknown', slope: 0 }
    // Least-squares slope of bytes over time: robust to one noisy sample or a GC dip.
    let sx = 0
    let sy = 0
    for (const s of heapHistory) {
      sx += s.at
      sy += s.usedBytes
    }
    const mx = sx / n
    const my = sy / n
    let num = 0
    let den = 0
    for (const s of heapHistory) {
      num += (s.at - mx) * (s.usedBytes - my)
      den += (s.at - mx) ** 2
    }
    const slope = den === 0 ? 0 : (num / den) * 60_000
    return { trend: slope > growth ? 'growing' : slope < -growth ? 'shrinking' : 'stable', slope }
  }

  const sample = () => {
    const at = clock.now()
    const heap = components.heap?.read()
    if (heap) {
      push(heapHistory, { at, usedBytes: heap.usedBytes }, historySize)
      if (heap.limitBytes !== undefined) limitBytes = heap.limitBytes
      const high = init.heapWarnBytes ?? (limitBytes !== null ? limitBytes * 0.8 : Infinity)
      if (heap.usedBytes > high)
        warn('heap-high', 'heap-high', 'Heap use is high', {
          usedBytes: heap.usedBytes,
          thresholdBytes: high,
        })
      const t = trend()
      if (t.trend === 'growing')
        warn('heap-growing', 'heap-growing', 'Heap keeps growing', {
          slopeBytesPerMin: Math.round(t.slope),
        })
    }
    for (const snapshot of components.endpoints?.() ?? []) {
      for (const ch of snapshot.channels) {
        if (ch.latency && ch.latency.p99 > p99WarnMs)
          warn('channel-slow', `slow:${snapshot.endpoint}:${ch.channel}`, 'Channel is slow', {
            endpoint: snapshot.endpoint,
            channel: ch.channel,
            p99Ms: ch.latency.p99,
          })
      }
    }
  }

  const tick = () => {
    const at = clock.now()
    const lag = Math.max(0, at - expectedAt)
    push(lagHistory, { at, ms: lag }, historySize)
    if (lag > lagMax) lagMax = lag
    if (lag > lagWarnMs) warn('event-loop-lag', 'lag', 'Event loop lagging', { lagMs: lag })
    sample()
    expectedAt = clock.now() + intervalMs
    timer = clock.setTimeout(tick, intervalMs)
  }

  const onLongTask = (ms: number) => {
    longTaskCount++
    longTaskTotal += ms
    if (ms > longTaskMax) longTaskMax = ms
    push(longTasks, { at: clock.now(), ms }, historySize)
    if (ms >= longTaskWarnMs)
      warn('long-task', 'long-task', 'Long task blocked the main thread', { durationMs: ms })
  }

  const stop = () => {
    running = false
    if (timer !== undefined) clock.clearTimeout(timer)
    timer = undefined
    offLongTasks?.()
    offLongTasks = undefined
  }

  return {
    start() {
      if (running) return
      running = true
      offLongTasks = components.longTasks?.subscribe(onLongTask)
      sample()
      expectedAt = clock.now() + intervalMs
      timer = clock.setTimeout(tick, intervalMs)
    },
    stop,
    sample,
    snapshot() {
      const t = trend()
      const lags = lagHistory.map((l) => l.ms).sort((a, b) => a - b)
      const last = heapHistory[heapHistory.length - 1]
      return {
        at: clock.now(),
        heap: {
          usedBytes: last?.usedBytes ?? null,
          limitBytes,
          trend: t.trend,
          slopeBytesPerMin: Math.round(t.slope),
          history: heapHistory.slice(),
        },
        lag: {
          lastMs: lagHistory[lagHistory.length - 1]?.ms ?? 0,
          maxMs: lagMax,
          p95Ms: lags.length === 0 ? 0 : (lags[Math.ceil(0.95 * lags.length) - 1] as number),
          history: lagHistory.slice(),
        },
        longTasks: {
          count: longTaskCount,
          totalMs: longTaskTotal,
          longestMs: longTaskMax,
          recent: longTasks.slice(),
        },
        warnings: warnings.slice(),
      }
    },
    dispose: stop,
  }
}
