/**
 * The bus's smaller parts on their own: wire check and size measure, token buckets,
 * backoff, disposables, the log ring, the monitor, the diagnostics bundle and the
 * EventEmitter-style transport adapters (child process, Electron).
 */
import { EventEmitter } from 'node:events'
import { describe, expect, it, vi } from 'vitest'
import { z } from 'zod'
import { RateLimitedError, UnavailableError, deserializeError, serializeError } from '../errors.ts'
import { defineContract, request } from './contract.ts'
import { buildDiagnosticsBundle } from './diagnostics-bundle.ts'
import { diagnosticsChannels, receiveLogs, serveDiagnostics } from './diagnostics.ts'
import { createDisposableStore, toDisposable } from './disposables.ts'
import { createEndpoint } from './endpoint.ts'
import { createLogRing } from './log-ring.ts'
import { createPerformanceMonitor } from './monitor.ts'
import { createRateLimiter } from './rate-limit.ts'
import { backoffDelay } from './retry.ts'
import { createManualClock } from './testing/manual-clock.ts'
import {
  childProcessTransport,
  createTransportPair,
  electronIpcTransport,
  electronPortTransport,
  type Transport,
} from './transport.ts'
import { TOO_DEEP, TOO_LARGE, measure, parseEnvelope } from './wire.ts'

describe('wire', () => {
  it('accepts exactly the envelopes the bus sends', () => {
    expect(parseEnvelope({ k: 'req', id: 1, ch: 'a/b', p: undefined })).toBeDefined()
    expect(parseEnvelope({ k: 'evb', ch: 'a/b', ps: [1, 2] })).toBeDefined()
    expect(parseEnvelope({ k: 'scredit', id: 3, c: 4 })).toBeDefined()
    for (const bad of [
      null,
      7,
      [],
      { k: 'req', id: 1, ch: 'a/b' }, // no payload key
      { k: 'req', id: -1, ch: 'a/b', p: 1 },
      { k: 'req', id: 1.5, ch: 'a/b', p: 1 },
      { k: 'req', id: 1, ch: '', p: 1 },
      { k: 'req', id: 1, ch: 'x'.repeat(129), p: 1 },
      { k: 'req', id: 1, ch: 'a/b', p: 1, s: 5 },
      { k: 'err', id: 1, e: { name: 'X' } },
      { k: 'evb', ch: 'a/b', ps: [] },
      { k: 'scredit', id: 1, c: 0 },
      { k: 'unknown' },
    ])
      expect(parseEnvelope(bad)).toBeUndefined()
  })

  it('measures payloads and stops at size, depth and cycles', () => {
    expect(measure({ a: 'xy' }, 1000)).toBe(8 + 2 + 4)
    expect(measure(new Uint8Array(100), 1000)).toBe(100)
    expect(measure('x'.repeat(600), 2000)).toBe(1200)
    expect(measure('x'.repeat(600), 1000)).toBe(TOO_LARGE)
    expect(measure({ s: 'x'.repeat(600) }, 1000)).toBe(TOO_LARGE)
    let deep: unknown = 1
    for (let i = 0; i < 100; i++) deep = [deep]
    expect(measure(deep, 1e9)).toBe(TOO_DEEP)
    const cyclic: Record<string, unknown> = {}
    cyclic.self = cyclic
    expect(measure(cyclic, 1e9)).toBe(TOO_DEEP)
  })
})

describe('token bucket', () => {
  it('allows a burst, refuses with retryAfterMs, and refills with time, per key', () => {
    const clock = createManualClock()
    const limiter = createRateLimiter(clock.now)
    const policy = { perSecond: 2, burst: 3 }
    for (let i = 0; i < 3; i++) expect(limiter.take('a', policy)).toEqual({ ok: true })
    expect(limiter.take('a', policy)).toEqual({ ok: false, retryAfterMs: 500 })
    expect(limiter.take('b', policy)).toEqual({ ok: true })
    clock.advance(499)
    expect(limiter.take('a', policy).ok).toBe(false)
    clock.advance(1)
    expect(limiter.take('a', policy)).toEqual({ ok: true })
  })

  it('keeps a bounded number of buckets', () => {
    const limiter = createRateLimiter(() => 0, 10)
    for (let i = 0; i < 100; i++) limiter.take(`k${i}`, { perSecond: 1, burst: 1 })
    expect(limiter.size).toBe(10)
  })
})

describe('backoff', () => {
  it('grows exponentially, is capped, jittered, and honours retryAfterMs', () => {
    const policy = { baseDelayMs: 100, maxDelayMs: 1000 }
    expect(backoffDelay(1, policy, () => 1 - 1e-9)).toBe(100)
    expect(backoffDelay(3, policy, () => 1 - 1e-9)).toBe(400)
    expect(backoffDelay(10, policy, () => 1 - 1e-9)).toBe(1000)
    expect(backoffDelay(3, policy, () => 0)).toBe(0)
    expect(backoffDelay(1, policy, () => 0.5, 700)).toBe(700)
  })
})

describe('errors', () => {
  it('round-trips UnavailableError and exposes retryAfterMs', () => {
    const back = deserializeError(serializeError(new UnavailableError('gone')))
    expect(back).toBeInstanceOf(UnavailableError)
    expect(back.retryable).toBe(true)
    expect(new RateLimitedError('x', { retryAfterMs: 250 }).retryAfterMs).toBe(250)
    expect(
      deserializeError({ name: '__proto__', code: 'X', message: 'm', retryable: false }).code,
    ).toBe('X')
  })
})

describe('disposables', () => {
  it('disposes everything once, newest first, even when one throws', () => {
    const order: string[] = []
    const store = createDisposableStore()
    store.add(() => order.push('a'))
    store.add(
      toDisposable(() => {
        throw new Error('boom')
      }),
    )
    const child = store.child()
    child.add(() => order.push('child'))
    store.add({ dispose: () => order.push('c') })
    expect(store.size).toBe(4)
    store.dispose()
    store.dispose()
    expect(order).toEqual(['c', 'child', 'a'])
    store.add(() => order.push('late'))
    expect(order.at(-1)).toBe('late')
  })

  it('clears timers and listeners it owns', () => {
    const clock = createManualClock()
    const store = createDisposableStore()
    const fired = vi.fn()
    store.setTimeout(clock, fired, 100)
    const target = new EventTarget()
    const heard = vi.fn()
    store.listen(target, 'ping', heard)
    target.dispatchEvent(new Event('ping'))
    store.dispose()
    target.dispatchEvent(new Event('ping'))
    clock.advance(1000)
    expect(fired).not.toHaveBeenCalled()
    expect(heard).toHaveBeenCalledTimes(1)
    expect(clock.pending).toBe(0)
  })
})

describe('log ring', () => {
  it('keeps the newest entries, copies data small, and filters', () => {
    const clock = createManualClock()
    const ring = createLogRing({ clock }, { capacity: 3 })
    const log = ring.logger('ui')
    const big = { nested: { deeper: { deepest: { gone: 1 } } }, text: 'x'.repeat(5000) }
    log.debug('one')
    log.info('two', big)
    log.warn('three')
    log.error('four')
    expect(ring.entries().map((e) => e.message)).toEqual(['two', 'three', 'four'])
    expect(ring.dropped).toBe(1)
    expect(ring.entries({ level: 'warn' }).map((e) => e.message)).toEqual(['three', 'four'])
    const data = ring.entries()[0]?.data as { text: string; nested: { deeper: unknown } }
    expect(data.text.length).toBeLessThan(1100)
    expect(JSON.stringify(data)).not.toContain('gone')
  })

  it('gathers logs of another context over the bus, batched', async () => {
    const contract = defineContract({ ...diagnosticsChannels })
    const [a, b] = createTransportPair()
    const clock = createManualClock()
    const worker = createEndpoint(contract, { transport: a, clock }, { name: 'worker' })
    const ui = createEndpoint(contract, { transport: b, clock }, { name: 'ui' })
    const workerRing = createLogRing({ clock })
    const uiRing = createLogRing({ clock })
    serveDiagnostics(worker, { ring: workerRing })
    receiveLogs(ui, uiRing)
    await ui.ping() // both connected
    const log = workerRing.logger('engine')
    for (let i = 0; i < 30; i++) log.info(`step ${i}`)
    clock.advance(250)
    await expect.poll(() => uiRing.size).toBe(30)
    expect(uiRing.entries()[29]).toMatchObject({ context: 'engine', message: 'step 29' })
    const logged = ui.metrics().channels.find((c) => c.channel === 'diagnostics/logged')
    expect(logged?.eventMessages).toBe(1)
    const remote = await ui.request('diagnostics/snapshot', {})
    expect(remote.metrics.endpoint).toBe('worker')
    expect(remote.metrics.channels.find((c) => c.channel === 'diagnostics/logged')?.events).toBe(30)
    worker.close()
    ui.close()
  })
})

describe('performance monitor', () => {
  it('sees a growing heap, event-loop lag and long tasks, and warns in the log', () => {
    const clock = createManualClock()
    let used = 10_000_000
    const longTask = new Set<(ms: number) => void>()
    const warnings: string[] = []
    const logger = { debug() {}, info() {}, error() {}, warn: (m: string) => warnings.push(m) }
    const monitor = createPerformanceMonitor(
      {
        clock,
        logger,
        heap: { read: () => ({ usedBytes: used, limitBytes: 100_000_000 }) },
        longTasks: { subscribe: (l) => (longTask.add(l), () => longTask.delete(l)) },
      },
      { intervalMs: 1000, lagWarnMs: 100, historySize: 10 },
    )
    monitor.start()
    for (let i = 0; i < 10; i++) {
      used += 1_000_000 // 1 MB a second: 60 MB a minute
      clock.advance(1000)
    }
    let snap = monitor.snapshot()
    expect(snap.heap.trend).toBe('growing')
    expect(snap.heap.slopeBytesPerMin).toBeGreaterThan(50_000_000)
    expect(snap.lag.maxMs).toBe(0)
    clock.jump(1500) // the loop was blocked: the sampling timer fires 500 ms late
    for (const l of longTask) l(450)
    snap = monitor.snapshot()
    expect(snap.lag.maxMs).toBe(500)
    expect(snap.longTasks).toMatchObject({ count: 1, longestMs: 450 })
    expect(warnings).toEqual(
      expect.arrayContaining([
        'Heap keeps growing',
        'Event loop lagging',
        'Long task blocked the main thread',
      ]),
    )
    for (let i = 0; i < 20; i++) clock.advance(1000) // flat heap
    expect(monitor.snapshot().heap.trend).toBe('stable')
    monitor.dispose()
    expect(clock.pending).toBe(0)
    expect(longTask.size).toBe(0)
  })
})

describe('diagnostics bundle', () => {
  it('holds versions, metrics and logs, and no user data or secrets', () => {
    const clock = createManualClock()
    const ring = createLogRing({ clock })
    const log = ring.logger('engine')
    log.info(
      'join link opened https://whatnext.app/join#c2VjcmV0LWNhcGFiaWxpdHktdG9rZW4tMjU2LWJpdHM',
      {
        channel: 'playlist/create',
        title: 'My very private playlist',
        token: 'hunter2hunter2',
        count: 3,
        nested: { password: 'pw', email: 'me@example.com' },
      },
    )
    log.error('handler failed', {
      endpoint: 'engine',
      error: 'Playlist "Secret mixtape" not found',
    })
    // `name` is user content as often as not (playlist and file names): never kept.
    log.info('opened', { name: 'Secret mixtape', fileName: 'Secret mixtape.m3u' })
    const [a] = createTransportPair() as [Transport, Transport]
    const endpoint = createEndpoint(
      defineContract({ 'math/add': request(z.object({}), z.object({})) }),
      { transport: a, clock },
      { name: 'page' },
    )
    const bundle = buildDiagnosticsBundle({
      app: { name: 'WhatNext', version: '0.1.0' },
      versions: { zod: '4' },
      environment: { platform: 'web', authToken: 'abc' },
      metrics: [endpoint.metrics()],
      logs: ring.entries(),
      at: clock.now(),
    })
    const text = JSON.stringify(bundle)
    for (const secret of [
      'hunter2',
      'private playlist',
      'Secret mixtape',
      'me@example.com',
      'c2VjcmV0',
      '"pw"',
      'abc',
    ])
      expect(text).not.toContain(secret)
    expect(bundle).toMatchObject({
      format: 'whatnext-diagnostics',
      formatVersion: 1,
      app: { version: '0.1.0' },
    })
    expect(bundle.logs[0]?.data).toMatchObject({ channel: 'playlist/create', count: 3 })
    expect(bundle.metrics[0]?.channels[0]?.channel).toBe('math/add')
    endpoint.close()
  })
})

describe('EventEmitter-style transports', () => {
  const contract = defineContract({
    'math/add': request(z.object({ a: z.number() }), z.object({ a: z.number() })),
  })
  const roundTrip = async (left: Transport, right: Transport) => {
    const clock = createManualClock()
    const server = createEndpoint(contract, { transport: left, clock })
    server.handle('math/add', ({ a }) => ({ a: a + 1 }))
    const client = createEndpoint(contract, { transport: right, clock })
    await expect(client.request('math/add', { a: 1 })).resolves.toEqual({ a: 2 })
    client.close()
    server.close()
  }

  it('carries the bus over a child process IPC channel', async () => {
    const parent = new EventEmitter()
    const child = new EventEmitter()
    const wire = (from: EventEmitter, to: EventEmitter) =>
      Object.assign(from, {
        send: (m: unknown) => (setImmediate(() => to.emit('message', structuredClone(m))), true),
      })
    await roundTrip(
      childProcessTransport(wire(parent, child)),
      childProcessTransport(wire(child, parent)),
    )
    expect(parent.listenerCount('message')).toBe(0)
  })

  it('carries the bus over Electron ports and IPC', async () => {
    const port = (peer: () => EventEmitter) =>
      Object.assign(new EventEmitter(), {
        postMessage: (data: unknown) =>
          setImmediate(() => peer().emit('message', { data: structuredClone(data) })),
        start: vi.fn(),
      })
    const one: ReturnType<typeof port> = port(() => two)
    const two: ReturnType<typeof port> = port(() => one)
    await roundTrip(electronPortTransport(one), electronPortTransport(two))
    expect(one.start).toHaveBeenCalled()

    const main = new EventEmitter()
    const renderer = new EventEmitter()
    const ipc = (own: EventEmitter, peer: EventEmitter) => ({
      send: (channel: string, m: unknown) =>
        setImmediate(() => peer.emit(channel, {}, structuredClone(m))),
      on: (channel: string, l: (e: unknown, m: unknown) => void) => own.on(channel, l),
      removeListener: (channel: string, l: (e: unknown, m: unknown) => void) =>
        own.removeListener(channel, l),
    })
    await roundTrip(
      electronIpcTransport(ipc(main, renderer), 'bus'),
      electronIpcTransport(ipc(renderer, main), 'bus'),
    )
    expect(main.listenerCount('bus')).toBe(0)
  })
})
