/**
 * Per-channel counters of one endpoint: calls, errors, latency percentiles, bytes and
 * batch ratio. Recording is a few field increments and one array store, so it stays
 * on for every message; percentiles are computed only when a snapshot is taken.
 */

/** Latency percentiles over the most recent samples, in ms. */
export interface LatencySummary {
  /** Samples the percentiles are computed from (at most {@link LATENCY_WINDOW}). */
  samples: number
  p50: number
  p95: number
  p99: number
  max: number
}

/** One channel's figures as the diagnostics view shows them. Plain data. */
export interface ChannelSnapshot {
  channel: string
  kind: 'request' | 'event' | 'stream'
  /** Requests/events/streams this side sent. */
  sent: number
  /** Requests/events/streams this side received and accepted. */
  received: number
  /** Failed calls made from here plus handlers here that failed. */
  errors: number
  /** Received messages refused (invalid, too large, rate limited). */
  rejected: number
  /** Retries of idempotent calls made from here. */
  retries: number
  /** Round trip of calls made from here. */
  latency: LatencySummary | null
  /** Time handlers here took. */
  handlerLatency: LatencySummary | null
  bytesIn: number
  bytesOut: number
  /** Events carried (both directions). */
  events: number
  /** Envelopes those events took: `events / eventMessages` is the batch ratio. */
  eventMessages: number
  /** Events per envelope (1 when unbatched; 0 before any event). */
  batchRatio: number
}

/** Everything one endpoint reports. */
export interface MetricsSnapshot {
  endpoint: string
  /** Clock time of the snapshot (ms). */
  at: number
  pendingRequests: number
  queuedRequests: number
  activeHandlers: number
  eventListeners: number
  openStreams: number
  received: number
  rejected: number
  channels: ChannelSnapshot[]
}

/** Latency samples kept per channel and direction. */
export const LATENCY_WINDOW = 512

class Reservoir {
  private readonly values = new Float64Array(LATENCY_WINDOW)
  private count = 0
  add(ms: number) {
    this.values[this.count++ % LATENCY_WINDOW] = ms
  }
  summary(): LatencySummary | null {
    const n = Math.min(this.count, LATENCY_WINDOW)
    if (n === 0) return null
    const sorted = this.values.slice(0, n).sort()
    const at = (q: number) => sorted[Math.min(n, Math.max(1, Math.ceil(q * n))) - 1] as number
    return { samples: n, p50: at(0.5), p95: at(0.95), p99: at(0.99), max: sorted[n - 1] as number }
  }
}

/** Mutable counters of one channel (internal; read through {@link ChannelStats.snapshot}). */
export class ChannelStats {
  sent = 0
  received = 0
  errors = 0
  rejected = 0
  retries = 0
  bytesIn = 0
  bytesOut = 0
  events = 0
  eventMessages = 0
  readonly latency = new Reservoir()
  readonly handlerLatency = new Reservoir()

  readonly channel: string
  readonly kind: ChannelSnapshot['kind']

  // No parameter properties: this file must also load under Node's type stripping.
  constructor(channel: string, kind: ChannelSnapshot['kind']) {
    this.channel = channel
    this.kind = kind
  }

  snapshot(): ChannelSnapshot {
    return {
      channel: this.channel,
      kind: this.kind,
      sent: this.sent,
      received: this.received,
      errors: this.errors,
      rejected: this.rejected,
      retries: this.retries,
      latency: this.latency.summary(),
      handlerLatency: this.handlerLatency.summary(),
      bytesIn: this.bytesIn,
      bytesOut: this.bytesOut,
      events: this.events,
      eventMessages: this.eventMessages,
      batchRatio: this.eventMessages === 0 ? 0 : this.events / this.eventMessages,
    }
  }
}
