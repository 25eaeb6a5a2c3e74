/**
 * The contract and handlers the bus compliance suite runs against every transport —
 * in this process or in a worker thread (`fixture-worker.mjs`). Observations the tests
 * need from the serving side (did the handler see the abort? how far did the producer
 * get?) are themselves channels, so they work across any boundary.
 */
import * as z from 'zod/mini'
import { ConflictError, UnavailableError } from '../../errors.ts'
import { defineContract, event, request, stream } from '../contract.ts'
import type { Endpoint } from '../endpoint.ts'

const Key = z.string().check(z.minLength(1), z.maxLength(100))
const Attempts = z.object({ attempts: z.number() })

/** Largest `big/echo` payload accepted (estimated bytes). */
export const BIG_LIMIT = 4096

/** The fixture contract. */
export const fixtureContract = defineContract({
  'math/add': request(z.object({ a: z.number(), b: z.number() }), z.object({ sum: z.number() })),
  'slow/wait': request(z.object({ key: Key }), z.object({ done: z.boolean() }), {
    timeoutMs: 60_000,
  }),
  'probe/aborted': request(
    z.object({ key: Key }),
    z.object({ started: z.boolean(), aborted: z.boolean() }),
    {
      idempotent: true,
    },
  ),
  'broken/throw': request(z.object({}), z.object({})),
  'lies/response': request(z.object({}), z.object({ n: z.number() })),
  'flaky/idempotent': request(z.object({ key: Key, failTimes: z.number() }), Attempts, {
    idempotent: true,
    retry: { attempts: 4, baseDelayMs: 100, maxDelayMs: 400 },
  }),
  'flaky/once': request(z.object({ key: Key, failTimes: z.number() }), Attempts),
  'limited/call': request(z.object({}), z.object({ ok: z.literal(true) }), {
    rateLimit: { perSecond: 1 / 3600, burst: 3 },
  }),
  'big/echo': request(z.object({ text: z.string() }), z.object({ length: z.number() }), {
    maxPayloadBytes: BIG_LIMIT,
  }),
  'events/burst': request(
    z.object({ count: z.int().check(z.minimum(1), z.maximum(10_000)), batched: z.boolean() }),
    z.object({ ok: z.literal(true) }),
  ),
  'thing/happened': event(z.object({ n: z.number() })),
  'sync/updated': event(z.object({ n: z.number() }), {
    batch: { maxSize: 64, maxWaitMs: 16, idleMs: 2 },
  }),
  'numbers/count': stream(
    z.object({ key: Key, to: z.int().check(z.minimum(0)), failAt: z.optional(z.int()) }),
    z.object({ n: z.number() }),
    { highWaterMark: 8 },
  ),
  'probe/produced': request(
    z.object({ key: Key }),
    z.object({ produced: z.number(), finished: z.boolean(), cancelled: z.boolean() }),
    { idempotent: true },
  ),
})

/** The fixture contract's type. */
export type FixtureContract = typeof fixtureContract

/** Serves every fixture channel on `endpoint`. */
export function serveFixture(endpoint: Endpoint<FixtureContract>): void {
  const calls = new Map<string, { started: boolean; aborted: boolean }>()
  const attempts = new Map<string, number>()
  const streams = new Map<string, { produced: number; finished: boolean; cancelled: boolean }>()
  const flaky = ({ key, failTimes }: { key: string; failTimes: number }) => {
    const n = (attempts.get(key) ?? 0) + 1
    attempts.set(key, n)
    if (n <= failTimes) throw new UnavailableError(`attempt ${n} fails on purpose`)
    return { attempts: n }
  }
  endpoint.handleAll({
    'math/add': ({ a, b }) => ({ sum: a + b }),
    'slow/wait': ({ key }, { signal }) => {
      const state = { started: true, aborted: false }
      calls.set(key, state)
      // Never answers on its own: only an abort (cancel, timeout) ends it.
      return new Promise((_resolve, reject) => {
        signal.addEventListener('abort', () => {
          state.aborted = true
          reject(signal.reason)
        })
      })
    },
    'probe/aborted': ({ key }) => calls.get(key) ?? { started: false, aborted: false },
    'broken/throw': () => {
      throw new Error('secret internals at /home/user/.ssh/id_ed25519')
    },
    'lies/response': () => ({ n: 'nope' }) as unknown as { n: number },
    'flaky/idempotent': flaky,
    'flaky/once': flaky,
    'limited/call': () => ({ ok: true }),
    'big/echo': ({ text }) => ({ length: text.length }),
    'events/burst': ({ count, batched }) => {
      for (let n = 0; n < count; n++)
        endpoint.emit(batched ? 'sync/updated' : 'thing/happened', { n })
      return { ok: true }
    },
    'probe/produced': ({ key }) =>
      streams.get(key) ?? { produced: 0, finished: false, cancelled: false },
  })
  endpoint.handleStream('numbers/count', async function* ({ key, to, failAt }, { signal }) {
    const state = { produced: 0, finished: false, cancelled: false }
    streams.set(key, state)
    try {
      for (let n = 0; n < to; n++) {
        if (n === failAt) throw new ConflictError(`producer gave up at ${n}`)
        state.produced++
        yield { n }
      }
    } finally {
      state.finished = true
      state.cancelled = signal.aborted
    }
  })
}
