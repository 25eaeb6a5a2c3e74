/**
 * Fuzz: 10,000 random and malformed messages into a live endpoint. No crash, every
 * message that names a request is answered (with a typed error when it is bad), no
 * handler ever sees invalid data, and the endpoint serves normally afterwards.
 * Seeded, so a failure reproduces.
 */
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { AppError, deserializeError } from '../errors.ts'
import { systemClock } from '../ports.ts'
import { defineContract, event, request, stream } from './contract.ts'
import { createEndpoint } from './endpoint.ts'
import { createTransportPair } from './transport.ts'
import { isSerializedError } from './wire.ts'
import { seededRandom } from '../test-support/random.ts'

const Add = z.object({ a: z.number(), b: z.number() })
const Note = z.object({ title: z.string().max(100), tags: z.array(z.string()).max(5) })
const contract = defineContract({
  'math/add': request(Add, z.object({ sum: z.number() })),
  'note/save': request(Note, z.object({ ok: z.boolean() }), { maxPayloadBytes: 2048 }),
  'limited/call': request(z.object({}), z.object({ ok: z.boolean() }), {
    rateLimit: { perSecond: 1, burst: 50 },
  }),
  'note/saved': event(Note, { batch: { maxSize: 8 } }),
  'numbers/count': stream(
    z.object({ to: z.number().int().min(0).max(3) }),
    z.object({ n: z.number() }),
  ),
})

function junkValue(r: () => number, depth = 0): unknown {
  const pick = Math.floor(r() * 14)
  switch (pick) {
    case 0:
      return null
    case 1:
      return undefined
    case 2:
      return r() * 1e6 - 5e5
    case 3:
      return Number.NaN
    case 4:
      return 'x'.repeat(Math.floor(r() * 40))
    case 5:
      return r() < 0.5
    case 6:
      return -1
    case 7:
      return JSON.parse(
        '{"__proto__": {"polluted": true, "a": 1}, "constructor": {"prototype": {"b": 2}}}',
      )
    case 8: {
      // Deep nesting.
      let v: unknown = { leaf: 1 }
      for (let i = 0; i < 50 + Math.floor(r() * 500); i++) v = { v }
      return v
    }
    case 9: {
      // Cyclic data (structured clone keeps cycles).
      const a: Record<string, unknown> = { name: 'a' }
      a.self = a
      a.list = [a, { back: a }]
      return a
    }
    case 10:
      return 'y'.repeat(5000 + Math.floor(r() * 5000)) // oversized for note/save
    case 11:
      return depth > 2 ? 1 : [junkValue(r, depth + 1), junkValue(r, depth + 1)]
    case 12:
      return depth > 2 ? 2 : { a: junkValue(r, depth + 1), b: junkValue(r, depth + 1) }
    default:
      return { a: Math.floor(r() * 10), b: Math.floor(r() * 10) } // sometimes valid
  }
}

const KINDS = [
  'req',
  'res',
  'err',
  'cancel',
  'evt',
  'evb',
  'sopen',
  'sitem',
  'send',
  'serr',
  'scredit',
  'scancel',
  'ping',
  'hello',
  'nope',
  42,
  undefined,
]
const CHANNELS = [
  'math/add',
  'note/save',
  'limited/call',
  'note/saved',
  'numbers/count',
  'no/such',
  '',
  'x'.repeat(300),
  '__proto__',
  'constructor',
]

function junkMessage(r: () => number, id: number): unknown {
  const roll = r()
  if (roll < 0.05) return junkValue(r)
  const k = KINDS[Math.floor(r() * KINDS.length)]
  const message: Record<string, unknown> = {}
  if (r() < 0.95) message.k = k
  if (r() < 0.9) message.id = r() < 0.9 ? id : junkValue(r)
  if (r() < 0.9) message.ch = CHANNELS[Math.floor(r() * CHANNELS.length)]
  if (r() < 0.9) message.p = junkValue(r)
  if (r() < 0.3) message.ps = r() < 0.8 ? [junkValue(r), junkValue(r)] : junkValue(r)
  if (r() < 0.3) message.c = r() < 0.5 ? Math.floor(r() * 10) : junkValue(r)
  if (r() < 0.2)
    message.e =
      r() < 0.5 ? { name: '__proto__', code: 'X', message: 'm', retryable: false } : junkValue(r)
  if (r() < 0.2) message.s = junkValue(r)
  if (r() < 0.1) message.v = junkValue(r)
  return message
}

describe('bus fuzz', () => {
  it('survives 10,000 malformed messages, answers every request, never hands a handler bad data', async () => {
    const [serverSide, raw] = createTransportPair()
    const clock = systemClock(globalThis)
    const server = createEndpoint(contract, { transport: serverSide, clock }, { name: 'fuzzed' })
    const bad: string[] = []
    const check = (schema: z.ZodType, name: string) => (payload: unknown) => {
      if (!schema.safeParse(payload).success) bad.push(name)
    }
    const seenAdd = check(Add, 'math/add')
    const seenNote = check(Note, 'note/save')
    let handled = 0
    server.handleAll({
      'math/add': (p) => (handled++, seenAdd(p), { sum: p.a + p.b }),
      'note/save': (p) => (handled++, seenNote(p), { ok: true }),
      'limited/call': () => (handled++, { ok: true }),
    })
    server.handleStream('numbers/count', function* ({ to }) {
      for (let n = 0; n < to; n++) yield { n }
    })
    server.on('note/saved', (p) => seenNote(p))

    const answered = new Set<number>()
    const replies: unknown[] = []
    raw.onMessage((m) => {
      replies.push(m)
      const msg = m as { k?: string; id?: number; e?: unknown }
      if (typeof msg.id === 'number') answered.add(msg.id)
      if ((msg.k === 'err' || msg.k === 'serr') && !isSerializedError(msg.e))
        bad.push('untyped error reply')
    })

    const r = seededRandom(0x5eed)
    const expectAnswer = new Set<number>()
    for (let i = 0; i < 10_000; i++) {
      const message = junkMessage(r, 1_000_000 + i)
      const m = message as { k?: unknown; id?: unknown }
      // Every message that is recognisably a request or a stream open must get an answer.
      if ((m?.k === 'req' || m?.k === 'sopen') && m.id === 1_000_000 + i) expectAnswer.add(m.id)
      raw.send(message)
      if (i % 500 === 0) await new Promise((resolve) => setTimeout(resolve, 0))
    }
    await expect.poll(() => [...expectAnswer].filter((id) => !answered.has(id)).length).toBe(0)
    expect(bad).toEqual([])
    expect(expectAnswer.size).toBeGreaterThan(500)
    expect(handled).toBeGreaterThan(0) // some random messages were valid
    expect(server.stats().rejected).toBeGreaterThan(5000)
    // Every error reply rebuilds into a typed AppError.
    for (const reply of replies) {
      const msg = reply as { k?: string; e?: unknown }
      if (msg.k === 'err' || msg.k === 'serr') {
        const error = deserializeError(msg.e as never)
        expect(error).toBeInstanceOf(AppError)
        expect(typeof error.code).toBe('string')
      }
    }
    expect(Object.prototype).not.toHaveProperty('polluted')

    // Still serving.
    const client = createEndpoint(contract, { transport: raw, clock }, { name: 'after' })
    await expect(client.request('math/add', { a: 2, b: 2 })).resolves.toEqual({ sum: 4 })
    server.close()
    client.close()
  })

  it('answers a caller fed garbage replies with typed errors and stays usable', async () => {
    const [clientSide, raw] = createTransportPair()
    const clock = systemClock(globalThis)
    const client = createEndpoint(
      contract,
      { transport: clientSide, clock },
      { name: 'caller', handshake: false },
    )
    const r = seededRandom(42)
    for (let round = 0; round < 200; round++) {
      const call = client.request('math/add', { a: 1, b: 2 }).catch((e: unknown) => e)
      const id = round
      raw.send(junkMessage(r, id))
      raw.send(
        r() < 0.5
          ? { k: 'res', id, v: junkValue(r) }
          : { k: 'err', id, e: { name: 'Weird', code: 'W', message: 'w', retryable: false } },
      )
      const outcome = await call
      if (outcome instanceof Error) expect(outcome).toBeInstanceOf(AppError)
      else expect(z.object({ sum: z.number() }).safeParse(outcome).success).toBe(true)
    }
    expect(client.stats().pendingRequests).toBe(0)
    client.close()
  })
})
