/**
 * Durable file writes for the plaintext library: a file is replaced atomically (temp
 * file beside it, fsync, rename, fsync of the directory), so a reader — or the app after
 * a SIGKILL or power cut — sees either the old content or the new, never a torn mix.
 */
import { randomBytes } from 'node:crypto'
import { open, rename, unlink } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'

/** Prefix of temp files; anything starting with it is debris of an interrupted write. */
export const TEMP_PREFIX = '.~whatnext-tmp-'

/** `error.code` of a Node system error, if any. */
export function errorCode(error: unknown): string | undefined {
  return (error as { code?: string } | null)?.code
}

/**
 * Makes renames and newly created files in `dir` durable. Windows cannot open a
 * directory; there NTFS journals the rename itself.
 */
export async function syncDir(dir: string): Promise<void> {
  if (process.platform === 'win32') return
  const handle = await open(dir, 'r')
  try {
    await handle.sync()
  } finally {
    await handle.close()
  }
}

/** Writes `data` to `path` atomically and durably; see the module comment. */
export async function writeFileAtomic(
  path: string,
  data: string | Uint8Array,
  init: { mode?: number; syncDirectory?: boolean } = {},
): Promise<void> {
  const dir = dirname(path)
  // A hidden name in the same directory: rename is only atomic within one file system,
  // and watchers of the library folder skip dot-files.
  const temp = join(dir, `${TEMP_PREFIX}${randomBytes(6).toString('hex')}-${basename(path)}`)
  const handle = await open(temp, 'w', init.mode ?? 0o644)
  try {
    await handle.writeFile(data)
    await handle.sync()
  } catch (error) {
    await handle.close().catch(() => {})
    await unlink(temp).catch(() => {})
    throw error
  }
  await handle.close()
  try {
    await rename(temp, path)
  } catch (error) {
    await unlink(temp).catch(() => {})
    throw error
  }
  if (init.syncDirectory ?? true) await syncDir(dir)
}
