/** Backoff for idempotent requests: exponential, capped, with full jitter. */
import type { RetryPolicy } from './contract.ts'

/** Defaults of {@link RetryPolicy}. */
export const DEFAULT_RETRY: Required<RetryPolicy> = {
  attempts: 3,
  baseDelayMs: 100,
  maxDelayMs: 2000,
}

/**
 * Delay before retry number `retry` (1 = the first retry): a uniformly random point in
 * `[0, min(max, base · 2^(retry-1))]` ("full jitter", so many callers that failed
 * together do not retry together), but never less than the server's `retryAfterMs`.
 */
export function backoffDelay(
  retry: number,
  policy: RetryPolicy,
  random: () => number,
  retryAfterMs = 0,
): number {
  const base = policy.baseDelayMs ?? DEFAULT_RETRY.baseDelayMs
  const max = policy.maxDelayMs ?? DEFAULT_RETRY.maxDelayMs
  const ceiling = Math.min(max, base * 2 ** Math.max(0, retry - 1))
  return Math.max(retryAfterMs, Math.round(random() * ceiling))
}
