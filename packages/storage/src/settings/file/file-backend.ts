/**
 * {@link SettingsBackend} in a data directory, for desktop (Node). Files, for a store
 * named `settings`:
 *
 * - `settings.json`: the snapshot, pretty JSON the user can read and edit; its last
 *   field is a SHA-256 checksum of everything before it.
 * - `settings.log`: commits since the snapshot, one line each: `<checksum> <json>`.
 *   A commit is durable once its line is appended and `fdatasync`ed, so `await set()`
 *   costs one small append, not a rewrite of the whole file.
 * - `settings.backup.json`: the previous snapshot (hard link, kept at each compaction).
 * - `settings.<label>.json`: named backups (before migrations).
 * - `settings.lock`: held while committing (see `lock.ts`); several processes may share
 *   the directory and never lose each other's commits.
 *
 * Compaction writes a new snapshot (temp file, fsync, rename, fsync of the directory)
 * and empties the log; it runs when the log grows past `compactBytes`, after a second
 * idle, and on close. Corrupt files (bad checksum, unparseable) are moved aside and the
 * backup is used, with a report. Edits made to `settings.json` outside the app (a
 * checksum that does not match, but valid JSON) are passed to the store, which takes
 * them if the schema accepts them and logs why not otherwise.
 */
import { createHash, randomBytes } from 'node:crypto'
import { fstatSync, statSync, watch, writeSync, type FSWatcher } from 'node:fs'
import { link, mkdir, open, rename, stat, type FileHandle } from 'node:fs/promises'
import { join } from 'node:path'
import { StorageError } from '@whatnext/core/errors'
import type { Logger } from '@whatnext/core/ports'
import { diff, isPlainObject, type JsonObject } from '../paths.ts'
import {
  applyCommit,
  type BackendEvent,
  type BackendLoad,
  type SettingsBackend,
  type SettingsCommit,
  type SettingsState,
} from '../state.ts'
import { FileLock } from './lock.ts'

// ───────────────────────────────────────────────────────────────────────────────────────
// PERSISTED NAMES. File names, FORMAT, the snapshot's fields and the log line layout are
// on users' disks: changing them needs a new FORMAT and a reader for the old one.
// ───────────────────────────────────────────────────────────────────────────────────────
const FORMAT = 'whatnext-settings/1'
const CHECKSUM_FIELD = ',\n  "checksum": "sha256:'

/** Options of {@link FileSettingsBackend.open}. */
export interface FileSettingsInit {
  /** The data directory (created if missing). */
  dir: string
  /** File name stem. Default `'settings'`. */
  name?: string
  /** Compact once the log is larger than this. Default 256 KiB. */
  compactBytes?: number
  /** Compact after this long without commits; `0` turns it off. Default 1000 ms. */
  idleCompactMs?: number
  /** Watch the directory for other processes' commits and outside edits. Default true. */
  watch?: boolean
  /** File mode of new files. Default 0o600: settings are the user's alone. */
  mode?: number
  /** Lock timing; see {@link FileLock}. */
  lock?: { staleMs?: number; timeoutMs?: number }
  /** Where corruption and recovery are logged. */
  logger?: Logger
}

function code(error: unknown): string | undefined {
  return (error as { code?: string } | null)?.code
}

function sha256(text: string | Uint8Array): string {
  return createHash('sha256').update(text).digest('hex')
}

/** The snapshot text: pretty JSON whose last field checksums everything before it. */
export function encodeSnapshot(state: SettingsState): string {
  const body = JSON.stringify(
    {
      format: FORMAT,
      version: state.version,
      seq: state.seq,
      historyStart: state.historyStart,
      data: state.data,
      history: state.history,
    },
    null,
    2,
  ).slice(0, -2) // drop the closing "\n}"
  return `${body}${CHECKSUM_FIELD}${sha256(body)}"\n}\n`
}

type Decoded =
  | { kind: 'ok'; state: SettingsState }
  | { kind: 'edited'; data: JsonObject; state: SettingsState | null }
  | { kind: 'corrupt'; reason: string }

function isState(value: JsonObject): boolean {
  return (
    typeof value.version === 'number' &&
    typeof value.seq === 'number' &&
    isPlainObject(value.data) &&
    Array.isArray(value.history)
  )
}

function toState(value: JsonObject): SettingsState {
  return {
    version: value.version as number,
    seq: value.seq as number,
    data: value.data as JsonObject,
    history: value.history as SettingsState['history'],
    historyStart: typeof value.historyStart === 'number' ? value.historyStart : 0,
  }
}

/** Reads a snapshot's text: intact, edited by hand, or corrupt (and why). */
export function decodeSnapshot(text: string): Decoded {
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch (error) {
    const reason = text.trim() === '' ? 'it is empty' : 'it is not valid JSON (truncated?)'
    return { kind: 'corrupt', reason: `${reason}: ${(error as Error).message}` }
  }
  if (!isPlainObject(parsed)) return { kind: 'corrupt', reason: 'it is not a JSON object' }
  const at = text.lastIndexOf(CHECKSUM_FIELD)
  const body = at >= 0 ? text.slice(0, at) : ''
  const intact =
    at >= 0 &&
    parsed.format === FORMAT &&
    parsed.checksum === `sha256:${sha256(body)}` &&
    isState(parsed)
  if (intact) return { kind: 'ok', state: toState(parsed) }
  if (!isPlainObject(parsed.data))
    return { kind: 'corrupt', reason: 'it has no "data" object (and its checksum fails)' }
  return { kind: 'edited', data: parsed.data, state: isState(parsed) ? toState(parsed) : null }
}

/** One log line: `<sha256 prefix> <json>\n`. */
function encodeLine(seq: number, commit: SettingsCommit): string {
  const json = JSON.stringify({ seq, commit })
  return `${sha256(json).slice(0, 16)} ${json}\n`
}

interface LogEntry {
  seq: number
  commit: SettingsCommit
  /** Byte offsets of the line in the bytes decoded. */
  start: number
  end: number
}

/** Complete, checksummed lines of `bytes`; stops at the first bad or unfinished one. */
function decodeLog(bytes: Buffer): { entries: LogEntry[]; used: number; bad: string | null } {
  const entries: LogEntry[] = []
  let used = 0
  for (;;) {
    const end = bytes.indexOf(10, used)
    if (end < 0)
      return {
        entries,
        used,
        bad: used < bytes.length ? 'an unfinished last line (a write cut short)' : null,
      }
    const line = bytes.toString('utf8', used, end)
    const space = line.indexOf(' ')
    const json = line.slice(space + 1)
    if (space !== 16 || sha256(json).slice(0, 16) !== line.slice(0, 16))
      return { entries, used, bad: 'a line whose checksum does not match' }
    try {
      const entry = JSON.parse(json) as LogEntry
      if (typeof entry.seq !== 'number' || !isPlainObject(entry.commit)) throw new Error()
      entries.push({ seq: entry.seq, commit: entry.commit, start: used, end: end + 1 })
    } catch {
      return { entries, used, bad: 'a line that is not a commit' }
    }
    used = end + 1
  }
}

interface FileId {
  ino: number
  size: number
  mtimeMs: number
}

const sameFile = (a: FileId | null, b: FileId | null) =>
  a === b || (!!a && !!b && a.ino === b.ino && a.size === b.size && a.mtimeMs === b.mtimeMs)

/** A {@link SettingsBackend} in a directory; see the module comment. */
export class FileSettingsBackend implements SettingsBackend {
  private readonly dir: string
  private readonly paths: { snapshot: string; log: string; backup: string; lock: string }
  private readonly name: string
  private readonly compactBytes: number
  private readonly idleCompactMs: number
  private readonly mode: number
  private readonly lock: FileLock
  private readonly logger: Logger | undefined
  private readonly listeners = new Set<(event: BackendEvent) => void>()
  private readonly log: FileHandle
  private readonly watchFiles: boolean

  private state: SettingsState | null = null
  /** Bytes of the log already applied to `state`. */
  private logUsed = 0
  /** The snapshot file as last read or written, and its data (to diff outside edits). */
  private snapshotId: FileId | null = null
  private snapshotData: JsonObject | null = null
  /** Whether the snapshot on disk is one we wrote (so it may become the backup). */
  private snapshotIntact = false
  private announced = 0
  private watcher: FSWatcher | null = null
  private idleTimer: ReturnType<typeof setTimeout> | null = null
  private watchTimer: ReturnType<typeof setTimeout> | null = null
  /** One disk operation at a time within this backend. */
  private queue: Promise<unknown> = Promise.resolve()
  private closed = false

  private constructor(init: FileSettingsInit, log: FileHandle) {
    this.dir = init.dir
    this.name = init.name ?? 'settings'
    const base = join(init.dir, this.name)
    this.paths = {
      snapshot: `${base}.json`,
      log: `${base}.log`,
      backup: `${base}.backup.json`,
      lock: `${base}.lock`,
    }
    this.compactBytes = init.compactBytes ?? 256 * 1024
    this.idleCompactMs = init.idleCompactMs ?? 1000
    this.mode = init.mode ?? 0o600
    this.lock = new FileLock(this.paths.lock, init.lock)
    this.logger = init.logger
    this.log = log
    this.watchFiles = init.watch ?? true
  }

  /**
   * Opens the store's files in `init.dir`, creating the directory and log if needed.
   *
   * @throws {StorageError} when the directory cannot be created or read.
   */
  static async open(init: FileSettingsInit): Promise<FileSettingsBackend> {
    try {
      await mkdir(init.dir, { recursive: true, mode: 0o700 })
      const logPath = join(init.dir, `${init.name ?? 'settings'}.log`)
      const log = await open(logPath, 'a+', init.mode ?? 0o600)
      const backend = new FileSettingsBackend(init, log)
      // A newly created log must survive a crash too.
      await backend.syncDir()
      return backend
    } catch (error) {
      throw new StorageError(`Could not open the settings in ${init.dir}: ${String(error)}`, {
        cause: code(error) ?? 'Unknown',
      })
    }
  }

  load(): Promise<BackendLoad> {
    return this.serial(async () => {
      const issues: string[] = []
      let recovered: string | undefined
      const snapshot = await this.readSnapshotFile(this.paths.snapshot)
      let rewrite = false
      if (snapshot.decoded?.kind === 'ok') this.adoptSnapshot(snapshot.decoded.state, snapshot.id)
      else if (snapshot.decoded?.kind === 'edited') {
        issues.push(`${this.name}.json was edited outside the app; using the edited settings`)
        const base = snapshot.decoded.state ?? { version: 1, seq: 0, history: [], historyStart: 0 }
        this.adoptSnapshot({ ...base, data: snapshot.decoded.data }, snapshot.id, false)
        // Rewritten with a checksum soon; never made the backup (the store may refuse it).
        this.scheduleIdleCompaction(true)
      } else if (snapshot.decoded?.kind === 'corrupt') {
        const aside = await this.moveAside(this.paths.snapshot)
        recovered = `${this.name}.json is corrupt (${snapshot.decoded.reason}); it was moved to ${aside}`
        const backup = await this.readBackup()
        if (backup) {
          this.adoptSnapshot(backup, null)
          recovered += ` and the settings were restored from ${this.name}.backup.json (saved at ${new Date(backup.history.at(-1)?.at ?? backup.historyStart).toISOString()})`
        } else recovered += '; there is no backup, so the settings start over'
        rewrite = true
      }
      const skipped = await this.readLog(false)
      if (skipped) issues.push(skipped)
      if (rewrite) {
        await this.exclusive(async () => {
          // Seq moves past anything the log holds, so no stale line is replayed.
          const highest = await this.highestLoggedSeq()
          if (this.state) {
            this.state = { ...this.state, seq: Math.max(this.state.seq, highest) + 1 }
            await this.writeSnapshot(this.state)
          }
        })
      }
      this.announced = this.state?.seq ?? 0
      if (recovered) this.logger?.error(recovered)
      this.startWatching()
      const load: BackendLoad = {
        state: this.state,
        issues,
        backup: () => this.serial(() => this.readBackup()),
      }
      if (recovered) load.recovered = recovered
      return load
    })
  }

  commit(
    prepare: (latest: SettingsState | null) => SettingsCommit | null,
  ): Promise<SettingsState | null> {
    return this.serial(() =>
      this.exclusive(async () => {
        const commit = prepare(this.state)
        if (!commit) return this.state
        const next = applyCommit(this.state, commit)
        const line = encodeLine(next.seq, commit)
        // The write only reaches the page cache (microseconds, so synchronous); the
        // datasync is what takes time, and it runs off the event loop.
        const bytes = Buffer.from(line)
        let written = 0
        while (written < bytes.length)
          written += writeSync(this.log.fd, bytes, written, bytes.length - written)
        await this.log.datasync()
        this.logUsed += bytes.length
        this.state = next
        this.announced = next.seq
        if (this.logUsed > this.compactBytes) await this.writeSnapshot(next)
        this.scheduleIdleCompaction()
        return next
      }),
    )
  }

  subscribe(listener: (event: BackendEvent) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  backup(label: string): Promise<void> {
    return this.serial(() =>
      this.exclusive(async () => {
        if (!this.state) return
        await this.writeFileDurably(this.labelPath(label), encodeSnapshot(this.state))
      }),
    )
  }

  restore(label: string): Promise<SettingsState | null> {
    return this.serial(() =>
      this.exclusive(async () => {
        const copy = await this.readSnapshotFile(this.labelPath(label))
        if (copy.decoded?.kind !== 'ok')
          throw new StorageError(`The settings backup "${label}" is missing or damaged`, {
            cause: 'NoBackup',
          })
        const next = { ...copy.decoded.state, seq: (this.state?.seq ?? 0) + 1 }
        await this.writeSnapshot(next)
        this.announced = next.seq
        return next
      }),
    )
  }

  async close(): Promise<void> {
    if (this.closed) return
    if (this.idleTimer) clearTimeout(this.idleTimer)
    if (this.watchTimer) clearTimeout(this.watchTimer)
    this.watcher?.close()
    this.listeners.clear()
    await this.serial(async () => {
      // Leave a snapshot that holds everything (and one we wrote, checksum and all).
      if (this.state && (this.logUsed > 0 || !this.snapshotIntact))
        await this.exclusive(async () => this.state && this.writeSnapshot(this.state)).catch(
          (error: unknown) =>
            this.logger?.warn(`Could not compact the settings on close: ${String(error)}`),
        )
    })
    this.closed = true
    await this.log.close()
  }

  // ── reading ────────────────────────────────────────────────────────────────────────

  private adoptSnapshot(state: SettingsState, id: FileId | null, intact = true): void {
    this.state = state
    this.snapshotId = id
    this.snapshotData = state.data
    this.snapshotIntact = intact
    this.logUsed = 0
  }

  private async readSnapshotFile(
    path: string,
  ): Promise<{ decoded: Decoded | null; id: FileId | null }> {
    try {
      const handle = await open(path, 'r')
      try {
        const id = await handle.stat()
        const text = await handle.readFile('utf8')
        return { decoded: decodeSnapshot(text), id }
      } finally {
        await handle.close()
      }
    } catch (error) {
      if (code(error) === 'ENOENT') return { decoded: null, id: null }
      throw error
    }
  }

  private async readBackup(): Promise<SettingsState | null> {
    const backup = await this.readSnapshotFile(this.paths.backup)
    return backup.decoded?.kind === 'ok' ? backup.decoded.state : null
  }

  /**
   * Applies log lines past `logUsed`. Under the lock a damaged tail is cut off (it is a
   * write that never completed, or damage: either way nothing acknowledged follows it
   * that could still be replayed); without it, the tail may simply be mid-write.
   * Returns a note when lines had to be dropped.
   */
  private async readLog(locked: boolean): Promise<string | null> {
    const { size } = fstatSync(this.log.fd)
    if (size < this.logUsed) {
      // Emptied by another process's compaction: its snapshot holds what we had.
      await this.reloadSnapshot()
      // Lines the snapshot covers are skipped by seq, so re-reading from 0 is safe.
      if (size < this.logUsed) this.logUsed = 0
    }
    if (size === this.logUsed) return null
    const from = this.logUsed
    const bytes = Buffer.alloc(size - from)
    await this.log.read(bytes, 0, bytes.length, from)
    const { entries, used, bad } = decodeLog(bytes)
    for (const entry of entries) {
      const expected = (this.state?.seq ?? 0) + 1
      if (entry.seq > expected) {
        this.logUsed = from + entry.start
        if (!locked) return null
        return this.cutLog(this.logUsed, `a gap in its changes before change ${entry.seq}`)
      }
      if (entry.seq === expected) this.state = applyCommit(this.state, entry.commit)
    }
    this.logUsed = from + used
    if (bad && locked) return this.cutLog(this.logUsed, bad)
    return null
  }

  private async cutLog(at: number, why: string): Promise<string> {
    const { size } = await this.log.stat()
    await this.log.truncate(at)
    await this.log.datasync()
    this.logUsed = at
    const note = `${this.name}.log had ${why}; dropped its last ${size - at} bytes (no acknowledged change is in them unless the disk damaged the file)`
    this.logger?.warn(note)
    return note
  }

  private async highestLoggedSeq(): Promise<number> {
    const { size } = await this.log.stat()
    const bytes = Buffer.alloc(size)
    await this.log.read(bytes, 0, size, 0)
    return decodeLog(bytes).entries.reduce((max, e) => Math.max(max, e.seq), 0)
  }

  /** Re-reads the snapshot if it changed since we last saw it. */
  private async reloadSnapshot(): Promise<void> {
    // A stat per commit (synchronous: microseconds, against a thread-pool round trip);
    // the file itself is read only when it changed.
    const now = statSync(this.paths.snapshot, { throwIfNoEntry: false }) ?? null
    if (sameFile(now, this.snapshotId)) return
    const snapshot = await this.readSnapshotFile(this.paths.snapshot)
    if (sameFile(snapshot.id, this.snapshotId)) return
    const decoded = snapshot.decoded
    if (decoded?.kind === 'ok') {
      if (!this.state || decoded.state.seq >= this.state.seq)
        this.adoptSnapshot(decoded.state, snapshot.id)
      else this.snapshotId = snapshot.id
      return
    }
    // Edited or damaged from outside: keep our state; the store decides on edits.
    this.snapshotId = snapshot.id
    this.snapshotIntact = false
    if (decoded?.kind === 'edited') {
      const changes = diff(this.snapshotData ?? {}, decoded.data)
      this.snapshotData = decoded.data
      if (changes.length > 0) this.emit({ type: 'edited', changes, source: `${this.name}.json` })
    } else if (decoded?.kind === 'corrupt')
      this.logger?.warn(
        `Ignored an outside change to ${this.name}.json: ${decoded.reason}; keeping the last good settings`,
      )
    // Either way the file on disk should hold good settings again soon.
    this.scheduleIdleCompaction(true)
  }

  /** Brings `state` up to date with the disk (another process may have committed). */
  private async refresh(locked: boolean): Promise<void> {
    await this.reloadSnapshot()
    await this.readLog(locked)
  }

  // ── writing ────────────────────────────────────────────────────────────────────────

  /** Runs `fn` holding the lock, on state brought up to date first. */
  private async exclusive<T>(fn: () => Promise<T>): Promise<T> {
    if (this.closed) throw new StorageError('The settings backend is closed', { cause: 'Closed' })
    await this.lock.acquire()
    try {
      await this.refresh(true)
      return await fn()
    } finally {
      await this.lock.release()
    }
  }

  /** Compaction: the state as the new snapshot, the old one as backup, the log emptied. */
  private async writeSnapshot(state: SettingsState): Promise<void> {
    const temp = `${this.paths.snapshot}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`
    await this.writeFile(temp, encodeSnapshot(state))
    if (this.snapshotIntact && this.snapshotId) {
      try {
        // Keep the current snapshot as the backup; a hard link never leaves a gap.
        const linkTemp = `${this.paths.backup}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`
        await link(this.paths.snapshot, linkTemp)
        await rename(linkTemp, this.paths.backup)
      } catch (error) {
        if (code(error) !== 'ENOENT' && code(error) !== 'EEXIST') throw error
      }
    }
    await rename(temp, this.paths.snapshot)
    await this.syncDir()
    // Only now may the log go: every line in it is covered by the snapshot's seq.
    await this.log.truncate(0)
    await this.log.datasync()
    this.state = state
    this.logUsed = 0
    this.snapshotData = state.data
    this.snapshotIntact = true
    this.snapshotId = await stat(this.paths.snapshot)
  }

  private async writeFileDurably(path: string, text: string): Promise<void> {
    const temp = `${path}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`
    await this.writeFile(temp, text)
    await rename(temp, path)
    await this.syncDir()
  }

  private async writeFile(path: string, text: string): Promise<void> {
    const handle = await open(path, 'w', this.mode)
    try {
      await handle.writeFile(text)
      await handle.sync()
    } finally {
      await handle.close()
    }
  }

  private async syncDir(): Promise<void> {
    // Makes renames and new files durable. Windows cannot open directories; there
    // NTFS journals the rename itself.
    if (process.platform === 'win32') return
    const handle = await open(this.dir, 'r')
    try {
      await handle.sync()
    } finally {
      await handle.close()
    }
  }

  private async moveAside(path: string): Promise<string> {
    const aside = `${this.name}.corrupt-${new Date().toISOString().replace(/[:.]/g, '-')}.json`
    await rename(path, join(this.dir, aside))
    return aside
  }

  private labelPath(label: string): string {
    if (!/^[\w.-]+$/.test(label)) throw new StorageError(`Invalid backup label "${label}"`)
    return join(this.dir, `${this.name}.${label}.json`)
  }

  // ── watching ───────────────────────────────────────────────────────────────────────

  private startWatching(): void {
    if (!this.watchFiles || this.watcher) return
    try {
      this.watcher = watch(this.dir, { persistent: false }, (_event, file) => {
        if (file && !String(file).startsWith(`${this.name}.`)) return
        if (String(file).endsWith('.lock') || String(file).includes('.tmp-')) return
        // Editors and compactions touch files in bursts: look once things settle.
        if (this.watchTimer) clearTimeout(this.watchTimer)
        this.watchTimer = setTimeout(() => void this.onWatch(), 10)
      })
      this.watcher.on('error', () => {})
    } catch (error) {
      this.logger?.warn(`Not watching ${this.dir} for changes: ${String(error)}`)
    }
  }

  private async onWatch(): Promise<void> {
    this.watchTimer = null
    if (this.closed) return
    try {
      await this.serial(() => this.refresh(false))
    } catch (error) {
      this.logger?.warn(`Could not read a settings change from disk: ${String(error)}`)
      return
    }
    if (this.state && this.state.seq > this.announced) {
      this.announced = this.state.seq
      this.emit({ type: 'changed', state: this.state })
    }
  }

  private emit(event: BackendEvent): void {
    for (const listener of this.listeners) listener(event)
  }

  private scheduleIdleCompaction(evenIfEmpty = false): void {
    if (this.idleCompactMs <= 0) return
    if (this.idleTimer) clearTimeout(this.idleTimer)
    this.idleTimer = setTimeout(() => {
      this.idleTimer = null
      if (this.closed || (!evenIfEmpty && this.logUsed === 0)) return
      void this.serial(() =>
        this.exclusive(async () => {
          if (this.state) await this.writeSnapshot(this.state)
        }),
      ).catch((error: unknown) =>
        this.logger?.warn(`Could not compact the settings: ${String(error)}`),
      )
    }, this.idleCompactMs)
    this.idleTimer.unref?.()
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn)
    this.queue = run.catch(() => {})
    return run
  }
}
