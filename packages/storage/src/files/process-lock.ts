/**
 * One process at a time per library folder: a lock file made with O_EXCL holding the
 * owner's pid and host, kept for as long as the library is open. A holder that died
 * (same host, pid gone: a crash or a SIGKILL) is taken over at once, so a restarted
 * engine opens the library immediately.
 *
 * Unlike `settings/file/lock.ts` (held for one commit, milliseconds), this is held for
 * hours, so age says nothing about liveness: only the pid check does.
 */
import { randomBytes } from 'node:crypto'
import { hostname } from 'node:os'
import { readFile, rename, unlink, writeFile } from 'node:fs/promises'
import { StorageError } from '@whatnext/core/errors'
import { errorCode } from './durable.ts'

interface Owner {
  pid: number
  host: string
  token?: string
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return errorCode(error) === 'EPERM'
  }
}

/** Takes the lock at `path` for this process, or throws `StorageError` (`cause: 'Locked'`). */
export async function acquireProcessLock(path: string): Promise<() => Promise<void>> {
  const me: Owner = { pid: process.pid, host: hostname(), token: randomBytes(8).toString('hex') }
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      await writeFile(path, JSON.stringify(me), { flag: 'wx', mode: 0o600 })
      return async () => {
        // Only our own lock: a later open in this process may have taken it over.
        const now = await readFile(path, 'utf8').catch(() => '')
        if (now.includes(me.token!)) await unlink(path).catch(() => {})
      }
    } catch (error) {
      if (errorCode(error) !== 'EEXIST') throw error
    }
    let owner: Owner | null = null
    try {
      owner = JSON.parse(await readFile(path, 'utf8')) as Owner
    } catch (error) {
      if (errorCode(error) === 'ENOENT') continue
      // Unreadable: created but never written (its writer died in between).
    }
    if (owner && owner.host === me.host && owner.pid !== me.pid && alive(owner.pid))
      throw new StorageError(`The library is open in another process (pid ${owner.pid})`, {
        cause: 'Locked',
        lock: path,
      })
    if (owner && owner.host !== me.host)
      throw new StorageError(`The library is open on another computer (${owner.host})`, {
        cause: 'Locked',
        lock: path,
      })
    // Dead holder (or our own pid from a previous life): move it aside, then retry.
    const aside = `${path}.stale-${process.pid}-${attempt}`
    await rename(path, aside).catch(() => {})
    await unlink(aside).catch(() => {})
  }
  throw new StorageError('Could not take the library lock', { cause: 'Locked', lock: path })
}
