/**
 * A settings backend in another process: desktop windows keep their settings in the
 * utility process's file backend (sandboxed windows have no file system). The serving
 * side is a hub over the real backend, one connection per window; the window side is a
 * backend whose commits are compare-and-set on the state's `seq`, retried on a conflict,
 * so `prepare` still always runs on the latest state.
 */
import type { Endpoint, SettingsWireContract } from '@whatnext/core/client'
import { ConflictError, StorageError } from '@whatnext/core/errors'
import type {
  BackendEvent,
  BackendLoad,
  SettingsBackend,
  SettingsCommit,
  SettingsState,
} from './state.ts'

/** What one connection to the hub offers (carried over the bus by the host). */
export interface SettingsRemote {
  load(): Promise<{
    state: SettingsState | null
    issues: string[]
    recovered: string | null
    hasBackup: boolean
  }>
  lastBackup(): Promise<SettingsState | null>
  /** Commits only if the latest state's `seq` is `expectedSeq`. */
  commitIf(
    expectedSeq: number,
    commit: SettingsCommit,
  ): Promise<{ conflict: boolean; state: SettingsState | null }>
  backup(label: string): Promise<void>
  restore(label: string): Promise<SettingsState | null>
  /** Changes made by other connections, other processes, or outside edits. */
  subscribe(listener: (event: BackendEvent) => void): () => void
}

/** Attempts of one commit before it gives up with `ConflictError`. */
const MAX_ATTEMPTS = 20

/** The window side: a {@link SettingsBackend} over a remote connection. */
export function remoteSettingsBackend(remote: SettingsRemote): SettingsBackend {
  let closed = false
  const unsubscribes = new Set<() => void>()
  const open = () => {
    if (closed) throw new StorageError('The settings backend is closed', { cause: 'Closed' })
  }
  return {
    async load(): Promise<BackendLoad> {
      open()
      const found = await remote.load()
      return {
        state: found.state,
        issues: found.issues,
        ...(found.recovered ? { recovered: found.recovered } : {}),
        ...(found.hasBackup ? { backup: () => remote.lastBackup() } : {}),
      }
    },
    async commit(prepare) {
      open()
      // A conflict answers with the latest state: the next attempt prepares on that.
      let { state } = await remote.load()
      for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
        const commit = prepare(state)
        if (!commit) return state
        const result = await remote.commitIf(state?.seq ?? 0, commit)
        if (!result.conflict) return result.state
        state = result.state
      }
      throw new ConflictError('Settings kept changing elsewhere; try again')
    },
    subscribe(listener) {
      open()
      const stop = remote.subscribe(listener)
      unsubscribes.add(stop)
      return () => {
        unsubscribes.delete(stop)
        stop()
      }
    },
    async backup(label) {
      open()
      await remote.backup(label)
    },
    async restore(label) {
      open()
      return remote.restore(label)
    },
    async close() {
      closed = true
      for (const stop of unsubscribes) stop()
      unsubscribes.clear()
    },
  }
}

/** A connection of the hub, closed when its window goes away. */
export interface SettingsConnection extends SettingsRemote {
  close(): void
}

/**
 * The serving side: one hub over the process's real backend. A commit through one
 * connection is announced to the others (the real backend tells only other processes).
 */
export function settingsHub(backend: SettingsBackend): {
  connect(): SettingsConnection
  close(): Promise<void>
} {
  const connections = new Set<{ listeners: Set<(event: BackendEvent) => void> }>()
  const announce = (event: BackendEvent, except?: object) => {
    for (const c of connections) {
      if (c === except) continue
      for (const l of c.listeners) l(event)
    }
  }
  const stopBackend = backend.subscribe((event) => announce(event))
  let lastLoad: BackendLoad | null = null
  return {
    connect() {
      const self = { listeners: new Set<(event: BackendEvent) => void>() }
      connections.add(self)
      return {
        async load() {
          const found = (lastLoad = await backend.load())
          return {
            state: found.state,
            issues: found.issues,
            recovered: found.recovered ?? null,
            hasBackup: found.backup !== undefined,
          }
        },
        async lastBackup() {
          const found = lastLoad ?? (await backend.load())
          return found.backup ? found.backup() : null
        },
        async commitIf(expectedSeq, commit) {
          let conflict = false
          const state = await backend.commit((latest) => {
            if ((latest?.seq ?? 0) !== expectedSeq) {
              conflict = true
              return null
            }
            return commit
          })
          if (!conflict && state) announce({ type: 'changed', state }, self)
          return { conflict, state }
        },
        backup: (label) => backend.backup(label),
        async restore(label) {
          const state = await backend.restore(label)
          if (state) announce({ type: 'changed', state }, self)
          return state
        },
        subscribe(listener) {
          self.listeners.add(listener)
          return () => self.listeners.delete(listener)
        },
        close() {
          connections.delete(self)
          self.listeners.clear()
        },
      }
    },
    async close() {
      stopBackend()
      connections.clear()
      await backend.close()
    },
  }
}

/** A hub connection in another process, over its bus channels (`settingsWireContract`). */
export function settingsRemoteOverBus(endpoint: Endpoint<SettingsWireContract>): SettingsRemote {
  // The contract checks the shapes; the values are the app's own settings JSON.
  const state = (s: unknown) => s as SettingsState | null
  return {
    async load() {
      const found = await endpoint.request('settings/load', {})
      return { ...found, state: state(found.state) }
    },
    lastBackup: async () => state((await endpoint.request('settings/lastBackup', {})).state),
    async commitIf(expectedSeq, commit) {
      const result = await endpoint.request('settings/commit', { expectedSeq, commit })
      return { conflict: result.conflict, state: state(result.state) }
    },
    backup: async (label) => void (await endpoint.request('settings/backup', { label })),
    restore: async (label) => state((await endpoint.request('settings/restore', { label })).state),
    subscribe: (listener) =>
      endpoint.on('settings/changed', (event) =>
        listener(
          event.type === 'changed'
            ? { type: 'changed', state: state(event.state)! }
            : { type: 'edited', changes: event.changes, source: event.source },
        ),
      ),
  }
}
