/**
 * The settings store: typed from a zod object schema, read synchronously from memory,
 * written through a {@link SettingsBackend} that every context (tab, window, process)
 * shares. Writes apply to memory at once, are validated first (invalid ones change
 * nothing), and resolve once durable; writes made while one is in flight are coalesced
 * into the next commit.
 */
import {
  NotFoundError,
  StorageError,
  ValidationError,
  type FieldIssue,
} from '@whatnext/core/errors'
import { englishValidationMessages } from '@whatnext/core/client'
import type { Logger } from '@whatnext/core/ports'
import type * as z from 'zod/mini'
import { MigrationError } from './errors.ts'
import {
  applyChanges,
  cloneJson,
  deepEqual,
  deepFreeze,
  deleteAt,
  diff,
  getAt,
  isPlainObject,
  joinPath,
  patchChanges,
  setAt,
  splitPath,
  type DeepPartial,
  type JsonObject,
  type PathValue,
  type SettingsChange,
  type SettingsPath,
} from './paths.ts'
import { SchemaValidator, secretPaths, type SettingsSchema } from './schema.ts'
import {
  REDACTED,
  SecretCipher,
  isEnvelope,
  redactEnvelopes,
  type SecretEnvelope,
  type SecretKeyProvider,
  type Subtle,
} from './secrets.ts'
import {
  dataAt,
  type BackendEvent,
  type Retention,
  type SettingsBackend,
  type SettingsCommit,
  type SettingsState,
} from './state.ts'

/**
 * A migration: takes the data of the previous version (plain JSON, secrets decrypted)
 * and returns the data of its own version. Keys of {@link SettingsStoreInit.migrations}
 * are the version each one produces.
 */
export type SettingsMigration = (data: JsonObject) => JsonObject

/** Options of {@link createSettingsStore}. */
export interface SettingsStoreInit<S extends SettingsSchema> {
  /** A zod object schema; secret fields marked with `secret()` or registered as `{ secret: true }`. */
  schema: S
  /** The complete default settings; must pass `schema`. */
  defaults: z.infer<S>
  /** Where the settings live; shared by every context that opens the same place. */
  backend: SettingsBackend
  /** Schema version of this code. Default: the highest migration key, or 1. */
  version?: number
  /** Steps keyed by the version they produce, run in order on older data. */
  migrations?: Record<number, SettingsMigration>
  /** Key of secret fields. Required when the schema has secret fields. */
  secrets?: SecretKeyProvider
  /** History kept. Default 500 entries, 90 days. */
  retention?: Partial<Retention>
  /** Time source for history. Default `Date.now`. */
  clock?: { now(): number }
  /** Where refusals, recoveries and migration failures are logged (never secret values). */
  logger?: Logger
  /** WebCrypto, for secrets. Default `globalThis.crypto`. */
  crypto?: { subtle: Subtle; getRandomValues<T extends ArrayBufferView>(array: T): T }
}

/** What happened while opening: repairs, migrations, and why anything was not as stored. */
export interface SettingsOpenReport {
  /** Readable notes on every problem met (never secret values). */
  issues: string[]
  /** Set when the stored settings were unusable and were replaced. */
  recovered?: { source: 'backup' | 'defaults'; reason: string }
  /** Set when a migration ran. */
  migrated?: { from: number; to: number; backup: string }
  /** Set when a migration failed: the store runs on the old data. */
  migrationError?: MigrationError
}

/** One change in {@link SettingsStore.history}; secrets shown as `[secret]`. */
export interface SettingsHistoryChange {
  path: string
  before?: unknown
  after?: unknown
}

/** One commit in {@link SettingsStore.history}. */
export interface SettingsHistoryEntry {
  seq: number
  at: number
  changes: SettingsHistoryChange[]
}

/** A typed settings store; see {@link createSettingsStore}. */
export interface SettingsStore<T extends JsonObject> {
  /** The whole settings, frozen; a new object after every change (same one otherwise). */
  readonly store: T
  /** The schema version the data is at (lower than the code's after a failed migration). */
  readonly version: number
  /** What opening found and did. */
  readonly report: SettingsOpenReport
  /** The value at a dot path (frozen), `undefined` when absent. */
  get<P extends SettingsPath<T>>(path: P): PathValue<T, P>
  /** Whether a value is present at the dot path. */
  has(path: SettingsPath<T>): boolean
  /**
   * Sets the value at a dot path. Applies at once; resolves when durable.
   *
   * @throws {ValidationError} (rejection) naming the path and reason; nothing changes.
   */
  set<P extends SettingsPath<T>>(path: P, value: PathValue<T, P>): Promise<void>
  /** Deep-merges `patch` (objects merge, everything else replaces). */
  set(patch: DeepPartial<T>): Promise<void>
  /** Removes the value at the path; a field with a default goes back to it. */
  delete(path: SettingsPath<T>): Promise<void>
  /** Puts the given paths (or everything) back to the defaults. */
  reset(...paths: SettingsPath<T>[]): Promise<void>
  /**
   * Calls `listener(value, previous)` whenever the value at `path` changes, here or in
   * any other context. Returns the unsubscribe function (fits `useSyncExternalStore`).
   */
  onDidChange<P extends SettingsPath<T>>(
    path: P,
    listener: (value: PathValue<T, P>, previous: PathValue<T, P>) => void,
  ): () => void
  /** Calls `listener(store, previous)` on every change. Returns the unsubscribe function. */
  onDidAnyChange(listener: (store: T, previous: T) => void): () => void
  /** Recorded commits, oldest first; secret values redacted. */
  history(): SettingsHistoryEntry[]
  /** Earliest time {@link rollback} can reach. */
  readonly historyStart: number
  /**
   * Makes the settings what they were at time `at` (a new commit, itself undoable).
   *
   * @throws {NotFoundError} when history does not reach back that far.
   */
  rollback(at: number): Promise<void>
  /** The settings as plain JSON with secrets redacted: for exports and diagnostics. */
  export(): { version: number; data: JsonObject }
  /** Resolves once every write made so far is durable (or has failed). */
  flush(): Promise<void>
  /** Flushes, stops listening and closes the backend. */
  close(): Promise<void>
}

const DEFAULT_RETENTION: Retention = { maxEntries: 500, maxAgeMs: 90 * 24 * 3600 * 1000 }

const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} }

interface Batch {
  changes: SettingsChange[]
  waiters: { resolve(): void; reject(error: unknown): void }[]
}

function newBatch(): Batch {
  return { changes: [], waiters: [] }
}

function describe(issues: FieldIssue[]): string {
  return issues.map((i) => `${i.path || '(root)'}: ${i.message}`).join('; ')
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}

/** Fills keys missing from `value` with `defaults`, recursively; same object when none is. */
function fillDefaults(defaults: unknown, value: unknown): unknown {
  if (value === undefined) return defaults
  if (!isPlainObject(defaults) || !isPlainObject(value)) return value
  let out = value
  for (const key of Object.keys(defaults)) {
    const filled = fillDefaults(defaults[key], Object.hasOwn(value, key) ? value[key] : undefined)
    if (filled !== value[key]) {
      if (out === value) out = { ...value }
      out[key] = filled
    }
  }
  return out
}

/** Paths not below another path of the list, in first-seen order. */
function roots(paths: readonly (readonly string[])[]): string[][] {
  const seen = new Set<string>()
  const out: string[][] = []
  const sorted = [...paths].sort((a, b) => a.length - b.length)
  for (const path of sorted) {
    let covered = false
    for (let i = 0; i <= path.length && !covered; i++)
      covered = seen.has(joinPath(path.slice(0, i)) + (i === 0 ? '' : '.'))
    const key = joinPath(path) + (path.length === 0 ? '' : '.')
    if (!covered && !seen.has(key)) {
      seen.add(key)
      out.push([...path])
    }
  }
  return out
}

/**
 * Opens a settings store on `init.backend`: loads (recovering from the backend's backup
 * when the stored data is unreadable or fails the schema), migrates older data after
 * backing it up, and starts following changes made by other contexts.
 *
 * @example
 * ```ts
 * const schema = z.object({
 *   theme: z.enum(['light', 'dark', 'system']),
 *   displayName: z.string().check(z.maxLength(64)),
 *   relayToken: z.optional(secret(z.string())),
 * })
 * const settings = await createSettingsStore({
 *   schema,
 *   defaults: { theme: 'system', displayName: '' },
 *   backend: new MemorySettingsBackend(),
 *   secrets: memorySecretKey(),
 * })
 * settings.get('theme') // 'system'
 * await settings.set('theme', 'dark') // durable once resolved
 * const stop = settings.onDidChange('theme', (theme) => applyTheme(theme))
 * ```
 * @throws {ValidationError} when `defaults` fail the schema.
 * @throws {StorageError} when the backend cannot be read.
 */
export async function createSettingsStore<S extends SettingsSchema>(
  init: SettingsStoreInit<S>,
): Promise<SettingsStore<z.infer<S> & JsonObject>> {
  // What the store refuses, the user reads (the settings dialog): zod's messages in words.
  englishValidationMessages()
  const store = new Store<z.infer<S> & JsonObject>(init)
  await store.open()
  return store
}

class Store<T extends JsonObject> implements SettingsStore<T> {
  readonly report: SettingsOpenReport = { issues: [] }

  private readonly backend: SettingsBackend
  private readonly validator: SchemaValidator
  private readonly defaultsView: JsonObject
  private readonly targetVersion: number
  private readonly migrations: [number, SettingsMigration][]
  private readonly retention: Retention
  private readonly clock: { now(): number }
  private readonly logger: Logger
  private readonly secretPathList: string[][]
  private readonly secretKeys: Set<string>
  private readonly cipher: SecretCipher | null

  private committed: SettingsState | null = null
  private committedView: JsonObject
  private view: JsonObject
  private queue: Batch = newBatch()
  private inflight: Batch | null = null
  private flushing: Promise<void> | null = null
  private events: Promise<void> = Promise.resolve()
  private unsubscribe: (() => void) | null = null
  private closed = false
  private readonly pathCache = new Map<string, string[]>()
  private readonly pathListeners = new Set<{
    path: string[]
    listener: (value: never, previous: never) => void
  }>()
  private readonly anyListeners = new Set<(store: T, previous: T) => void>()
  /** `path \n iv data` → plaintext, for envelopes this store has seen. */
  private readonly opened = new Map<string, string>()
  /** `path \n plaintext` → envelope, so an unchanged secret keeps its ciphertext. */
  private readonly sealed = new Map<string, SecretEnvelope>()

  constructor(init: SettingsStoreInit<SettingsSchema>) {
    this.backend = init.backend
    this.validator = new SchemaValidator(init.schema)
    this.migrations = Object.entries(init.migrations ?? {})
      .map(([v, m]): [number, SettingsMigration] => [Number(v), m])
      .sort((a, b) => a[0] - b[0])
    this.targetVersion = init.version ?? this.migrations.at(-1)?.[0] ?? 1
    this.retention = { ...DEFAULT_RETENTION, ...init.retention }
    this.clock = init.clock ?? { now: () => Date.now() }
    this.logger = init.logger ?? silentLogger
    this.secretPathList = secretPaths(init.schema)
    this.secretKeys = new Set(this.secretPathList.map(joinPath))
    const crypto = init.crypto ?? globalThis.crypto
    if (this.secretPathList.length > 0 && !init.secrets)
      throw new ValidationError('The settings schema has secret fields but no secrets key', [
        { path: joinPath(this.secretPathList[0]!), message: 'secret field without a key' },
      ])
    this.cipher = init.secrets
      ? new SecretCipher(crypto.subtle, init.secrets, (bytes) => crypto.getRandomValues(bytes))
      : null
    const defaults = cloneJson(init.defaults as JsonObject)
    const issues = this.validator.check(defaults)
    if (issues.length > 0)
      throw new ValidationError(`The default settings are invalid: ${describe(issues)}`, issues)
    this.defaultsView = deepFreeze(defaults)
    this.committedView = this.defaultsView
    this.view = this.defaultsView
  }

  // ── reading ────────────────────────────────────────────────────────────────────────

  get store(): T {
    return this.view as T
  }

  get version(): number {
    return this.committed?.version ?? this.targetVersion
  }

  get historyStart(): number {
    return this.committed?.historyStart ?? this.clock.now()
  }

  get<P extends SettingsPath<T>>(path: P): PathValue<T, P> {
    return getAt(this.view, this.split(path)) as PathValue<T, P>
  }

  has(path: SettingsPath<T>): boolean {
    return getAt(this.view, this.split(path)) !== undefined
  }

  history(): SettingsHistoryEntry[] {
    return (this.committed?.history ?? []).map((record) => ({
      seq: record.seq,
      at: record.at,
      changes: record.changes.map((change) => {
        const out: SettingsHistoryChange = { path: joinPath(change.path) }
        if ('before' in change) out.before = this.redact(change.path, change.before)
        if ('after' in change) out.after = this.redact(change.path, change.after)
        return out
      }),
    }))
  }

  export(): { version: number; data: JsonObject } {
    return { version: this.version, data: this.redact([], this.view) as JsonObject }
  }

  // ── writing ────────────────────────────────────────────────────────────────────────

  set(pathOrPatch: string | DeepPartial<T>, value?: unknown): Promise<void> {
    if (typeof pathOrPatch === 'string') {
      try {
        return this.enqueue([{ path: this.split(pathOrPatch), after: value }])
      } catch (error) {
        return Promise.reject(error)
      }
    }
    if (!isPlainObject(pathOrPatch))
      return Promise.reject(
        new ValidationError('set() takes a path and a value, or an object', [
          { path: '', message: 'not an object' },
        ]),
      )
    let changes: SettingsChange[]
    try {
      changes = patchChanges(this.view, pathOrPatch)
    } catch (error) {
      return Promise.reject(error)
    }
    return this.enqueue(changes)
  }

  delete(path: SettingsPath<T>): Promise<void> {
    return this.reset(path)
  }

  reset(...paths: SettingsPath<T>[]): Promise<void> {
    if (paths.length === 0)
      return this.enqueue(
        diff(this.view, this.defaultsView).map((c) => {
          const change: SettingsChange = { path: c.path }
          if ('after' in c) change.after = c.after
          return change
        }),
      )
    let changes: SettingsChange[]
    try {
      changes = paths.map((p) => {
        const path = this.split(p)
        const fallback = getAt(this.defaultsView, path)
        return fallback === undefined ? { path } : { path, after: fallback }
      })
    } catch (error) {
      return Promise.reject(error)
    }
    return this.enqueue(changes)
  }

  async rollback(at: number): Promise<void> {
    await this.flush()
    const state = this.committed
    const data = state ? dataAt(state, at) : undefined
    if (!state || !data)
      throw new NotFoundError(
        `Settings history does not reach back to ${new Date(at).toISOString()}` +
          (state ? ` (it starts at ${new Date(state.historyStart).toISOString()})` : ''),
        { at, historyStart: state?.historyStart ?? null },
      )
    const target = this.materialize(await this.reveal(data))
    await this.enqueue(diff(this.view, target))
  }

  async flush(): Promise<void> {
    while (this.flushing) await this.flushing
  }

  // ── listening ──────────────────────────────────────────────────────────────────────

  onDidChange<P extends SettingsPath<T>>(
    path: P,
    listener: (value: PathValue<T, P>, previous: PathValue<T, P>) => void,
  ): () => void {
    const entry = { path: this.split(path), listener: listener as (v: never, p: never) => void }
    this.pathListeners.add(entry)
    return () => this.pathListeners.delete(entry)
  }

  onDidAnyChange(listener: (store: T, previous: T) => void): () => void {
    this.anyListeners.add(listener)
    return () => this.anyListeners.delete(listener)
  }

  async close(): Promise<void> {
    if (this.closed) return
    await this.flush()
    this.closed = true
    this.unsubscribe?.()
    await this.events
    await this.backend.close()
  }

  // ── opening ────────────────────────────────────────────────────────────────────────

  async open(): Promise<void> {
    await this.sealAll(this.defaultsView)
    // Listen before reading: a change another context commits while this store opens is
    // applied after what is read here (or ignored, if the read already holds it), never
    // missed. Changes wait until the read state is adopted.
    let adopted!: () => void
    this.events = new Promise<void>((resolve) => (adopted = resolve))
    this.unsubscribe = this.backend.subscribe((event) => {
      this.events = this.events
        .then(() => this.onBackendEvent(event))
        .catch((error: unknown) =>
          this.logger.error('Could not apply a settings change from elsewhere', {
            reason: message(error),
          }),
        )
    })
    try {
      const load = await this.backend.load()
      this.report.issues.push(...load.issues)
      if (load.recovered) {
        this.report.recovered = { source: 'backup', reason: load.recovered }
        this.report.issues.push(load.recovered)
      }
      if (load.state) {
        const problem = await this.adopt(load.state)
        if (problem) await this.recover(problem, load.backup)
      }
    } finally {
      adopted()
    }
    for (const issue of this.report.issues) this.logger.warn(issue)
  }

  /** Takes `state` as the committed state (migrating it); returns why not, if it can't. */
  private async adopt(state: SettingsState): Promise<string | null> {
    const plain = await this.reveal(state.data, this.report.issues)
    if (state.version > this.targetVersion) {
      this.report.issues.push(
        `The settings were written by a newer version (schema v${state.version}, this is v${this.targetVersion}); fields this version does not understand are ignored`,
      )
      this.setCommitted(state, this.salvage(plain))
      return null
    }
    if (state.version < this.targetVersion) return this.migrate(state, plain)
    const view = this.materialize(plain)
    const issues = this.validator.check(view)
    if (issues.length > 0) return `they fail the schema: ${describe(issues)}`
    this.setCommitted(state, view)
    return null
  }

  private async recover(
    problem: string,
    backup: (() => Promise<SettingsState | null>) | undefined,
  ): Promise<void> {
    const reason = `The stored settings are unusable (${problem})`
    const fromBackup = backup ? await backup().catch(() => null) : null
    let source: 'backup' | 'defaults' = 'defaults'
    if (fromBackup && (await this.adopt(fromBackup)) === null) source = 'backup'
    else this.setCommitted(null, this.defaultsView)
    // Persist the recovered state so the next start does not meet the bad data again.
    const recovered = this.committed
    const view = this.committedView
    await this.sealAll(view)
    const state = await this.backend.commit((latest) => ({
      at: this.clock.now(),
      replace: {
        version: recovered?.version ?? this.targetVersion,
        data: this.conceal(view, latest?.data ?? {}),
      },
    }))
    this.setCommitted(state ?? recovered, view)
    this.report.recovered = { source, reason }
    this.report.issues.push(
      `${reason}; ${source === 'backup' ? 'restored the last good backup' : 'reset to the defaults'}`,
    )
  }

  private async migrate(state: SettingsState, plain: JsonObject): Promise<string | null> {
    const from = state.version
    const to = this.targetVersion
    const label = `pre-migration-v${from}`
    await this.backend.backup(label)
    let step = from
    try {
      let data = cloneJson(plain)
      for (const [version, migration] of this.migrations) {
        if (version <= from || version > to) continue
        step = version
        const next = migration(data)
        if (!isPlainObject(next)) throw new Error('the migration did not return an object')
        data = next
      }
      step = to
      const view = this.materialize(data)
      const issues = this.validator.check(view)
      if (issues.length > 0) throw new Error(`the result fails the schema: ${describe(issues)}`)
      await this.sealAll(view)
      const migrated = await this.backend.commit((latest) =>
        // Another context may have migrated meanwhile: then its result stands.
        latest && latest.version >= to
          ? null
          : { at: this.clock.now(), replace: { version: to, data: this.conceal(view, {}) } },
      )
      if (!migrated) throw new Error('the backend stored nothing')
      if (migrated.seq !== state.seq + 1) {
        const problem = await this.adopt(migrated)
        if (problem) throw new Error(problem)
      } else this.setCommitted(migrated, view)
      this.report.migrated = { from, to, backup: label }
      return null
    } catch (error) {
      const reason = message(error)
      const failure = new MigrationError(
        `Settings could not be migrated from v${from} to v${to} (step v${step}: ${reason}); running on the settings as they were, backed up as "${label}"`,
        { from, to, step, reason, backup: label },
      )
      this.report.migrationError = failure
      this.report.issues.push(failure.message)
      this.logger.error(failure.message, failure.details)
      // Anything written on the way is undone from the backup taken above.
      const now = await this.backend.load().catch(() => null)
      let current = state
      if (now?.state && now.state.seq !== state.seq) {
        const restored = await this.backend.restore(label)
        if (restored) current = restored
      }
      this.setCommitted(current, this.salvage(plain))
      return null
    }
  }

  /** The valid top-level fields of `plain` over the defaults (for data we cannot migrate). */
  private salvage(plain: JsonObject): JsonObject {
    let view = this.defaultsView
    for (const [key, value] of Object.entries(plain)) {
      const candidate = this.materialize({ ...view, [key]: value })
      if (this.validator.check(candidate, [key]).length === 0) view = candidate
    }
    return deepFreeze(view)
  }

  private setCommitted(state: SettingsState | null, view: JsonObject): void {
    this.committed = state
    this.committedView = deepFreeze(view)
    const previous = this.view
    this.view = this.pendingView()
    this.notify(previous, this.view)
  }

  // ── the write path ─────────────────────────────────────────────────────────────────

  private enqueue(changes: SettingsChange[]): Promise<void> {
    if (this.closed)
      return Promise.reject(new StorageError('The settings store is closed', { cause: 'Closed' }))
    if (changes.length === 0) return this.flush()
    let frozen: SettingsChange[]
    let candidate: JsonObject
    try {
      frozen = changes.map((c) =>
        'after' in c && c.after !== undefined
          ? { path: c.path, after: deepFreeze(cloneJson(c.after)) }
          : { path: c.path },
      )
      candidate = applyChanges(this.view, frozen)
    } catch (error) {
      return Promise.reject(
        new ValidationError(`Invalid setting: ${message(error)}`, [
          { path: joinPath(changes[0]!.path), message: message(error) },
        ]),
      )
    }
    const issues = this.validator.checkChanges(this.view, candidate, frozen)
    if (issues.length > 0)
      return Promise.reject(
        new ValidationError(`Invalid setting ${describe(issues)}; nothing was changed`, issues),
      )
    const previous = this.view
    this.view = deepFreeze(candidate)
    const batch = this.queue
    batch.changes.push(...frozen)
    const done = new Promise<void>((resolve, reject) => batch.waiters.push({ resolve, reject }))
    this.notify(previous, this.view)
    this.flushing ??= this.runFlush()
    return done
  }

  private async runFlush(): Promise<void> {
    // Let the caller's synchronous burst of sets join this first commit.
    await Promise.resolve()
    while (this.queue.changes.length > 0) {
      const batch = this.queue
      this.queue = newBatch()
      this.inflight = batch
      try {
        await this.sealAll(this.view)
        const before = this.committed
        let sawSeq = -1
        const state = await this.backend.commit((latest) => {
          sawSeq = latest?.seq ?? 0
          return this.prepare(latest, batch)
        })
        this.inflight = null
        if (!state) throw new StorageError('The settings backend stored nothing')
        if (
          sawSeq === (before?.seq ?? 0) &&
          state.seq === sawSeq + 1 &&
          this.committed === before
        ) {
          // Nobody else committed: the view already shows this batch.
          this.committed = state
          this.committedView =
            this.queue.changes.length === 0
              ? this.view
              : deepFreeze(applyChanges(this.committedView, batch.changes))
        } else await this.advance(state)
        for (const w of batch.waiters) w.resolve()
      } catch (error) {
        this.inflight = null
        const previous = this.view
        this.view = this.pendingView()
        this.notify(previous, this.view)
        const failure =
          error instanceof ValidationError || error instanceof StorageError
            ? error
            : new StorageError(`Could not save the settings: ${message(error)}`, {
                cause: message(error),
              })
        for (const w of batch.waiters) w.reject(failure)
      }
    }
    this.flushing = null
  }

  /** Builds the commit for `batch` on top of the latest committed state (synchronous). */
  private prepare(latest: SettingsState | null, batch: Batch): SettingsCommit | null {
    // When nobody else committed since our last look, what we hold is the latest, and
    // with nothing queued behind this batch the view is already its result: a set on a
    // large store then copies nothing here.
    const current = latest !== null && latest.seq === (this.committed?.seq ?? 0)
    const base = !latest
      ? this.defaultsView
      : current
        ? this.committedView
        : this.materialize(this.revealKnown(latest.data, this.committedView))
    const candidate =
      current && this.queue.changes.length === 0 ? this.view : applyChanges(base, batch.changes)
    const issues = this.validator.checkChanges(base, candidate, batch.changes)
    if (issues.length > 0)
      throw new ValidationError(
        `Invalid setting after a concurrent change: ${describe(issues)}; nothing was changed`,
        issues,
      )
    const commit: SettingsCommit = { at: this.clock.now(), retain: this.retention }
    let baseData: JsonObject
    if (latest) baseData = latest.data
    else {
      baseData = this.conceal(this.defaultsView, {})
      commit.replace = { version: this.targetVersion, data: baseData }
    }
    const persisted = this.conceal(candidate, baseData)
    const changes = roots(batch.changes.map((c) => c.path)).flatMap((path) =>
      diff(getAt(baseData, path), getAt(persisted, path), path),
    )
    if (changes.length === 0 && !commit.replace) return null
    if (changes.length > 0) commit.changes = changes
    return commit
  }

  private async onBackendEvent(event: BackendEvent): Promise<void> {
    if (this.closed) return
    if (event.type === 'changed') return this.advance(event.state)
    // An edit made outside the app: validate it like any other write.
    const base = this.committed?.data ?? {}
    let target: JsonObject
    try {
      target = this.materialize(await this.reveal(applyChanges(base, event.changes)))
    } catch (error) {
      this.logger.warn(`Refused an outside edit of the settings (${event.source})`, {
        reason: message(error),
      })
      return
    }
    const issues = this.validator.check(target)
    if (issues.length > 0) {
      this.logger.warn(
        `Refused an outside edit of the settings (${event.source}): ${describe(issues)}; keeping the last good settings`,
        { source: event.source, issues },
      )
      return
    }
    this.logger.info(`Picked up an outside edit of the settings (${event.source})`, {
      paths: event.changes.map((c) => joinPath(c.path)),
    })
    await this.enqueue(diff(this.committedView, target)).catch((error: unknown) =>
      this.logger.warn(`Refused an outside edit of the settings (${event.source})`, {
        reason: message(error),
      }),
    )
  }

  /** Moves to a newer committed state (from another context, or after a race). */
  private async advance(state: SettingsState): Promise<void> {
    if (this.committed && state.seq <= this.committed.seq) return
    const plain = await this.reveal(state.data)
    if (this.committed && state.seq <= this.committed.seq) return
    this.setCommitted(state, this.materialize(plain))
  }

  private pendingView(): JsonObject {
    const pending = [...(this.inflight?.changes ?? []), ...this.queue.changes]
    return pending.length === 0
      ? this.committedView
      : deepFreeze(applyChanges(this.committedView, pending))
  }

  private notify(previous: JsonObject, next: JsonObject): void {
    if (previous === next) return
    for (const { path, listener } of this.pathListeners) {
      const before = getAt(previous, path)
      const after = getAt(next, path)
      if (before !== after && !deepEqual(before, after))
        this.call(() => listener(after as never, before as never))
    }
    for (const listener of this.anyListeners) this.call(() => listener(next as T, previous as T))
  }

  private call(fn: () => void): void {
    try {
      fn()
    } catch (error) {
      this.logger.error('A settings listener threw', { reason: message(error) })
    }
  }

  // ── secrets ────────────────────────────────────────────────────────────────────────

  /** Fills defaults in and freezes. */
  private materialize(plain: JsonObject): JsonObject {
    return deepFreeze(fillDefaults(this.defaultsView, plain) as JsonObject)
  }

  /** Decrypts every envelope of `data` not seen before; failures read as absent. */
  private async reveal(data: JsonObject, issues?: string[]): Promise<JsonObject> {
    if (!this.cipher) return data
    const failed: string[][] = []
    for (const path of this.secretPathList) {
      const value = getAt(data, path)
      if (!isEnvelope(value)) continue
      const key = this.envelopeKey(path, value)
      if (this.opened.has(key)) continue
      try {
        const plain = await this.cipher.open(joinPath(path), value)
        this.opened.set(key, plain)
        this.sealed.set(`${joinPath(path)}\n${plain}`, value)
      } catch {
        failed.push(path)
        const note = `The secret setting "${joinPath(path)}" could not be decrypted (was the key replaced?); it reads as its default`
        issues?.push(note)
        if (!issues) this.logger.warn(note)
      }
    }
    let out = this.revealKnown(data, this.defaultsView)
    for (const path of failed) out = deleteAt(out, path)
    return out
  }

  /** Replaces envelopes with known plaintext; unknown ones take `fallback`'s value. */
  private revealKnown(data: JsonObject, fallback: JsonObject): JsonObject {
    let out = data
    for (const path of this.secretPathList) {
      const value = getAt(data, path)
      if (!isEnvelope(value)) continue
      const plain = this.opened.get(this.envelopeKey(path, value))
      out = plain !== undefined ? setAt(out, path, plain) : this.copyAt(out, fallback, path)
    }
    return out
  }

  private copyAt(into: JsonObject, from: JsonObject, path: string[]): JsonObject {
    const value = getAt(from, path)
    return value === undefined ? deleteAt(into, path) : setAt(into, path, value)
  }

  /** Encrypts every secret value of `view` that has no envelope yet. */
  private async sealAll(view: JsonObject): Promise<void> {
    if (!this.cipher) return
    for (const path of this.secretPathList) {
      const plain = getAt(view, path)
      if (typeof plain !== 'string') continue
      const key = `${joinPath(path)}\n${plain}`
      if (this.sealed.has(key)) continue
      const envelope = await this.cipher.seal(joinPath(path), plain)
      this.sealed.set(key, envelope)
      this.opened.set(this.envelopeKey(path, envelope), plain)
    }
  }

  /** `view` with secrets as envelopes, reusing `previous`'s envelope for unchanged ones. */
  private conceal(view: JsonObject, previous: JsonObject): JsonObject {
    let out = view
    for (const path of this.secretPathList) {
      const plain = getAt(view, path)
      if (plain === undefined) continue
      if (typeof plain !== 'string')
        throw new ValidationError(`The secret setting "${joinPath(path)}" must be a string`, [
          { path: joinPath(path), message: 'secret settings are strings' },
        ])
      const old = getAt(previous, path)
      if (isEnvelope(old) && this.opened.get(this.envelopeKey(path, old)) === plain) {
        out = setAt(out, path, old)
        continue
      }
      const envelope = this.sealed.get(`${joinPath(path)}\n${plain}`)
      if (!envelope) throw new StorageError('A secret setting was not encrypted before saving')
      out = setAt(out, path, envelope)
    }
    return out
  }

  private envelopeKey(path: string[], envelope: SecretEnvelope): string {
    return `${joinPath(path)}\n${envelope.iv}${envelope.data}`
  }

  /** `value` (found at `path`) with every secret under it shown as {@link REDACTED}. */
  private redact(path: string[], value: unknown): unknown {
    if (value === undefined) return undefined
    if (this.secretKeys.has(joinPath(path))) return REDACTED
    let out = redactEnvelopes(value)
    for (const secretPath of this.secretPathList) {
      if (secretPath.length <= path.length || !path.every((s, i) => secretPath[i] === s)) continue
      const rest = secretPath.slice(path.length)
      if (isPlainObject(out) && getAt(out, rest) !== undefined) out = setAt(out, rest, REDACTED)
    }
    return out
  }

  // ── helpers ────────────────────────────────────────────────────────────────────────

  private split(path: string): string[] {
    let segments = this.pathCache.get(path)
    if (!segments) {
      segments = splitPath(path)
      if (this.pathCache.size < 10_000) this.pathCache.set(path, segments)
    }
    return segments
  }
}
