/**
 * A clock that moves only when told (tests): `advance` fires due timers in order with
 * `now()` set to each timer's due time; `jump` moves time first and fires late, as a
 * blocked event loop would.
 */
import type { Clock } from '../../ports.ts'

/** A {@link Clock} under the test's control. */
export interface ManualClock extends Clock {
  advance(ms: number): void
  jump(ms: number): void
  /** Timers scheduled and not yet fired or cleared. */
  readonly pending: number
}

/** Creates a manual clock starting at `start` ms. */
export function createManualClock(start = 1_000_000): ManualClock {
  let t = start
  let seq = 0
  const timers = new Map<number, { at: number; fn: () => void }>()
  const fireDue = (end: number, exact: boolean) => {
    for (;;) {
      let nextId = -1
      let nextAt = Infinity
      for (const [id, timer] of timers)
        if (timer.at <= end && timer.at < nextAt) {
          nextId = id
          nextAt = timer.at
        }
      if (nextId < 0) return
      const timer = timers.get(nextId) as { at: number; fn: () => void }
      timers.delete(nextId)
      if (exact) t = Math.max(t, nextAt)
      timer.fn()
    }
  }
  return {
    now: () => t,
    setTimeout(fn, ms) {
      const id = ++seq
      timers.set(id, { at: t + Math.max(0, ms), fn })
      return id
    },
    clearTimeout(handle) {
      timers.delete(handle as number)
    },
    advance(ms) {
      const end = t + ms
      fireDue(end, true)
      t = end
    },
    jump(ms) {
      t += ms
      fireDue(t, false)
    },
    get pending() {
      return timers.size
    },
  }
}
