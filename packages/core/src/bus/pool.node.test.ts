/**
 * Worker pool over real worker_threads: tasks run in parallel, a crashing worker and a
 * hung worker are replaced and their task fails with a clear error, a wedged idle
 * worker is found by the health check, and the pool keeps serving throughout. Pool
 * timers run on a manual clock: hangs are detected when the test advances it.
 */
import { Worker } from 'node:worker_threads'
import { afterEach, describe, expect, it } from 'vitest'
import { CancelledError, RateLimitedError, TimeoutError, UnavailableError } from '../errors.ts'
import { createWorkerPool, type PoolWorker, type WorkerPool } from './pool.ts'
import { poolContract } from './testing/pool-contract.ts'
import { createManualClock, type ManualClock } from './testing/manual-clock.ts'
import { nodePortTransport } from './transport.ts'

type Contract = typeof poolContract

/** The structural adapter a Node host would write for `worker_threads`. */
function spawnThread(): PoolWorker {
  const worker = new Worker(new URL('./testing/pool-worker.mjs', import.meta.url))
  // An uncaught error in the thread is followed by 'exit'; without a listener it would throw here.
  worker.on('error', () => undefined)
  return {
    transport: nodePortTransport(worker, { closePort: false }),
    terminate: () => worker.terminate(),
    onExit(listener) {
      worker.on('exit', listener)
      return () => worker.off('exit', listener)
    },
  }
}

describe('worker pool (worker_threads)', { timeout: 20_000 }, () => {
  let pool: WorkerPool<Contract> | undefined
  let clock: ManualClock
  const start = (size: number, init: { maxQueue?: number } = {}) => {
    clock = createManualClock()
    pool = createWorkerPool(
      poolContract,
      { spawn: spawnThread, clock },
      {
        name: 'test',
        size,
        taskTimeoutMs: 60_000,
        healthCheckIntervalMs: 5000,
        healthTimeoutMs: 1000,
        ...init,
      },
    )
    return pool
  }
  afterEach(() => {
    pool?.close()
    pool = undefined
  })

  it('runs tasks on several workers in parallel', async () => {
    const p = start(2)
    const answers = await Promise.all(
      ['a', 'b', 'c', 'd'].map((text) => p.request('task/echo', { text })),
    )
    expect(answers.map((a) => a.text)).toEqual(['a', 'b', 'c', 'd'])
    expect(new Set(answers.map((a) => a.thread)).size).toBe(2)
    expect(p.stats()).toMatchObject({
      size: 2,
      busy: 0,
      queued: 0,
      completed: 4,
      failed: 0,
      restarts: 0,
    })
  })

  it('fails the task of a crashed worker with a clear error, restarts it, and keeps serving', async () => {
    const p = start(2)
    const error = (await p.request('task/crash', {}).catch((e: unknown) => e)) as UnavailableError
    expect(error).toBeInstanceOf(UnavailableError)
    expect(error.message).toMatch(/crashed \(exit code 3\) while running 'task\/crash'/)
    expect(p.stats().restarts).toBe(1)
    const after = await Promise.all([1, 2, 3].map((n) => p.request('task/echo', { text: `t${n}` })))
    expect(after.map((a) => a.text)).toEqual(['t1', 't2', 't3'])
  })

  it('times out a hung task, replaces the hung worker, and keeps serving', async () => {
    const p = start(1)
    await p.request('task/echo', { text: 'warm' })
    const hung = p.request('task/hang', {}, { timeoutMs: 2000 })
    const queued = p.request('task/echo', { text: 'after the hang' })
    expect(p.stats()).toMatchObject({ busy: 1, queued: 1 })
    clock.advance(2000)
    const error = (await hung.catch((e: unknown) => e)) as TimeoutError
    expect(error).toBeInstanceOf(TimeoutError)
    expect(error.message).toContain('its worker was restarted')
    await expect(queued).resolves.toMatchObject({ text: 'after the hang' })
    expect(p.stats()).toMatchObject({ restarts: 1, failed: 1 })
  })

  it('replaces an idle worker that stops answering health checks', async () => {
    const p = start(1)
    await expect(p.request('task/wedge', {})).resolves.toMatchObject({ text: 'wedged' })
    clock.advance(5000) // health check: ping
    expect(p.stats().healthChecks).toBe(1)
    clock.advance(1000) // no pong in time
    await expect.poll(() => p.stats().restarts).toBe(1)
    await expect(p.request('task/echo', { text: 'fresh' })).resolves.toMatchObject({
      text: 'fresh',
    })
  })

  it('bounds its queue and cancels queued tasks', async () => {
    const p = start(1, { maxQueue: 1 })
    const running = p.request('task/echo', { text: 'first' })
    const controller = new AbortController()
    const queued = p.request('task/echo', { text: 'second' }, { signal: controller.signal })
    await expect(p.request('task/echo', { text: 'third' })).rejects.toBeInstanceOf(RateLimitedError)
    controller.abort()
    await expect(queued).rejects.toBeInstanceOf(CancelledError)
    await expect(running).resolves.toMatchObject({ text: 'first' })
    p.close()
    await expect(p.request('task/echo', { text: 'late' })).rejects.toBeInstanceOf(CancelledError)
  })
})
