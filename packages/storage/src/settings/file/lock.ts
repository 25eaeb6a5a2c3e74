/**
 * A cross-process lock file for the file backend: created with O_EXCL, holding the
 * owner's pid, host and a random token. A holder that died (same host, pid gone) is taken
 * over at once; on another host (or after pid reuse) a lock older than `staleMs` is.
 *
 * Why not `proper-lockfile`: it only learns a holder died when the lock's mtime is older
 * than its `stale` option (at least 2 s, 10 s by default), so after a crash the next
 * save would stall that long, and it keeps a timer refreshing the mtime. Settings hold
 * the lock for one append (milliseconds), so a pid check detects a dead holder at once
 * and no refresh is needed. Like proper-lockfile, taking over a dead holder's lock has
 * a narrow race when several processes do it at the same moment; see `takeOver`.
 */
import { randomBytes } from 'node:crypto'
import { unlinkSync, writeFileSync } from 'node:fs'
import { link, readFile, rename, stat, unlink } from 'node:fs/promises'
import { hostname } from 'node:os'
import { StorageError } from '@whatnext/core/errors'

/** Options of {@link FileLock}. */
export interface FileLockInit {
  /** A lock older than this is taken over even if its owner seems alive. Default 30 s. */
  staleMs?: number
  /** Give up waiting after this long. Default 10 s. */
  timeoutMs?: number
}

interface Owner {
  pid: number
  host: string
  token: string
}

function code(error: unknown): string | undefined {
  return (error as { code?: string } | null)?.code
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return code(error) === 'EPERM'
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** An exclusive lock on `path` shared by every process on this machine. */
export class FileLock {
  private readonly path: string
  private readonly staleMs: number
  private readonly timeoutMs: number
  private token: string | null = null

  constructor(path: string, init: FileLockInit = {}) {
    this.path = path
    this.staleMs = init.staleMs ?? 30_000
    this.timeoutMs = init.timeoutMs ?? 10_000
  }

  /**
   * Waits until this process holds the lock.
   *
   * @throws {StorageError} when another live process holds it for longer than `timeoutMs`.
   */
  async acquire(): Promise<void> {
    const token = randomBytes(12).toString('hex')
    const owner: Owner = { pid: process.pid, host: hostname(), token }
    const started = Date.now()
    let wait = 1
    for (;;) {
      try {
        // Synchronous: a create of a tiny file takes microseconds, while a trip through
        // libuv's thread pool costs ~0.1 ms per call, and a set takes the lock each time.
        writeFileSync(this.path, JSON.stringify(owner), { flag: 'wx', mode: 0o600 })
        this.token = token
        return
      } catch (error) {
        if (code(error) !== 'EEXIST') throw error
      }
      const holder = await this.inspect()
      if (holder === 'gone') continue
      if (holder.stale) {
        await this.takeOver(holder.ino)
        continue
      }
      if (Date.now() - started > this.timeoutMs)
        throw new StorageError(
          `The settings are locked by another process (pid ${holder.owner?.pid ?? 'unknown'})`,
          { cause: 'Locked', lock: this.path },
        )
      await sleep(wait)
      wait = Math.min(wait * 2, 16)
    }
  }

  /**
   * Releases the lock. Only its holder removes it, and nobody takes over a live holder's
   * lock before `staleMs`, far beyond any commit, so it is removed without re-reading.
   */
  async release(): Promise<void> {
    const token = this.token
    this.token = null
    if (!token) return
    try {
      unlinkSync(this.path)
    } catch (error) {
      if (code(error) !== 'ENOENT') throw error
    }
  }

  private async inspect(): Promise<'gone' | { stale: boolean; ino: number; owner: Owner | null }> {
    let text: string
    let info: { ino: number; mtimeMs: number }
    try {
      info = await stat(this.path)
      text = await readFile(this.path, 'utf8')
    } catch (error) {
      if (code(error) === 'ENOENT') return 'gone'
      throw error
    }
    const age = Date.now() - info.mtimeMs
    let owner: Owner
    try {
      owner = JSON.parse(text) as Owner
    } catch {
      // Created but not written yet, or its writer died in between.
      return { stale: age > 1000, ino: info.ino, owner: null }
    }
    const dead = owner.host === hostname() && !alive(owner.pid)
    return { stale: dead || age > this.staleMs, ino: info.ino, owner }
  }

  /**
   * Removes a stale lock file, but only the one judged stale (inode `ino`): it is moved
   * aside first and checked. If another process replaced it meanwhile, its lock is put
   * back. (If a third one created a lock in that instant, two would hold it: the same
   * window proper-lockfile has; it needs a dead holder and three contenders at once.)
   */
  private async takeOver(ino: number): Promise<void> {
    const aside = `${this.path}.stale-${randomBytes(6).toString('hex')}`
    try {
      await rename(this.path, aside)
    } catch (error) {
      if (code(error) === 'ENOENT') return
      throw error
    }
    try {
      if ((await stat(aside)).ino !== ino) await link(aside, this.path).catch(() => {})
    } finally {
      await unlink(aside).catch(() => {})
    }
  }
}
