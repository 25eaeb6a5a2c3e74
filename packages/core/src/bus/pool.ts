/**
 * A pool of workers for CPU-heavy work (parsing big imports, exports, merging large
 * documents). Each worker serves a contract over the bus; the pool hands each call to
 * an idle worker (one task per worker at a time, the rest queued), gives every task a
 * timeout, pings idle workers, and replaces a worker that crashed, hung or stopped
 * answering. The task that was running fails with a clear error; the pool goes on.
 *
 * Workers are structural ({@link PoolWorker}): the host wraps a Web Worker, a Node
 * `worker_threads` Worker or a child process.
 */
import {
  CancelledError,
  RateLimitedError,
  TimeoutError,
  UnavailableError,
  type AppError,
} from '../errors.ts'
import type { Clock, Logger } from '../ports.ts'
import { silentLogger } from '../ports.ts'
import type { Contract, RequestIn, RequestNames, ResponseOf } from './contract.ts'
import {
  createEndpoint,
  type Endpoint,
  type EndpointInit,
  type RequestOptions,
} from './endpoint.ts'
import type { Handlers } from './registry.ts'
import type { MetricsSnapshot } from './metrics.ts'
import type { Transport } from './transport.ts'

/** One worker as the pool sees it. */
export interface PoolWorker {
  /** The worker's port (see `messagePortTransport`, `nodePortTransport`). */
  transport: Transport
  /** Stops the worker, even one stuck in a loop. */
  terminate(): unknown
  /** Called once when the worker exits or crashes on its own. */
  onExit(listener: (code: number | undefined) => void): () => void
}

/** Dependencies of a pool. */
export interface WorkerPoolComponents {
  /** Starts one worker. */
  spawn: () => PoolWorker
  clock: Clock
  logger?: Logger
  now?: () => number
}

/** Options of a pool. */
export interface WorkerPoolInit {
  name?: string
  /** Workers (default 2). */
  size?: number
  /** Time a task may take before its worker is presumed hung and replaced (default 30 s). */
  taskTimeoutMs?: number
  /** Idle workers are pinged this often (default 5 s). */
  healthCheckIntervalMs?: number
  /** A ping unanswered this long means the worker is replaced (default 2 s). */
  healthTimeoutMs?: number
  /** Tasks waiting for a worker; beyond this, calls fail with `RateLimitedError` (default 1000). */
  maxQueue?: number
}

/** Counters of a pool. */
export interface PoolStats {
  size: number
  busy: number
  queued: number
  completed: number
  failed: number
  restarts: number
  healthChecks: number
}

/** A running pool. */
export interface WorkerPool<C extends Contract> {
  /** Runs one task on the next idle worker. */
  request<K extends RequestNames<C>>(
    channel: K,
    payload: RequestIn<C, K>,
    options?: Omit<RequestOptions, 'retry'>,
  ): Promise<ResponseOf<C, K>>
  stats(): PoolStats
  /** Bus metrics of every worker's endpoint. */
  metrics(): MetricsSnapshot[]
  /** Stops health checks, fails queued tasks and terminates every worker. */
  close(): void
}

interface Task {
  channel: string
  payload: unknown
  options: Omit<RequestOptions, 'retry'>
  resolve(value: unknown): void
  reject(error: unknown): void
  settled: boolean
  detach?: () => void
}

interface Slot {
  index: number
  worker: PoolWorker
  endpoint: Endpoint<Contract>
  task: Task | undefined
  offExit: () => void
  checking: boolean
}

/** Creates a pool of `init.size` workers serving `contract`. */
export function createWorkerPool<C extends Contract>(
  contract: C,
  components: WorkerPoolComponents,
  init: WorkerPoolInit = {},
): WorkerPool<C> {
  const { clock } = components
  const logger = components.logger ?? silentLogger
  const name = init.name ?? 'pool'
  const size = Math.max(1, init.size ?? 2)
  const taskTimeoutMs = init.taskTimeoutMs ?? 30_000
  const healthEvery = init.healthCheckIntervalMs ?? 5000
  const healthTimeout = init.healthTimeoutMs ?? 2000
  const maxQueue = init.maxQueue ?? 1000
  const slots: Slot[] = []
  const queue: Task[] = []
  const stats = { completed: 0, failed: 0, restarts: 0, healthChecks: 0 }
  let closed = false
  let healthTimer: unknown

  const finish = (task: Task, error: unknown, value?: unknown) => {
    if (task.settled) return
    task.settled = true
    task.detach?.()
    if (error === undefined) {
      stats.completed++
      task.resolve(value)
    } else {
      stats.failed++
      task.reject(error)
    }
  }

  const spawn = (index: number): Slot => {
    const worker = components.spawn()
    const endpoint = createEndpoint(
      contract,
      {
        transport: worker.transport,
        clock,
        logger,
        ...(components.now ? { now: components.now } : {}),
      },
      { name: `${name}#${index}` } satisfies EndpointInit,
    ) as unknown as Endpoint<Contract>
    const slot: Slot = {
      index,
      worker,
      endpoint,
      task: undefined,
      offExit: () => undefined,
      checking: false,
    }
    slot.offExit = worker.onExit((code) => {
      if (slots[index] !== slot) return
      const task = slot.task
      replace(
        slot,
        new UnavailableError(
          task
            ? `Worker ${name}#${index} crashed (exit code ${code ?? 'unknown'}) while running '${task.channel}'`
            : `Worker ${name}#${index} exited (code ${code ?? 'unknown'})`,
          { exitCode: code ?? null, ...(task ? { channel: task.channel } : {}) },
        ),
      )
    })
    return slot
  }

  /** Terminates `slot`'s worker, fails its task with `error`, and starts a new worker. */
  const replace = (slot: Slot, error: AppError) => {
    if (slots[slot.index] !== slot) return
    logger.warn('pool worker replaced', { endpoint: name, code: error.code, reason: error.name })
    slot.offExit()
    const task = slot.task
    slot.task = undefined
    slot.endpoint.close()
    try {
      slot.worker.terminate()
    } catch (e) {
      logger.warn('pool worker terminate failed', { endpoint: name, error: String(e) })
    }
    if (task) finish(task, error)
    if (closed) return
    stats.restarts++
    slots[slot.index] = spawn(slot.index)
    dispatch()
  }

  const run = (slot: Slot, task: Task) => {
    slot.task = task
    const timeoutMs = task.options.timeoutMs ?? taskTimeoutMs
    slot.endpoint
      .request(task.channel as never, task.payload as never, {
        ...task.options,
        timeoutMs,
        retry: false,
      })
      .then(
        (value) => {
          if (slot.task !== task) return
          slot.task = undefined
          finish(task, undefined, value)
          dispatch()
        },
        (error: unknown) => {
          if (slot.task !== task) return // the worker was replaced; the task already failed
          if (error instanceof TimeoutError) {
            replace(
              slot,
              new TimeoutError(
                `Task '${task.channel}' timed out after ${timeoutMs} ms; its worker was restarted`,
                { channel: task.channel, timeoutMs },
              ),
            )
            return
          }
          slot.task = undefined
          finish(task, error)
          dispatch()
        },
      )
  }

  const dispatch = () => {
    while (queue.length > 0) {
      const slot = slots.find((s) => s.task === undefined && !s.checking)
      if (!slot) return
      const task = queue.shift() as Task
      if (task.settled) continue
      run(slot, task)
    }
  }

  const healthCheck = () => {
    healthTimer = undefined
    if (closed) return
    for (const slot of slots) {
      if (slot.task || slot.checking) continue
      slot.checking = true
      stats.healthChecks++
      slot.endpoint.ping(healthTimeout).then(
        () => {
          slot.checking = false
          dispatch()
        },
        (error: unknown) => {
          slot.checking = false
          if (error instanceof TimeoutError)
            replace(slot, new UnavailableError(`Worker ${name}#${slot.index} stopped answering`))
          else dispatch()
        },
      )
    }
    healthTimer = clock.setTimeout(healthCheck, healthEvery)
  }

  for (let i = 0; i < size; i++) slots.push(spawn(i))
  healthTimer = clock.setTimeout(healthCheck, healthEvery)

  return {
    request(channel, payload, options = {}) {
      return new Promise((resolve, reject) => {
        if (closed) return reject(new CancelledError(`Pool ${name} is closed`))
        if (options.signal?.aborted) return reject(new CancelledError('Cancelled before running'))
        if (queue.length >= maxQueue)
          return reject(
            new RateLimitedError(`Pool ${name} has ${maxQueue} tasks waiting`, {
              retryAfterMs: 100,
            }),
          )
        const task: Task = {
          channel,
          payload,
          options,
          resolve: resolve as (v: unknown) => void,
          reject,
          settled: false,
        }
        const { signal } = options
        if (signal) {
          // Once running, the endpoint forwards the abort to the worker; while queued, it ends here.
          const onAbort = () => {
            if (queue.includes(task))
              finish(task, new CancelledError(`Task '${channel}' cancelled`))
          }
          signal.addEventListener('abort', onAbort, { once: true })
          task.detach = () => signal.removeEventListener('abort', onAbort)
        }
        queue.push(task)
        dispatch()
      })
    },
    stats() {
      return {
        size: slots.length,
        busy: slots.filter((s) => s.task).length,
        queued: queue.filter((t) => !t.settled).length,
        ...stats,
      }
    },
    metrics: () => slots.map((s) => s.endpoint.metrics()),
    close() {
      if (closed) return
      closed = true
      if (healthTimer !== undefined) clock.clearTimeout(healthTimer)
      const reason = new CancelledError(`Pool ${name} closed`)
      for (const task of queue.splice(0)) finish(task, reason)
      for (const slot of slots) {
        slot.offExit()
        if (slot.task) finish(slot.task, reason)
        slot.endpoint.close()
        slot.worker.terminate()
      }
    },
  }
}

/**
 * The worker side: serves `handlers` for `contract` over `transport` (the worker's own
 * port). Returns the endpoint.
 */
export function servePoolWorker<C extends Contract>(
  contract: C,
  transport: Transport,
  handlers: Handlers<C>,
  components: { clock: Clock; logger?: Logger },
): Endpoint<C> {
  const endpoint = createEndpoint(contract, { transport, ...components }, { name: 'pool-worker' })
  endpoint.handleAll(handlers)
  return endpoint
}
