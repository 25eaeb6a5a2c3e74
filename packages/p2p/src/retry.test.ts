import { PermissionError, TimeoutError } from '@whatnext/core'
import { describe, expect, it } from 'vitest'
import { backoffDelay, retry, sleep, withTimeout } from './retry.ts'

describe('dial helpers', () => {
  it('grows the backoff exponentially, capped, within half jitter', () => {
    for (let attempt = 0; attempt < 12; attempt++) {
      const ceiling = Math.min(1000, 100 * 2 ** attempt)
      const low = backoffDelay(attempt, { initialMs: 100, maxMs: 1000, random: () => 0 })
      const high = backoffDelay(attempt, { initialMs: 100, maxMs: 1000, random: () => 0.999999 })
      expect(low).toBe(Math.round(ceiling / 2))
      expect(high).toBeLessThanOrEqual(ceiling)
    }
  })

  it('times out an attempt that hangs and aborts its signal', async () => {
    let aborted = false
    const hang = (signal: AbortSignal) =>
      new Promise<never>(() => signal.addEventListener('abort', () => (aborted = true)))
    await expect(withTimeout(hang, 20, undefined, 'Dial')).rejects.toBeInstanceOf(TimeoutError)
    expect(aborted).toBe(true)
  })

  it('retries failures until one succeeds', async () => {
    let calls = 0
    const result = await retry(
      async () => {
        if (++calls < 3) throw new Error('flaky')
        return 'ok'
      },
      { attempts: 5, initialMs: 1, maxMs: 2 },
    )
    expect(result).toBe('ok')
    expect(calls).toBe(3)
  })

  it('does not retry a refusal', async () => {
    let calls = 0
    await expect(
      retry(
        async () => {
          calls++
          throw new PermissionError('no')
        },
        { attempts: 5, initialMs: 1 },
      ),
    ).rejects.toBeInstanceOf(PermissionError)
    expect(calls).toBe(1)
  })

  it('wakes a sleep early', async () => {
    const waker: { wake?: () => void } = {}
    const started = Date.now()
    const done = sleep(10_000, undefined, waker)
    waker.wake?.()
    await done
    expect(Date.now() - started).toBeLessThan(5000)
  })
})
