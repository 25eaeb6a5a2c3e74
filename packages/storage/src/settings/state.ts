/**
 * The persisted form of a settings store and the one pure function every backend uses to
 * move it forward ({@link applyCommit}), plus the backend port itself. Backends persist
 * commits (a log line, an IndexedDB record); replaying them with `applyCommit` gives the
 * same state everywhere.
 */
import {
  applyChanges,
  getAt,
  revertChanges,
  type JsonObject,
  type SettingsChange,
} from './paths.ts'

// ───────────────────────────────────────────────────────────────────────────────────────
// PERSISTED NAMES. SettingsState, HistoryRecord, SettingsCommit and SettingsChange are
// written to IndexedDB records and to the file backend's snapshot and log. Renaming or
// retyping a field needs a format version bump and a reader for the old format.
// ───────────────────────────────────────────────────────────────────────────────────────

/** How much history to keep; older records are dropped by the commit that passes them. */
export interface Retention {
  /** Newest records kept at most. */
  maxEntries: number
  /** Records older than this (relative to the commit's time) are dropped. */
  maxAgeMs: number
}

/** One recorded commit: when, and what changed (secret values as ciphertext). */
export interface HistoryRecord {
  seq: number
  at: number
  changes: SettingsChange[]
}

/** Everything a backend stores for one settings store. */
export interface SettingsState {
  /** Schema version of `data` (see migrations). */
  version: number
  /** Number of commits ever applied; each commit adds one. */
  seq: number
  /** The settings, secrets encrypted. */
  data: JsonObject
  /** Newest last. */
  history: HistoryRecord[]
  /** History is complete from this time on (older records were pruned or never existed). */
  historyStart: number
}

/** A unit of change, persisted as one log line or one transaction. */
export interface SettingsCommit {
  at: number
  /** Replaces data and version wholesale (first write, migration, recovery); clears history. */
  replace?: { version: number; data: JsonObject }
  /** Applied after `replace`, recorded in history. */
  changes?: SettingsChange[]
  retain?: Retention
}

/** Moves `state` forward by one commit (pure; `state` is not modified). */
export function applyCommit(state: SettingsState | null, commit: SettingsCommit): SettingsState {
  const seq = (state?.seq ?? 0) + 1
  let version = state?.version ?? 0
  let data: JsonObject = state?.data ?? {}
  let history = state?.history ?? []
  let historyStart = state?.historyStart ?? 0
  if (commit.replace) {
    version = commit.replace.version
    data = commit.replace.data
    history = []
    // Before the very first write the data was the replacement (the defaults) all along.
    historyStart = state ? commit.at : 0
  }
  const changes = commit.changes ?? []
  if (changes.length > 0) {
    data = applyChanges(data, changes)
    history = [...history, { seq, at: commit.at, changes }]
  }
  if (commit.retain) {
    const { maxEntries, maxAgeMs } = commit.retain
    const oldest = commit.at - maxAgeMs
    let drop = Math.max(0, history.length - maxEntries)
    while (drop < history.length && history[drop]!.at < oldest) drop++
    if (drop > 0) {
      historyStart = Math.max(historyStart, history[drop - 1]!.at)
      history = history.slice(drop)
    }
  }
  return { version, seq, data, history, historyStart }
}

/**
 * The data as it was at time `at`, by undoing newer history records.
 *
 * @returns `undefined` when history does not reach back that far.
 */
export function dataAt(state: SettingsState, at: number): JsonObject | undefined {
  if (at < state.historyStart) return undefined
  let data = state.data
  for (let i = state.history.length - 1; i >= 0 && state.history[i]!.at > at; i--)
    data = revertChanges(data, state.history[i]!.changes)
  return data
}

/** What {@link SettingsBackend.load} found. */
export interface BackendLoad {
  /** The latest state, or `null` when nothing was ever stored (or nothing could be read). */
  state: SettingsState | null
  /** Human-readable notes about problems met and repaired while loading. */
  issues: string[]
  /**
   * The last good backup, for when `state` is unreadable or fails the schema. Absent when
   * the backend keeps none.
   */
  backup?: () => Promise<SettingsState | null>
  /** Set when the backend itself found its data corrupt and recovered it from a backup. */
  recovered?: string
}

/** What a backend reports between commits. */
export type BackendEvent =
  /** Another context (tab, window, process, store) committed; this is the latest state. */
  | { type: 'changed'; state: SettingsState }
  /** The stored data was edited outside the app (file backend); not yet validated. */
  | { type: 'edited'; changes: SettingsChange[]; source: string }

/**
 * Storage for one settings store, shared by every context that opens the same place.
 * Implementations: memory (tests), IndexedDB (web), files (desktop). All pass the suite in
 * `test-support/settings-compliance.ts`.
 */
export interface SettingsBackend {
  /** Reads the latest state. */
  load(): Promise<BackendLoad>
  /**
   * Runs `prepare` on the latest committed state while no other context can commit, then
   * persists the commit it returns; resolves with the new state once durable. `prepare`
   * returning `null` commits nothing (the latest state is returned); throwing aborts with
   * nothing written. `prepare` must not await: IndexedDB commits inside one transaction.
   */
  commit(
    prepare: (latest: SettingsState | null) => SettingsCommit | null,
  ): Promise<SettingsState | null>
  /** Changes made elsewhere. Returns the unsubscribe function. */
  subscribe(listener: (event: BackendEvent) => void): () => void
  /** Stores a full copy of the current state under `label` (e.g. before a migration). */
  backup(label: string): Promise<void>
  /** Makes the copy stored under `label` current again, durably. */
  restore(label: string): Promise<SettingsState | null>
  /** Stops watching and releases handles; later calls fail with `StorageError`. */
  close(): Promise<void>
}

/**
 * Whether the saved settings hold a value at `path`: the backend's latest state, which
 * may be ahead of a store's copy for a moment after another context wrote it.
 */
export async function isSaved(
  backend: Pick<SettingsBackend, 'load'>,
  path: readonly string[],
): Promise<boolean> {
  return getAt((await backend.load()).state?.data, path) !== undefined
}
