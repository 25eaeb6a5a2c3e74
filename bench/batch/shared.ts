/**
 * Shared by the batch bench page and its worker: one event channel batched as the
 * bus's high-frequency channels are, the same channel unbatched, and the request that
 * makes the worker emit a burst.
 */
import { defineContract, event, request } from '@whatnext/core/client'
import { z } from 'zod'

/** Events in one burst. */
export const BURST = 200

const Update = z.object({ n: z.number().int(), t: z.number() })

export const batchContract = defineContract({
  /** Emits `count` events back to back on the batched or the unbatched channel. */
  'bench/burst': request(
    z.object({ count: z.number().int().min(1).max(10_000), batched: z.boolean() }),
    z.object({ ok: z.literal(true) }),
  ),
  /** Batched like a sync-update channel: 64 per message, ≤ 16 ms wait, flush after 2 ms idle. */
  'sync/updated': event(Update, { batch: { maxSize: 64, maxWaitMs: 16, idleMs: 2 } }),
  /** The same payload, one message per event. */
  'sync/unbatched': event(Update),
})

/** What one burst measured (page side). */
export interface BurstResult {
  batched: boolean
  /** Messages the page received for the burst (the response excluded). */
  messages: number
  /** Per event: delivery to the listener minus emission in the worker, ms. */
  latencies: number[]
}

/** Absolute high-resolution time, comparable between the page and its worker. */
export const absoluteNow = () => performance.timeOrigin + performance.now()
