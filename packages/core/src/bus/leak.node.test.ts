/**
 * Leak test: 10,000 subscribe/unsubscribe and request cycles (and streams opened and
 * cancelled) leave no listener, pending call, handler, stream or timer behind, and the
 * heap grows by less than 8 MiB over the run (≈ 800 bytes a cycle, far below what one
 * retained closure, promise and payload per cycle would cost).
 */
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { describe, expect, it } from 'vitest'
import { fixtureContract, serveFixture } from './testing/fixture.ts'
import { createManualClock } from './testing/manual-clock.ts'
import { createEndpoint } from './endpoint.ts'
import { createTransportPair } from './transport.ts'

setFlagsFromString('--expose-gc')
const gc = runInNewContext('gc') as () => void

const HEAP_BOUND_BYTES = 8 * 1024 * 1024

describe('bus leak', () => {
  it('returns every count to zero after 10,000 cycles, within a stated heap bound', async () => {
    const clock = createManualClock()
    const [a, b] = createTransportPair()
    const server = createEndpoint(fixtureContract, { transport: a, clock }, { name: 'server' })
    serveFixture(server)
    const client = createEndpoint(fixtureContract, { transport: b, clock }, { name: 'client' })
    const cycle = async (i: number) => {
      const off = client.on('thing/happened', () => undefined)
      const owner = new AbortController()
      client.on('sync/updated', () => undefined, { signal: owner.signal })
      await client.request('math/add', { a: i, b: 1 })
      const controller = new AbortController()
      const slow = client.request('slow/wait', { key: `k${i % 10}` }, { signal: controller.signal })
      controller.abort()
      await slow.catch(() => undefined)
      if (i % 5 === 0) {
        for await (const { n } of client.stream('numbers/count', { key: 's', to: 1000 }))
          if (n === 2) break
      }
      off()
      owner.abort()
    }
    for (let i = 0; i < 500; i++) await cycle(i) // warm up: JIT, maps at their steady size
    gc()
    const before = process.memoryUsage().heapUsed
    for (let i = 0; i < 10_000; i++) await cycle(i)
    await new Promise((r) => setTimeout(r, 0))
    clock.advance(60_000) // lets the lingering deadline timer fire and find nothing
    gc()
    const grown = process.memoryUsage().heapUsed - before
    for (const endpoint of [client, server])
      expect(endpoint.stats()).toMatchObject({
        pendingRequests: 0,
        activeHandlers: 0,
        eventListeners: 0,
        openStreams: 0,
        queued: 0,
        timers: 0,
      })
    expect(clock.pending).toBe(0)
    expect(grown).toBeLessThan(HEAP_BOUND_BYTES)
    client.close()
    server.close()
  }, 60_000) // ≈ 2 s alone; the machine may be shared
})
