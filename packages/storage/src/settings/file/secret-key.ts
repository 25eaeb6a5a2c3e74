/**
 * The desktop's secrets key: 32 random bytes made once per profile and kept in the data
 * directory, sealed by Electron `safeStorage` (the OS keychain) when it is available,
 * else in a key file readable by the user alone (mode 0600). Either way it is imported
 * as a non-extractable AES-GCM 256 key.
 */
import { randomBytes } from 'node:crypto'
import { link, mkdir, readFile, unlink, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { StorageError } from '@whatnext/core/errors'
import { importSecretKey, type SecretKeyProvider, type Subtle } from '../secrets.ts'

/** The part of Electron's `safeStorage` used here (tests pass a fake). */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean
  encryptString(plainText: string): Uint8Array
  decryptString(encrypted: Uint8Array): string
}

// PERSISTED NAMES: the key files in the data directory.
const SEALED = 'secrets.key.safe'
const PLAIN = 'secrets.key'

/** Options of {@link fileSecretKey}. */
export interface FileSecretKeyInit {
  /** The profile's data directory. */
  dir: string
  /** Electron's `safeStorage`; omit (or unavailable) for the key-file fallback. */
  safeStorage?: SafeStorageLike | null
  /** Default `globalThis.crypto.subtle`. */
  subtle?: Subtle
}

function code(error: unknown): string | undefined {
  return (error as { code?: string } | null)?.code
}

/**
 * Writes `bytes` to `path` only if no file is there yet (via a temp file and `link`, which
 * fails on an existing name), so two processes creating the key at once agree on one.
 */
async function createOnce(path: string, bytes: Uint8Array): Promise<boolean> {
  const temp = `${path}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`
  await writeFile(temp, bytes, { mode: 0o600, flush: true })
  try {
    await link(temp, path)
    return true
  } catch (error) {
    if (code(error) === 'EEXIST') return false
    throw error
  } finally {
    await unlink(temp).catch(() => {})
  }
}

async function readIfThere(path: string): Promise<Buffer | null> {
  try {
    return await readFile(path)
  } catch (error) {
    if (code(error) === 'ENOENT') return null
    throw error
  }
}

/**
 * The key's 32 bytes, made on first use (see the module comment). For a process that
 * hands them to a sandboxed window which cannot read the files itself (the desktop's
 * main process); everything else uses {@link fileSecretKey}.
 */
export async function fileSecretKeyBytes(
  init: Omit<FileSecretKeyInit, 'subtle'>,
): Promise<Uint8Array<ArrayBuffer>> {
  const safe = init.safeStorage?.isEncryptionAvailable() ? init.safeStorage : null
  const load = async (): Promise<Uint8Array<ArrayBuffer>> => {
    await mkdir(init.dir, { recursive: true, mode: 0o700 })
    const sealedPath = join(init.dir, SEALED)
    const plainPath = join(init.dir, PLAIN)
    let raw: Uint8Array<ArrayBuffer> | null = null
    const sealed = await readIfThere(sealedPath)
    if (sealed) {
      if (!safe)
        throw new StorageError(
          'The secrets key is sealed by the system keychain, which is unavailable now',
          { cause: 'KeychainUnavailable' },
        )
      raw = Uint8Array.from(Buffer.from(safe.decryptString(sealed), 'base64'))
    } else if (!safe) {
      const plain = await readIfThere(plainPath)
      if (plain) raw = Uint8Array.from(Buffer.from(plain.toString('utf8'), 'base64'))
    }
    if (!raw) {
      const fresh = Uint8Array.from(randomBytes(32))
      const encoded = Buffer.from(fresh).toString('base64')
      const path = safe ? sealedPath : plainPath
      const bytes = safe ? safe.encryptString(encoded) : Buffer.from(encoded)
      // Another process may have won the race: then its key is the key.
      if (!(await createOnce(path, bytes))) return load()
      raw = fresh
    }
    if (raw.byteLength !== 32)
      throw new StorageError('The secrets key file is damaged', { cause: 'BadKey' })
    return raw
  }
  return load()
}

/** See the module comment. */
export function fileSecretKey(init: FileSecretKeyInit): SecretKeyProvider {
  const subtle = init.subtle ?? globalThis.crypto.subtle
  const load = async (): Promise<CryptoKey> =>
    importSecretKey(subtle, await fileSecretKeyBytes(init))
  let key: Promise<CryptoKey> | undefined
  return {
    key: () => {
      key ??= load()
      key.catch(() => (key = undefined))
      return key
    },
  }
}
