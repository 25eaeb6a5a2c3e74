/**
 * {@link SettingsBackend} in memory, for unit tests. Backends built on one
 * {@link MemorySettingsCell} behave like contexts sharing one storage: commits are
 * serialized, and each backend hears about the others' commits. Values are copied in and
 * out, as a real backend would serialize them.
 */
import { StorageError } from '@whatnext/core/errors'
import { cloneJson } from './paths.ts'
import {
  applyCommit,
  type BackendEvent,
  type BackendLoad,
  type SettingsBackend,
  type SettingsCommit,
  type SettingsState,
} from './state.ts'

/** The storage several {@link MemorySettingsBackend}s share. */
export class MemorySettingsCell {
  state: SettingsState | null = null
  readonly backups = new Map<string, SettingsState | null>()
  readonly backends = new Set<MemorySettingsBackend>()
  /** Tail of the commit queue: commits run one at a time. */
  lock: Promise<unknown> = Promise.resolve()
}

/** A {@link SettingsBackend} over a {@link MemorySettingsCell}. */
export class MemorySettingsBackend implements SettingsBackend {
  readonly cell: MemorySettingsCell
  private readonly listeners = new Set<(event: BackendEvent) => void>()
  private closed = false

  constructor(cell: MemorySettingsCell = new MemorySettingsCell()) {
    this.cell = cell
    cell.backends.add(this)
  }

  async load(): Promise<BackendLoad> {
    this.check()
    const backup = this.cell.backups.get('backup')
    return {
      state: cloneJson(this.cell.state),
      issues: [],
      backup: async () => cloneJson(backup ?? null),
    }
  }

  commit(
    prepare: (latest: SettingsState | null) => SettingsCommit | null,
  ): Promise<SettingsState | null> {
    return this.exclusive(async () => {
      this.check()
      const commit = prepare(cloneJson(this.cell.state))
      if (!commit) return cloneJson(this.cell.state)
      this.write(applyCommit(this.cell.state, cloneJson(commit)))
      return cloneJson(this.cell.state)
    })
  }

  subscribe(listener: (event: BackendEvent) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  backup(label: string): Promise<void> {
    return this.exclusive(async () => {
      this.check()
      this.cell.backups.set(label, cloneJson(this.cell.state))
    })
  }

  restore(label: string): Promise<SettingsState | null> {
    return this.exclusive(async () => {
      this.check()
      const copy = this.cell.backups.get(label)
      if (copy === undefined) throw new StorageError(`No settings backup named "${label}"`)
      if (!copy) return null
      this.write({ ...cloneJson(copy), seq: (this.cell.state?.seq ?? 0) + 1 })
      return cloneJson(this.cell.state)
    })
  }

  async close(): Promise<void> {
    this.closed = true
    this.listeners.clear()
    this.cell.backends.delete(this)
  }

  /** Replaces the stored state as if another program had (tests of corruption). */
  poke(state: SettingsState | null): void {
    this.cell.state = cloneJson(state)
  }

  private write(state: SettingsState): void {
    // Like the file backend's compaction: the state before this write is the backup.
    this.cell.backups.set('backup', this.cell.state)
    this.cell.state = state
    for (const other of this.cell.backends)
      if (other !== this) other.emit({ type: 'changed', state: cloneJson(state) })
  }

  private emit(event: BackendEvent): void {
    // Other contexts hear about a commit later, never inside the writer's call.
    queueMicrotask(() => {
      for (const listener of this.listeners) listener(event)
    })
  }

  private exclusive<R>(fn: () => Promise<R>): Promise<R> {
    const run = this.cell.lock.then(fn)
    this.cell.lock = run.catch(() => {})
    return run
  }

  private check(): void {
    if (this.closed) throw new StorageError('The settings backend is closed', { cause: 'Closed' })
  }
}
