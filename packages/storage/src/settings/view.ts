/**
 * A settings store served to another context. The context that owns the store (the web
 * engine's worker: IndexedDB, secrets, migrations, history, other tabs) serves it; a
 * page holds a view that answers `get` from a local copy and sends every change to the
 * owner, so the page carries none of the store's code and does none of its work on the
 * main thread.
 *
 * The owner sends a snapshot after every change, made here or anywhere else. Snapshots
 * carry a revision; a view keeps the newest, so a reply and an event that cross cannot
 * take it back in time. A snapshot and a pending change reach the copy as changes, the
 * store's own (`diff`, `applyChanges`, `patchChanges`): values keep their identity until
 * they change, as `useSyncExternalStore` needs.
 *
 * This module imports nothing of the store itself at run time (a page loads it).
 */
import type { EngineContract, Endpoint } from '@whatnext/core/client'
import { MigrationError } from './errors.ts'
import {
  applyChanges,
  deepFreeze,
  diff,
  getAt,
  patchChanges,
  splitPath,
  type DeepPartial,
  type JsonObject,
  type PathValue,
  type SettingsChange,
  type SettingsPath,
} from './paths.ts'
import { isSaved, type SettingsBackend } from './state.ts'
import type { SettingsHistoryEntry, SettingsOpenReport, SettingsStore } from './store.ts'

/** The store as the owner last saw it. */
export interface SettingsSnapshot {
  /** Grows with every snapshot the owner takes; a view ignores one older than its own. */
  revision: number
  store: JsonObject
  version: number
  historyStart: number
  history: SettingsHistoryEntry[]
  /** `export()` of the store: secrets redacted. */
  exported: { version: number; data: JsonObject }
}

/** What opening the store found, as it crosses a boundary (errors as plain data). */
export interface SettingsReportWire {
  issues: string[]
  recovered?: SettingsOpenReport['recovered']
  migrated?: SettingsOpenReport['migrated']
  migrationError?: { message: string; details: unknown }
}

/** A change a view asks of the owner. */
export type SettingsOp =
  | { op: 'set'; path: string; value: unknown }
  | { op: 'patch'; patch: JsonObject }
  | { op: 'delete'; path: string }
  | { op: 'reset'; paths: string[] }
  | { op: 'rollback'; at: number }
  | { op: 'flush' }

/** The owner's side of a view, whatever carries it (the bus, or a direct call in tests). */
export interface SettingsViewPort {
  open(): Promise<{ snapshot: SettingsSnapshot; report: SettingsReportWire }>
  /** Applies `op`; resolves with the snapshot after it, rejects as the store did. */
  update(op: SettingsOp): Promise<SettingsSnapshot>
  /** Whether the saved settings hold a value at `path` (a value not yet in this copy). */
  stored(path: string): Promise<boolean>
  onChanged(listener: (snapshot: SettingsSnapshot) => void): () => void
}

/** A store seen through a {@link SettingsViewPort}. */
export interface SettingsView<T extends JsonObject> extends SettingsStore<T> {
  /** Whether the saved settings (not just this copy) hold a value at `path`. */
  stored(path: SettingsPath<T>): Promise<boolean>
}

/** Serves `store`, kept on `backend`, through a port. */
export function serveSettingsStore<T extends JsonObject>(
  store: SettingsStore<T>,
  backend: Pick<SettingsBackend, 'load'>,
): SettingsViewPort & { close(): void } {
  // Snapshots are numbered as they are taken: a later one shows a later state.
  let revision = 0
  const listeners = new Set<(snapshot: SettingsSnapshot) => void>()
  const snapshot = (): SettingsSnapshot => ({
    revision: ++revision,
    store: store.store,
    version: store.version,
    historyStart: store.historyStart,
    history: store.history(),
    exported: store.export(),
  })
  const stop = store.onDidAnyChange(() => {
    if (listeners.size === 0) return
    const next = snapshot()
    for (const listener of listeners) listener(next)
  })
  // Typed paths are for callers that know T; the port carries plain strings.
  const untyped = store as unknown as SettingsStore<JsonObject> & {
    set(path: string, value: unknown): Promise<void>
  }
  const run = (op: SettingsOp): Promise<void> => {
    switch (op.op) {
      case 'set':
        return untyped.set(op.path, op.value)
      case 'patch':
        return untyped.set(op.patch)
      case 'delete':
        return untyped.delete(op.path as never)
      case 'reset':
        return untyped.reset(...(op.paths as never[]))
      case 'rollback':
        return store.rollback(op.at)
      case 'flush':
        return store.flush()
    }
  }
  // Errors cross as plain data.
  const { migrationError, ...report } = store.report
  const wireReport: SettingsReportWire = migrationError
    ? {
        ...report,
        migrationError: { message: migrationError.message, details: migrationError.details },
      }
    : report
  return {
    async open() {
      return { snapshot: snapshot(), report: wireReport }
    },
    async update(op) {
      await run(op)
      return snapshot()
    },
    stored: (path) => isSaved(backend, splitPath(path)),
    onChanged(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    close() {
      stop()
      listeners.clear()
    },
  }
}

/** The changes `op` makes to `root`, as the store makes them (if it accepts them). */
function changesOf(root: JsonObject, op: SettingsOp): SettingsChange[] {
  if (op.op === 'set') return [{ path: splitPath(op.path), after: op.value }]
  if (op.op === 'patch') return patchChanges(root, op.patch)
  return []
}

/** Opens a view of the store behind `port`. */
export async function openSettingsView<T extends JsonObject>(
  port: SettingsViewPort,
): Promise<SettingsView<T>> {
  const pathListeners = new Set<{ path: string[]; listener: (v: unknown, p: unknown) => void }>()
  const anyListeners = new Set<(store: T, previous: T) => void>()
  // What the owner last said, and the changes of this view it has not answered yet: the
  // view shows the one with the others applied, so a change shows at once (as the store
  // itself applies it before it resolves), a refused one is undone, and a change made
  // elsewhere meanwhile does not hide it.
  let confirmed: SettingsSnapshot | null = null
  const pending: SettingsOp[] = []
  let shown: JsonObject | undefined
  const show = () => {
    if (!confirmed) return
    let next = confirmed.store
    for (const op of pending) next = applyChanges(next, changesOf(next, op))
    const previous = shown
    // What did not change keeps its identity.
    const store = deepFreeze(previous ? applyChanges(previous, diff(previous, next)) : next)
    shown = store
    if (previous === undefined || store === previous) return
    for (const listener of [...anyListeners]) listener(store as T, previous as T)
    for (const entry of [...pathListeners]) {
      const before = getAt(previous, entry.path)
      const after = getAt(store, entry.path)
      if (before !== after) entry.listener(after, before)
    }
  }
  /** Keeps `snapshot` if it is newer than what the owner said before, then shows. */
  const apply = (snapshot: SettingsSnapshot) => {
    if (!confirmed || snapshot.revision > confirmed.revision) confirmed = snapshot
    show()
  }
  let closed = false
  const stop = port.onChanged((snapshot) => {
    if (!closed) apply(snapshot)
  })
  const opened = await port.open().catch((error: unknown) => {
    stop()
    throw error
  })
  apply(opened.snapshot)
  const now = () => confirmed as SettingsSnapshot
  const update = async (op: SettingsOp) => {
    if (closed) throw new Error('The settings view is closed')
    // A path the store would refuse (one that could reach a prototype) is refused here,
    // before it is shown.
    changesOf(shown as JsonObject, op)
    const optimistic = op.op === 'set' || op.op === 'patch'
    if (optimistic) {
      pending.push(op)
      show()
    }
    try {
      const snapshot = await port.update(op)
      if (optimistic) pending.splice(pending.indexOf(op), 1)
      apply(snapshot)
    } catch (error) {
      if (optimistic) {
        pending.splice(pending.indexOf(op), 1)
        show()
      }
      throw error
    }
  }
  const { migrationError, ...opening } = opened.report
  const report: SettingsOpenReport = migrationError
    ? {
        ...opening,
        migrationError: new MigrationError(
          migrationError.message,
          migrationError.details as ConstructorParameters<typeof MigrationError>[1],
        ),
      }
    : opening
  const view: SettingsView<T> = {
    get store() {
      return shown as T
    },
    get version() {
      return now().version
    },
    report,
    get<P extends SettingsPath<T>>(path: P) {
      return getAt(shown, splitPath(path)) as PathValue<T, P>
    },
    has(path) {
      return getAt(shown, splitPath(path)) !== undefined
    },
    set(pathOrPatch: string | DeepPartial<T>, value?: unknown) {
      return typeof pathOrPatch === 'string'
        ? update({ op: 'set', path: pathOrPatch, value })
        : update({ op: 'patch', patch: pathOrPatch as JsonObject })
    },
    delete: (path) => update({ op: 'delete', path }),
    reset: (...paths) => update({ op: 'reset', paths }),
    onDidChange(path, listener) {
      const entry = {
        path: splitPath(path),
        listener: listener as (v: unknown, p: unknown) => void,
      }
      pathListeners.add(entry)
      return () => pathListeners.delete(entry)
    },
    onDidAnyChange(listener) {
      anyListeners.add(listener)
      return () => anyListeners.delete(listener)
    },
    history: () => now().history,
    get historyStart() {
      return now().historyStart
    },
    rollback: (at) => update({ op: 'rollback', at }),
    export: () => now().exported,
    flush: () => update({ op: 'flush' }),
    async close() {
      if (closed) return
      await update({ op: 'flush' }).catch(() => undefined)
      closed = true
      stop()
      pathListeners.clear()
      anyListeners.clear()
    },
    stored: (path) => port.stored(path),
  }
  return view
}

/** The engine channels a view speaks (see `settingsView/*` in the engine contract). */
export type SettingsViewContract = Pick<
  EngineContract,
  'settingsView/open' | 'settingsView/update' | 'settingsView/stored' | 'settingsView/changed'
>

/** The owner's port over the bus (the page's side). */
export function settingsViewPortOverBus(
  endpoint: Endpoint<SettingsViewContract>,
): SettingsViewPort {
  return {
    // The contract checks shapes; what the owner sends back is its own store's state.
    open: () =>
      endpoint.request('settingsView/open', {}) as Promise<
        Awaited<ReturnType<SettingsViewPort['open']>>
      >,
    update: (op) => endpoint.request('settingsView/update', op) as Promise<SettingsSnapshot>,
    stored: async (path) => (await endpoint.request('settingsView/stored', { path })).stored,
    onChanged: (listener) =>
      endpoint.on('settingsView/changed', (snapshot) => listener(snapshot as SettingsSnapshot)),
  }
}

/** Serves `port` on the owner's endpoint; returns what stops sending changes. */
export function serveSettingsViewOverBus(
  port: SettingsViewPort,
  endpoint: Endpoint<SettingsViewContract>,
): () => void {
  endpoint.handle('settingsView/open', () => port.open())
  endpoint.handle('settingsView/update', (op) => port.update(op))
  endpoint.handle('settingsView/stored', async ({ path }) => ({ stored: await port.stored(path) }))
  return port.onChanged((snapshot) => endpoint.emit('settingsView/changed', snapshot))
}
