/**
 * Dial helpers: a timeout around any attempt, retries with capped exponential backoff and
 * full jitter, and a sleep that an AbortSignal or a "try now" can cut short.
 */
import { AppError, CancelledError, TimeoutError, isRetryable } from '@whatnext/core'

/** Backoff policy. */
export interface BackoffInit {
  /** First delay ceiling (ms). */
  initialMs?: number
  /** Largest delay (ms). */
  maxMs?: number
  /** Growth per attempt. */
  factor?: number
  /** Random source in [0, 1) for jitter. */
  random?: () => number
}

/**
 * Delay before retry `attempt` (0-based): uniformly random in `[ceiling/2, ceiling]` where
 * `ceiling = min(maxMs, initialMs · factor^attempt)`; half jitter keeps peers that dropped
 * together from reconnecting together while keeping a floor.
 */
export function backoffDelay(attempt: number, init: BackoffInit = {}): number {
  const initial = init.initialMs ?? 250
  const max = init.maxMs ?? 30_000
  const factor = init.factor ?? 2
  const random = init.random ?? Math.random
  const ceiling = Math.min(max, initial * factor ** Math.max(0, attempt))
  return Math.round(ceiling / 2 + (random() * ceiling) / 2)
}

/** Runs `fn` with a signal that aborts after `ms` (or when `signal` aborts). */
export async function withTimeout<T>(
  fn: (signal: AbortSignal) => Promise<T>,
  ms: number,
  signal?: AbortSignal,
  what = 'Operation',
): Promise<T> {
  const controller = new AbortController()
  const onAbort = () => controller.abort(signal?.reason)
  signal?.addEventListener('abort', onAbort, { once: true })
  let timer: ReturnType<typeof setTimeout> | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const error = new TimeoutError(`${what} timed out after ${ms} ms`)
      controller.abort(error)
      reject(error)
    }, ms)
  })
  try {
    return await Promise.race([fn(controller.signal), timeout])
  } finally {
    clearTimeout(timer)
    signal?.removeEventListener('abort', onAbort)
  }
}

/** Options of {@link retry}. */
export interface RetryInit extends BackoffInit {
  /** Attempts in all (default 3). */
  attempts?: number
  /** Timeout of each attempt (ms, default 10 s). */
  timeoutMs?: number
  signal?: AbortSignal
  /** Whether an error is worth another attempt (default: timeouts, retryable AppErrors and non-AppErrors). */
  shouldRetry?: (error: unknown) => boolean
  what?: string
}

/** Calls `fn` until it succeeds, with a timeout per attempt and backoff in between. */
export async function retry<T>(
  fn: (signal: AbortSignal) => Promise<T>,
  init: RetryInit = {},
): Promise<T> {
  const attempts = Math.max(1, init.attempts ?? 3)
  const shouldRetry =
    init.shouldRetry ??
    ((error: unknown) => (error instanceof AppError ? isRetryable(error) : true))
  let last: unknown
  for (let attempt = 0; attempt < attempts; attempt++) {
    init.signal?.throwIfAborted()
    try {
      return await withTimeout(fn, init.timeoutMs ?? 10_000, init.signal, init.what)
    } catch (error) {
      last = error
      if (init.signal?.aborted) throw new CancelledError('Cancelled')
      if (attempt === attempts - 1 || !shouldRetry(error)) break
      await sleep(backoffDelay(attempt, init), init.signal)
    }
  }
  throw last
}

/** Waits `ms`; resolves early when `wake` is called; rejects with CancelledError on abort. */
export function sleep(
  ms: number,
  signal?: AbortSignal,
  wake?: { wake?: () => void },
): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(new CancelledError('Cancelled'))
      return
    }
    const done = () => {
      clearTimeout(timer)
      signal?.removeEventListener('abort', onAbort)
      if (wake) wake.wake = undefined
      resolve()
    }
    const onAbort = () => {
      clearTimeout(timer)
      if (wake) wake.wake = undefined
      reject(new CancelledError('Cancelled'))
    }
    const timer = setTimeout(done, ms)
    signal?.addEventListener('abort', onAbort, { once: true })
    if (wake) wake.wake = done
  })
}
