/**
 * Token buckets per (channel, sender), refilled lazily from the injected clock: no
 * timers, nothing to clean up but the map, which is bounded (least recently used
 * buckets are dropped; a dropped bucket comes back full, which only ever forgives).
 */
import type { RateLimitPolicy } from './contract.ts'

/** What {@link RateLimiter.take} decides. */
export type RateDecision = { ok: true } | { ok: false; retryAfterMs: number }

/** Token buckets keyed by channel and sender. */
export interface RateLimiter {
  /** Takes one token for `key` under `policy`, or says how long until one is free. */
  take(key: string, policy: RateLimitPolicy): RateDecision
  /** Buckets currently held. */
  readonly size: number
}

interface Bucket {
  tokens: number
  at: number
}

const OK: RateDecision = { ok: true }

/** Creates a limiter reading time from `now` (ms); keeps at most `maxBuckets`. */
export function createRateLimiter(now: () => number, maxBuckets = 1024): RateLimiter {
  const buckets = new Map<string, Bucket>()
  return {
    take(key, { perSecond, burst }) {
      const t = now()
      let bucket = buckets.get(key)
      if (bucket) {
        buckets.delete(key) // re-inserted below: Map order doubles as LRU order
        bucket.tokens = Math.min(burst, bucket.tokens + ((t - bucket.at) / 1000) * perSecond)
        bucket.at = t
      } else {
        bucket = { tokens: burst, at: t }
        if (buckets.size >= maxBuckets) buckets.delete(buckets.keys().next().value as string)
      }
      buckets.set(key, bucket)
      if (bucket.tokens >= 1) {
        bucket.tokens -= 1
        return OK
      }
      return { ok: false, retryAfterMs: Math.ceil(((1 - bucket.tokens) / perSecond) * 1000) }
    },
    get size() {
      return buckets.size
    },
  }
}
