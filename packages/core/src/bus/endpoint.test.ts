import { describe, expect, it, vi } from 'vitest'
import { z } from 'zod'
import {
  CancelledError,
  ConflictError,
  InternalError,
  NotFoundError,
  TimeoutError,
  ValidationError,
} from '../errors.ts'
import { systemClock } from '../ports.ts'
import { event, request } from './contract.ts'
import { createEndpoint } from './endpoint.ts'
import { createTransportPair, type Transport } from './transport.ts'

const contract = {
  'math/add': request(z.object({ a: z.number(), b: z.number() }), z.object({ sum: z.number() })),
  'slow/wait': request(z.object({ ms: z.number() }), z.object({ done: z.boolean() }), {
    timeoutMs: 50,
  }),
  'broken/throw': request(z.object({}), z.object({})),
  'lies/response': request(z.object({}), z.object({ n: z.number() })),
  'thing/happened': event(z.object({ n: z.number() })),
}
const clock = systemClock(globalThis)

function pair(init: { ready?: Promise<unknown> } = {}) {
  const [a, b] = createTransportPair()
  const server = createEndpoint(contract, { transport: a, clock }, { name: 'server', ...init })
  const client = createEndpoint(contract, { transport: b, clock }, { name: 'client' })
  return { server, client, a, b }
}

describe('bus endpoint', () => {
  it('answers a request with the handler result', async () => {
    const { server, client } = pair()
    server.handle('math/add', ({ a, b }) => ({ sum: a + b }))
    await expect(client.request('math/add', { a: 2, b: 3 })).resolves.toEqual({ sum: 5 })
  })

  it('refuses an invalid request with field paths and never calls the handler', async () => {
    const { server, client } = pair()
    const handler = vi.fn(() => ({ sum: 0 }))
    server.handle('math/add', handler)
    const error = await client
      .request('math/add', { a: 'x' as unknown as number, b: 1 })
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ValidationError)
    expect((error as ValidationError).issues[0]?.path).toBe('a')
    expect(handler).not.toHaveBeenCalled()
  })

  it('rejects a response that breaks the contract', async () => {
    const { server, client } = pair()
    server.handle('lies/response', () => ({ n: 'nope' }) as unknown as { n: number })
    await expect(client.request('lies/response', {})).rejects.toBeInstanceOf(ValidationError)
  })

  it('times out and tells the handler to stop', async () => {
    const { server, client } = pair()
    let aborted = false
    server.handle('slow/wait', async ({ ms }, { signal }) => {
      signal.addEventListener('abort', () => (aborted = true))
      await new Promise((r) => setTimeout(r, ms))
      return { done: true }
    })
    await expect(client.request('slow/wait', { ms: 200 })).rejects.toBeInstanceOf(TimeoutError)
    await vi.waitFor(() => expect(aborted).toBe(true))
    expect(client.stats().pendingRequests).toBe(0)
  })

  it('cancels through an AbortSignal that reaches the handler', async () => {
    const { server, client } = pair()
    let handlerSignal: AbortSignal | undefined
    server.handle('slow/wait', async (_p, { signal }) => {
      handlerSignal = signal
      await new Promise((r) => setTimeout(r, 1000))
      return { done: true }
    })
    const controller = new AbortController()
    const call = client.request(
      'slow/wait',
      { ms: 1000 },
      { signal: controller.signal, timeoutMs: 5000 },
    )
    await vi.waitFor(() => expect(handlerSignal).toBeDefined())
    controller.abort()
    await expect(call).rejects.toBeInstanceOf(CancelledError)
    await vi.waitFor(() => expect(handlerSignal?.aborted).toBe(true))
  })

  it('hides unexpected handler failures behind InternalError', async () => {
    const { server, client } = pair()
    server.handle('broken/throw', () => {
      throw new Error('secret internals at /home/user')
    })
    const error = (await client
      .request('broken/throw', {})
      .catch((e: unknown) => e)) as InternalError
    expect(error).toBeInstanceOf(InternalError)
    expect(error.message).not.toContain('secret')
  })

  it('answers an unknown channel with NotFoundError', async () => {
    const { b } = pair()
    const replies: unknown[] = []
    b.onMessage((m) => {
      if ((m as { k?: string }).k === 'err') replies.push(m)
    })
    b.send({ k: 'req', id: 7, ch: 'no/such', p: {} })
    await vi.waitFor(() => expect(replies).toHaveLength(1))
    expect(replies[0]).toMatchObject({ k: 'err', id: 7, e: { name: 'NotFoundError' } })
  })

  it('survives malformed messages and keeps serving', async () => {
    const { server, client, b } = pair()
    server.handle('math/add', ({ a, b: bb }) => ({ sum: a + bb }))
    for (const junk of [
      null,
      42,
      'x',
      { k: 'req' },
      { k: 'req', id: -1 },
      { k: 'evt', ch: '' },
      { __proto__: { k: 'req' } },
    ]) {
      b.send(junk)
    }
    await expect(client.request('math/add', { a: 1, b: 1 })).resolves.toEqual({ sum: 2 })
    expect(server.stats().rejected).toBeGreaterThanOrEqual(6)
  })

  it('delivers typed events to listeners until they unsubscribe', async () => {
    const { server, client } = pair()
    const seen: number[] = []
    const off = client.on('thing/happened', ({ n }) => seen.push(n))
    server.emit('thing/happened', { n: 1 })
    await vi.waitFor(() => expect(seen).toEqual([1]))
    off()
    server.emit('thing/happened', { n: 2 })
    await new Promise((r) => setTimeout(r, 10))
    expect(seen).toEqual([1])
    expect(client.stats().eventListeners).toBe(0)
  })

  it('holds requests until the serving side is ready', async () => {
    let open!: () => void
    const ready = new Promise<void>((r) => (open = r))
    const { server, client } = pair({ ready })
    const call = client.request('math/add', { a: 1, b: 2 })
    setTimeout(() => {
      server.handle('math/add', ({ a, b }) => ({ sum: a + b }))
      open()
    }, 20)
    await expect(call).resolves.toEqual({ sum: 3 })
  })

  it('answers with the start-up error when the serving side fails to start', async () => {
    const { client } = pair({ ready: Promise.reject(new NotFoundError('storage unavailable')) })
    await expect(client.request('math/add', { a: 1, b: 2 })).rejects.toThrow('storage unavailable')
  })

  it('refuses a second handler for one channel at registration', () => {
    const { server } = pair()
    server.handle('math/add', () => ({ sum: 0 }))
    expect(() => server.handle('math/add', () => ({ sum: 0 }))).toThrow(ConflictError)
    expect(() => server.handle('thing/happened' as 'math/add', () => ({ sum: 0 }))).toThrow(
      NotFoundError,
    )
  })

  it('refuses a contract whose channel names are not domain/verb, at creation', () => {
    const [a] = createTransportPair()
    const bad = { 'Bad Name': event(z.object({})) }
    expect(() => createEndpoint(bad, { transport: a, clock })).toThrow(/domain\/verb/)
    const retryNotIdempotent = { 'a/b': request(z.object({}), z.object({}), { retry: {} }) }
    expect(() => createEndpoint(retryNotIdempotent, { transport: a, clock })).toThrow(/idempotent/)
  })

  it('fails pending calls when closed', async () => {
    const [a]: Transport[] = createTransportPair()
    const lonely = createEndpoint(contract, { transport: a!, clock })
    const call = lonely.request('math/add', { a: 1, b: 1 })
    lonely.close()
    await expect(call).rejects.toBeInstanceOf(CancelledError)
  })
})
