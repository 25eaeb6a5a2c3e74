/**
 * A disposables registry (VS Code's `DisposableStore`): whatever a tab, window or
 * session sets up — listeners, ports, endpoints, timers — is added here, and one
 * `dispose()` when it ends cleans it all, newest first. Nothing leaks because someone
 * forgot one `removeEventListener`.
 */
import type { Clock, Logger } from '../ports.ts'
import { silentLogger } from '../ports.ts'

/** Something that can be cleaned up once. */
export interface Disposable {
  dispose(): void
}

/** A disposable or a plain cleanup function. */
export type DisposableLike = Disposable | (() => void)

/** Wraps a cleanup function; calling `dispose` twice runs it once. */
export function toDisposable(fn: () => void): Disposable {
  let done = false
  return {
    dispose() {
      if (done) return
      done = true
      fn()
    },
  }
}

/** Structural `addEventListener` target (DOM, Worker, MessagePort, AbortSignal…). */
export interface EventTargetLike<E> {
  addEventListener(type: string, listener: (event: E) => void): void
  removeEventListener(type: string, listener: (event: E) => void): void
}

/** A set of disposables that ends together. */
export interface DisposableStore extends Disposable {
  /** Adds `item`; if the store is already disposed, disposes it at once. */
  add<T extends DisposableLike>(item: T): T
  /** Disposes `item` now and forgets it. */
  delete(item: DisposableLike): void
  /** A timer that is cleared on dispose and forgotten once it fires. */
  setTimeout(clock: Clock, fn: () => void, ms: number): Disposable
  /** Adds a listener that is removed on dispose. */
  listen<E>(target: EventTargetLike<E>, type: string, listener: (event: E) => void): Disposable
  /** A store disposed with this one (and removable from it on its own). */
  child(): DisposableStore
  readonly size: number
  readonly disposed: boolean
}

/** Creates a store; errors thrown by disposables are logged, never stop the others. */
export function createDisposableStore(logger: Logger = silentLogger): DisposableStore {
  const items = new Set<DisposableLike>()
  let disposed = false
  const run = (item: DisposableLike) => {
    try {
      if (typeof item === 'function') item()
      else item.dispose()
    } catch (error) {
      logger.error('dispose failed', { error: String(error) })
    }
  }
  const store: DisposableStore = {
    add(item) {
      if (disposed) run(item)
      else items.add(item)
      return item
    },
    delete(item) {
      if (items.delete(item)) run(item)
    },
    setTimeout(clock, fn, ms) {
      const handle = clock.setTimeout(() => {
        items.delete(timer)
        fn()
      }, ms)
      const timer = toDisposable(() => clock.clearTimeout(handle))
      return store.add(timer)
    },
    listen(target, type, listener) {
      target.addEventListener(type, listener)
      return store.add(toDisposable(() => target.removeEventListener(type, listener)))
    },
    child() {
      const inner = createDisposableStore(logger)
      const link = toDisposable(() => inner.dispose())
      store.add(link)
      const dispose = inner.dispose
      inner.dispose = () => {
        items.delete(link)
        dispose()
      }
      return inner
    },
    get size() {
      return items.size
    },
    get disposed() {
      return disposed
    },
    dispose() {
      if (disposed) return
      disposed = true
      const all = [...items].reverse()
      items.clear()
      for (const item of all) run(item)
    },
  }
  return store
}
