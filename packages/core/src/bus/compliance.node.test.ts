/**
 * The bus compliance suite: every behaviour of the bus, written once and run over every
 * transport — an in-memory pair, a MessageChannel, a BroadcastChannel and a real
 * worker_threads Worker (the serving side in another thread). The client's clock is a
 * manual one, so timeouts and backoffs happen when the test says, never by waiting.
 */
import { Worker } from 'node:worker_threads'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { z } from 'zod'
import {
  CancelledError,
  ConflictError,
  InternalError,
  PayloadTooLargeError,
  RateLimitedError,
  TimeoutError,
  UnavailableError,
  ValidationError,
} from '../errors.ts'
import { systemClock } from '../ports.ts'
import { defineContract, request } from './contract.ts'
import { createEndpoint, type Endpoint, type EndpointInit } from './endpoint.ts'
import {
  BIG_LIMIT,
  fixtureContract,
  serveFixture,
  type FixtureContract,
} from './testing/fixture.ts'
import { createManualClock, type ManualClock } from './testing/manual-clock.ts'
import {
  broadcastChannelTransport,
  createTransportPair,
  meteredTransport,
  messagePortTransport,
  nodePortTransport,
  type MessagePortLike,
  type MeteredTransport,
  type Transport,
} from './transport.ts'

const realClock = systemClock(globalThis)
const now = () => performance.now()

/** A place the serving side runs: hands out client transports connected to it. */
interface Host {
  /** A new client-side transport; `serve` starts the serving side (for late-server tests). */
  connect(options?: { lateServer?: boolean }): { transport: Transport; serve(): void }
  close(): Promise<void>
}

const serveOn = (transport: Transport, init: EndpointInit = {}) => {
  const server = createEndpoint(
    fixtureContract,
    { transport, clock: realClock, now },
    { name: 'server', ...init },
  )
  serveFixture(server)
  return server
}

function inProcessHost(makePair: () => [Transport, Transport, () => void]): Host {
  const cleanups: (() => void)[] = []
  return {
    connect({ lateServer = false } = {}) {
      const [serverSide, clientSide, cleanup] = makePair()
      let server: Endpoint<FixtureContract> | undefined
      const serve = () => (server = serveOn(serverSide))
      if (!lateServer) serve()
      cleanups.push(() => {
        server?.close()
        cleanup()
      })
      return { transport: clientSide, serve }
    },
    async close() {
      for (const c of cleanups.splice(0)) c()
    },
  }
}

const hosts: [string, () => Promise<Host>][] = [
  [
    'in-memory pair',
    async () =>
      inProcessHost(() => {
        const [a, b] = createTransportPair()
        return [a, b, () => undefined]
      }),
  ],
  [
    'MessageChannel',
    async () =>
      inProcessHost(() => {
        const { port1, port2 } = new MessageChannel()
        return [
          messagePortTransport(port1 as unknown as MessagePortLike),
          messagePortTransport(port2 as unknown as MessagePortLike),
          () => (port1.close(), port2.close()),
        ]
      }),
  ],
  [
    'BroadcastChannel',
    async () => {
      let n = 0
      return inProcessHost(() => {
        const name = `bus-compliance-${process.pid}-${n++}`
        const a = new BroadcastChannel(name)
        const b = new BroadcastChannel(name)
        return [
          broadcastChannelTransport(a),
          broadcastChannelTransport(b),
          () => (a.close(), b.close()),
        ]
      })
    },
  ],
  [
    'worker_threads',
    async () => {
      const workers: Worker[] = []
      const start = () => {
        const worker = new Worker(new URL('./testing/fixture-worker.mjs', import.meta.url))
        worker.on('error', (error) => console.error('fixture worker failed', error))
        workers.push(worker)
        return worker
      }
      const shared = start()
      return {
        connect({ lateServer = false } = {}) {
          if (!lateServer)
            return {
              transport: nodePortTransport(shared, { closePort: false }),
              serve: () => undefined,
            }
          // A fresh worker: its endpoint exists only once the thread has booted.
          let worker: Worker | undefined
          const { port1, port2 } = new MessageChannel()
          return {
            transport: messagePortTransport(port1 as unknown as MessagePortLike),
            serve() {
              worker = start()
              // Relay the client port to the worker's parentPort and back.
              port2.addEventListener('message', (e) => worker?.postMessage(e.data))
              port2.start()
              worker.on('message', (m) => port2.postMessage(m))
            },
          }
        },
        async close() {
          await Promise.all(workers.map((w) => w.terminate()))
        },
      }
    },
  ],
]

describe.each(hosts)('bus over %s', { timeout: 20_000 }, (_name, makeHost) => {
  let host: Host
  let clock: ManualClock
  const clients: Endpoint<FixtureContract>[] = []
  let keyN = 0
  const key = () => `k${keyN++}-${Math.random().toString(36).slice(2)}`

  const client = (init: EndpointInit = {}, options?: { lateServer?: boolean }) => {
    const { transport, serve } = host.connect(options)
    const metered = meteredTransport(transport)
    const endpoint = createEndpoint(
      fixtureContract,
      { transport: metered, clock, now },
      { name: 'client', senderId: key(), ...init },
    )
    clients.push(endpoint)
    return Object.assign(endpoint, { metered, serve }) as Endpoint<FixtureContract> & {
      metered: MeteredTransport
      serve(): void
    }
  }

  beforeAll(async () => {
    host = await makeHost()
  })
  afterEach(() => {
    for (const c of clients.splice(0)) c.close()
  })
  afterAll(async () => {
    await host.close()
  })

  beforeEach(() => {
    clock = createManualClock()
  })

  it('answers a request with the handler result and records its latency', async () => {
    const c = client()
    await expect(c.request('math/add', { a: 2, b: 3 })).resolves.toEqual({ sum: 5 })
    const ch = c.metrics().channels.find((x) => x.channel === 'math/add')
    expect(ch).toMatchObject({ sent: 1, errors: 0 })
    expect(ch?.latency?.samples).toBe(1)
    expect(ch?.bytesOut).toBeGreaterThan(0)
    expect(ch?.bytesIn).toBeGreaterThan(0)
  })

  it('refuses an invalid request with field paths', async () => {
    const c = client()
    const error = await c
      .request('math/add', { a: 'x' as unknown as number, b: 1 })
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ValidationError)
    expect((error as ValidationError).issues[0]?.path).toBe('a')
  })

  it('rejects a response that breaks the contract', async () => {
    const c = client()
    await expect(c.request('lies/response', {})).rejects.toBeInstanceOf(ValidationError)
  })

  it('hides an unexpected handler failure behind InternalError', async () => {
    const c = client()
    const error = (await c.request('broken/throw', {}).catch((e: unknown) => e)) as InternalError
    expect(error).toBeInstanceOf(InternalError)
    expect(error.code).toBe('INTERNAL')
    expect(error.message).not.toContain('secret')
    expect(error.stack).not.toContain('.ssh')
  })

  it('times out with TimeoutError and aborts the handler', async () => {
    const c = client()
    const k = key()
    const call = c.request('slow/wait', { key: k }, { timeoutMs: 500 })
    await expect
      .poll(() => c.request('probe/aborted', { key: k }))
      .toEqual({ started: true, aborted: false })
    clock.advance(500)
    const error = await call.catch((e: unknown) => e)
    expect(error).toBeInstanceOf(TimeoutError)
    expect((error as TimeoutError).details).toMatchObject({ phase: 'reply', timeoutMs: 500 })
    await expect
      .poll(() => c.request('probe/aborted', { key: k }))
      .toEqual({ started: true, aborted: true })
    expect(c.stats().pendingRequests).toBe(0)
  })

  it('cancels through an AbortSignal that reaches the handler', async () => {
    const c = client()
    const k = key()
    const controller = new AbortController()
    const call = c.request('slow/wait', { key: k }, { signal: controller.signal })
    await expect.poll(() => c.request('probe/aborted', { key: k })).toMatchObject({ started: true })
    controller.abort()
    await expect(call).rejects.toBeInstanceOf(CancelledError)
    await expect
      .poll(() => c.request('probe/aborted', { key: k }))
      .toEqual({ started: true, aborted: true })
  })

  it('retries an idempotent call with backoff until it succeeds', async () => {
    const c = client()
    const k = key()
    const call = c.request('flaky/idempotent', { key: k, failTimes: 2 })
    const retries = () =>
      c.metrics().channels.find((x) => x.channel === 'flaky/idempotent')?.retries
    await expect.poll(retries).toBe(1)
    clock.advance(400) // the longest first-retry delay
    await expect.poll(retries).toBe(2)
    clock.advance(400)
    await expect(call).resolves.toEqual({ attempts: 3 })
  })

  it('never retries a call that is not idempotent', async () => {
    const c = client()
    const k = key()
    await expect(c.request('flaky/once', { key: k, failTimes: 1 })).rejects.toBeInstanceOf(
      UnavailableError,
    )
    // The second call is the server's second attempt: the first was not repeated.
    await expect(c.request('flaky/once', { key: k, failTimes: 1 })).resolves.toEqual({
      attempts: 2,
    })
    expect(c.metrics().channels.find((x) => x.channel === 'flaky/once')?.retries).toBe(0)
  })

  it('limits the rate per channel and sender with RateLimitedError and retryAfterMs', async () => {
    const c = client()
    for (let i = 0; i < 3; i++)
      await expect(c.request('limited/call', {})).resolves.toEqual({ ok: true })
    const error = (await c.request('limited/call', {}).catch((e: unknown) => e)) as RateLimitedError
    expect(error).toBeInstanceOf(RateLimitedError)
    expect(error.retryAfterMs).toBeGreaterThan(0)
    // Another sender has a bucket of its own.
    await expect(client().request('limited/call', {})).resolves.toEqual({ ok: true })
  })

  it('refuses an oversized payload on both sides with PayloadTooLargeError', async () => {
    const c = client()
    const text = 'x'.repeat(BIG_LIMIT)
    await expect(c.request('big/echo', { text })).rejects.toBeInstanceOf(PayloadTooLargeError)
    // A caller without the limit in its contract is refused where the message arrives.
    const lax = defineContract({
      'big/echo': request(z.object({ text: z.string() }), z.object({ length: z.number() })),
    })
    const { transport } = host.connect()
    const laxClient = createEndpoint(lax, { transport, clock }, { name: 'lax' })
    clients.push(laxClient as unknown as Endpoint<FixtureContract>)
    await expect(laxClient.request('big/echo', { text })).rejects.toBeInstanceOf(
      PayloadTooLargeError,
    )
    await expect(c.request('big/echo', { text: 'small' })).resolves.toEqual({ length: 5 })
  })

  it('delivers typed events until unsubscribed, or until the owner signal aborts', async () => {
    const c = client()
    const seen: number[] = []
    const off = c.on('thing/happened', ({ n }) => seen.push(n))
    const owner = new AbortController()
    const viaSignal: number[] = []
    c.on('thing/happened', ({ n }) => viaSignal.push(n), { signal: owner.signal })
    expect(c.stats().eventListeners).toBe(2)
    await c.request('events/burst', { count: 3, batched: false })
    await expect.poll(() => seen).toEqual([0, 1, 2])
    expect(viaSignal).toEqual([0, 1, 2])
    off()
    owner.abort()
    expect(c.stats().eventListeners).toBe(0)
    await c.request('events/burst', { count: 1, batched: false })
    await c.request('math/add', { a: 0, b: 0 }) // a later round trip: the event has arrived
    expect(seen).toEqual([0, 1, 2])
  })

  it('coalesces a burst of 200 events into a few messages, in order', async () => {
    const c = client()
    const seen: number[] = []
    c.on('sync/updated', ({ n }) => seen.push(n))
    await c.request('math/add', { a: 0, b: 0 }) // connected
    const before = c.metered.received
    await c.request('events/burst', { count: 200, batched: true })
    await expect.poll(() => seen.length).toBe(200)
    expect(seen).toEqual(Array.from({ length: 200 }, (_, i) => i))
    const messages = c.metered.received - before - 1 // minus the response
    expect(messages).toBeLessThanOrEqual(10) // ≥ 95 % fewer than 200
    const ch = c.metrics().channels.find((x) => x.channel === 'sync/updated')
    expect(ch?.events).toBe(200)
    expect(ch?.batchRatio).toBeGreaterThanOrEqual(20)
  })

  it('streams items in order with credit-based backpressure', async () => {
    const c = client()
    const k = key()
    const items = c.stream('numbers/count', { key: k, to: 100 }, { highWaterMark: 4 })
    const iterator = items[Symbol.asyncIterator]()
    const got: number[] = []
    for (let i = 0; i < 2; i++) got.push(((await iterator.next()).value as { n: number }).n)
    // The consumer pauses: however long, the producer stays within the credit window.
    for (let i = 0; i < 5; i++) {
      const { produced } = await c.request('probe/produced', { key: k })
      expect(produced).toBeLessThanOrEqual(got.length + 4)
    }
    for (;;) {
      const next = await iterator.next()
      if (next.done) break
      got.push((next.value as { n: number }).n)
    }
    expect(got).toEqual(Array.from({ length: 100 }, (_, i) => i))
    await expect
      .poll(() => c.request('probe/produced', { key: k }))
      .toMatchObject({ finished: true, cancelled: false })
    expect(c.stats().openStreams).toBe(0)
  })

  it('cancels a stream from the consumer side and stops the producer', async () => {
    const c = client()
    const k = key()
    const got: number[] = []
    for await (const { n } of c.stream('numbers/count', { key: k, to: 1_000_000 })) {
      got.push(n)
      if (n === 9) break
    }
    expect(got).toHaveLength(10)
    await expect
      .poll(() => c.request('probe/produced', { key: k }))
      .toMatchObject({ finished: true, cancelled: true })
    const { produced } = await c.request('probe/produced', { key: k })
    expect(produced).toBeLessThan(10 + 8 + 1)
    expect(c.stats().openStreams).toBe(0)
  })

  it('ends the stream with the producer error when the producer gives up', async () => {
    const c = client()
    const got: number[] = []
    const error = await (async () => {
      for await (const { n } of c.stream('numbers/count', { key: key(), to: 50, failAt: 5 }))
        got.push(n)
    })().catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ConflictError)
    expect(got).toEqual([0, 1, 2, 3, 4])
  })

  it('cancels a stream through an AbortSignal', async () => {
    const c = client()
    const k = key()
    const controller = new AbortController()
    const error = await (async () => {
      for await (const { n } of c.stream(
        'numbers/count',
        { key: k, to: 1_000_000 },
        { signal: controller.signal },
      ))
        if (n === 3) controller.abort()
    })().catch((e: unknown) => e)
    expect(error).toBeInstanceOf(CancelledError)
    await expect
      .poll(() => c.request('probe/produced', { key: k }))
      .toMatchObject({ cancelled: true })
  })

  it('queues calls made before the other side exists and sends them once it says hello', async () => {
    const c = client({}, { lateServer: true })
    const call = c.request('math/add', { a: 20, b: 22 })
    const events: number[] = []
    c.on('thing/happened', ({ n }) => events.push(n))
    expect(c.connected).toBe(false)
    expect(c.stats().queued).toBe(1)
    await new Promise((r) => setTimeout(r, 0))
    c.serve()
    await expect(call).resolves.toEqual({ sum: 42 })
    expect(c.connected).toBe(true)
    expect(c.stats().queued).toBe(0)
  })

  it('fails queued calls with a clear error when the other side never comes', async () => {
    const c = client({}, { lateServer: true })
    const call = c.request('math/add', { a: 1, b: 1 }, { timeoutMs: 1000 })
    clock.advance(1000)
    const error = (await call.catch((e: unknown) => e)) as TimeoutError
    expect(error).toBeInstanceOf(TimeoutError)
    expect(error.message).toContain('never became ready')
    expect(error.details).toMatchObject({ phase: 'connect' })
    expect(c.stats().pendingRequests).toBe(0)
  })

  it('answers pings and reports round trips', async () => {
    const c = client()
    await expect(c.ping(1000)).resolves.toBeGreaterThanOrEqual(0)
  })
})
