/**
 * The settings compliance suite on real files, and what only the file backend does:
 * readable snapshot + checksummed log, corruption recovery, outside edits, the lock,
 * and the desktop secrets key.
 */
import { readFile, readdir, rm, stat, writeFile, appendFile, mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Logger } from '@whatnext/core/ports'
import { afterAll, describe, expect, it, vi } from 'vitest'
import { memorySecretKey } from '../secrets.ts'
import { createSettingsStore } from '../store.ts'
import {
  settingsBackendSuite,
  testDefaults,
  testSchema,
  waitFor,
} from '../test-support/compliance.ts'
import { FileSettingsBackend, decodeSnapshot, type FileSettingsInit } from './file-backend.ts'
import { FileLock } from './lock.ts'
import { fileSecretKey, type SafeStorageLike } from './secret-key.ts'

const dirs: string[] = []
async function freshDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'whatnext-settings-'))
  dirs.push(dir)
  return dir
}
afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })))
})

async function dump(dir: string): Promise<string> {
  const names = await readdir(dir)
  const texts = await Promise.all(names.map((n) => readFile(join(dir, n), 'utf8')))
  return names.map((n, i) => `== ${n}\n${texts[i]}`).join('\n')
}

settingsBackendSuite('files', {
  async place() {
    const dir = await freshDir()
    return {
      open: () => FileSettingsBackend.open({ dir }),
      raw: () => dump(dir),
    }
  },
})

function recordingLogger(): Logger & { lines: string[] } {
  const lines: string[] = []
  const log = (message: string) => void lines.push(message)
  return { lines, debug: log, info: log, warn: log, error: log }
}

async function openStore(dir: string, init: Partial<FileSettingsInit> = {}, logger?: Logger) {
  return createSettingsStore({
    schema: testSchema,
    defaults: testDefaults,
    backend: await FileSettingsBackend.open({ dir, ...init }),
    secrets: memorySecretKey(),
    ...(logger ? { logger } : {}),
  })
}

/** Two sessions: the first leaves `theme: dark` as the backup, the second `light`. */
async function withBackup(dir: string) {
  const first = await openStore(dir)
  await first.set('theme', 'dark')
  await first.close()
  const second = await openStore(dir)
  await second.set({ theme: 'light', displayName: 'latest' })
  await second.close()
}

describe('FileSettingsBackend', () => {
  it('makes a set durable with one log append and compacts into a readable snapshot', async () => {
    const dir = await freshDir()
    const s = await openStore(dir, { idleCompactMs: 0 })
    await s.set('theme', 'dark')
    const snapshotBefore = await stat(join(dir, 'settings.json')).catch(() => null)
    await s.set('displayName', 'Ada')
    const log = await readFile(join(dir, 'settings.log'), 'utf8')
    expect(log.trim().split('\n')).toHaveLength(2)
    expect(log).toMatch(/^[0-9a-f]{16} \{"seq":2,"commit":/m)
    // No snapshot rewrite per set.
    expect(snapshotBefore).toBeNull()
    await s.close()
    const text = await readFile(join(dir, 'settings.json'), 'utf8')
    const parsed = JSON.parse(text) as Record<string, unknown>
    expect(parsed.data).toMatchObject({ theme: 'dark', displayName: 'Ada' })
    expect(parsed.checksum).toMatch(/^sha256:[0-9a-f]{64}$/)
    expect(text).toContain('\n  "data": {\n')
    expect(await readFile(join(dir, 'settings.log'), 'utf8')).toBe('')
    expect((await stat(join(dir, 'settings.json'))).mode & 0o777).toBe(0o600)
  })

  for (const [damage, write] of [
    ['truncated', (text: string) => text.slice(0, text.length / 2)],
    ['garbage', () => '\u0000\u0001garbage{{{'],
    ['empty', () => ''],
  ] as const)
    it(`recovers a ${damage} snapshot from the backup, with a report`, async () => {
      const dir = await freshDir()
      await withBackup(dir)
      const path = join(dir, 'settings.json')
      await writeFile(path, write(await readFile(path, 'utf8')))
      const logger = recordingLogger()
      const s = await openStore(dir, {}, logger)
      expect(s.report.recovered?.source).toBe('backup')
      expect(s.report.recovered?.reason).toMatch(
        /settings\.json is corrupt .*moved to settings\.corrupt-.*restored from settings\.backup\.json/,
      )
      expect(s.get('theme')).toBe('dark')
      expect(logger.lines.join('\n')).toMatch(/corrupt/)
      await s.set('displayName', 'after')
      await s.close()
      expect((await readdir(dir)).some((n) => n.startsWith('settings.corrupt-'))).toBe(true)
      const again = await openStore(dir)
      expect(again.report.recovered).toBeUndefined()
      expect(again.store).toMatchObject({ theme: 'dark', displayName: 'after' })
      await again.close()
    })

  it('recovers from the backup when the snapshot holds data of the wrong shape', async () => {
    const dir = await freshDir()
    await withBackup(dir)
    const path = join(dir, 'settings.json')
    const parsed = JSON.parse(await readFile(path, 'utf8')) as { data: Record<string, unknown> }
    parsed.data.sync = 'not an object'
    await writeFile(path, JSON.stringify(parsed))
    const s = await openStore(dir)
    expect(s.report.recovered).toMatchObject({ source: 'backup' })
    expect(s.report.recovered?.reason).toMatch(/sync/)
    expect(s.get('theme')).toBe('dark')
    expect(s.get('sync')).toEqual(testDefaults.sync)
    await s.close()
  })

  it('takes a valid hand edit made while the app was closed', async () => {
    const dir = await freshDir()
    await withBackup(dir)
    const path = join(dir, 'settings.json')
    const text = await readFile(path, 'utf8')
    await writeFile(path, text.replace('"theme": "light"', '"theme": "system"'))
    const s = await openStore(dir)
    expect(s.report.recovered).toBeUndefined()
    expect(s.report.issues.join()).toMatch(/edited outside the app/)
    expect(s.get('theme')).toBe('system')
    expect(s.get('displayName')).toBe('latest')
    await s.close()
    expect(decodeSnapshot(await readFile(path, 'utf8')).kind).toBe('ok')
  })

  it('ignores an unfinished last log line, then cuts it off before appending', async () => {
    const dir = await freshDir()
    const s = await openStore(dir, { idleCompactMs: 0 })
    await s.set('theme', 'dark')
    await appendFile(join(dir, 'settings.log'), '0123456789abcdef {"seq":2,"comm')
    const other = await openStore(dir, { idleCompactMs: 0 })
    expect(other.get('theme')).toBe('dark')
    await other.set('displayName', 'Bo')
    const lines = (await readFile(join(dir, 'settings.log'), 'utf8')).split('\n')
    expect(lines.filter(Boolean).map((l) => JSON.parse(l.slice(17)).seq)).toEqual([1, 2])
    await other.close()
    await s.close()
    const again = await openStore(dir)
    expect(again.store).toMatchObject({ theme: 'dark', displayName: 'Bo' })
    await again.close()
  })

  it('picks up a valid outside edit and refuses an invalid one, with a logged reason', async () => {
    const dir = await freshDir()
    const logger = recordingLogger()
    const s = await openStore(dir, { idleCompactMs: 0 }, logger)
    await s.set('theme', 'dark')
    await s.close()
    const running = await openStore(dir, { idleCompactMs: 50 }, logger)
    const seen: string[] = []
    running.onDidChange('theme', (theme) => seen.push(theme))
    const path = join(dir, 'settings.json')
    const text = await readFile(path, 'utf8')
    await writeFile(path, text.replace('"theme": "dark"', '"theme": "light"'))
    await waitFor(() => running.get('theme') === 'light', 2000, 'the outside edit')
    expect(seen).toEqual(['light'])
    await running.flush()
    expect(running.history().at(-1)?.changes).toEqual([
      { path: 'theme', before: 'dark', after: 'light' },
    ])
    const current = await readFile(path, 'utf8')
    await writeFile(path, current.replace(/"theme": "\w+"/, '"theme": "purple"'))
    await waitFor(
      () => logger.lines.some((l) => /Refused an outside edit.*theme/.test(l)),
      2000,
      'the refusal',
    )
    expect(running.get('theme')).toBe('light')
    // The next compaction puts the file right again.
    const started = Date.now()
    while (/purple/.test(await readFile(path, 'utf8'))) {
      expect(Date.now() - started).toBeLessThan(2000)
      await new Promise((r) => setTimeout(r, 20))
    }
    expect(decodeSnapshot(await readFile(path, 'utf8'))).toMatchObject({ kind: 'ok' })
    await running.close()
    const again = await openStore(dir)
    expect(again.get('theme')).toBe('light')
    await again.close()
  })

  it('encrypts secrets on disk', async () => {
    const dir = await freshDir()
    const key = memorySecretKey()
    const s = await createSettingsStore({
      schema: testSchema,
      defaults: testDefaults,
      backend: await FileSettingsBackend.open({ dir }),
      secrets: key,
    })
    await s.set('relayToken', 'plaintext-token-123')
    await s.close()
    expect(await dump(dir)).not.toContain('plaintext-token-123')
  })
})

describe('FileLock', () => {
  it('takes over at once from a holder that died', async () => {
    const dir = await freshDir()
    const path = join(dir, 'x.lock')
    // pid 2^22+1 is above Linux's default pid_max: no such process.
    await writeFile(
      path,
      JSON.stringify({ pid: 4194305, host: (await import('node:os')).hostname(), token: 't' }),
    )
    const lock = new FileLock(path, { timeoutMs: 500 })
    const started = Date.now()
    await lock.acquire()
    expect(Date.now() - started).toBeLessThan(400)
    await lock.release()
    await expect(stat(path)).rejects.toThrow()
  })

  it('makes a second holder wait until the first releases', async () => {
    const dir = await freshDir()
    const path = join(dir, 'x.lock')
    const a = new FileLock(path)
    const b = new FileLock(path)
    await a.acquire()
    const order: string[] = []
    const waiting = b.acquire().then(() => order.push('b'))
    await new Promise((r) => setTimeout(r, 30))
    order.push('a releases')
    await a.release()
    await waiting
    expect(order).toEqual(['a releases', 'b'])
    await b.release()
  })
})

describe('fileSecretKey', () => {
  function fakeSafeStorage(available = true): SafeStorageLike & { calls: number } {
    const fake = {
      calls: 0,
      isEncryptionAvailable: () => available,
      encryptString: (text: string) => {
        fake.calls++
        return Buffer.from(`sealed:${Buffer.from(text).toString('hex')}`)
      },
      decryptString: (bytes: Uint8Array) =>
        Buffer.from(Buffer.from(bytes).toString().replace('sealed:', ''), 'hex').toString(),
    }
    return fake
  }

  async function roundTrip(a: CryptoKey, b: CryptoKey) {
    const iv = new Uint8Array(12)
    const sealed = await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, a, new Uint8Array([5]))
    return [...new Uint8Array(await crypto.subtle.decrypt({ name: 'AES-GCM', iv }, b, sealed))]
  }

  it('seals the key with safeStorage when available, and reads it back', async () => {
    const dir = await freshDir()
    const safe = fakeSafeStorage()
    const key = await fileSecretKey({ dir, safeStorage: safe }).key()
    expect(key.extractable).toBe(false)
    expect(safe.calls).toBe(1)
    expect(await readdir(dir)).toEqual(['secrets.key.safe'])
    const again = await fileSecretKey({ dir, safeStorage: safe }).key()
    expect(await roundTrip(key, again)).toEqual([5])
    const unavailable = fileSecretKey({ dir, safeStorage: fakeSafeStorage(false) })
    await expect(unavailable.key()).rejects.toThrow(/keychain/)
  })

  it('falls back to a 0600 key file, and two makers at once agree on one key', async () => {
    const dir = await freshDir()
    const [a, b] = await Promise.all([
      fileSecretKey({ dir }).key(),
      fileSecretKey({ dir, safeStorage: fakeSafeStorage(false) }).key(),
    ])
    expect(await roundTrip(a, b)).toEqual([5])
    expect((await readdir(dir)).filter((n) => !n.includes('.tmp-'))).toEqual(['secrets.key'])
    expect((await stat(join(dir, 'secrets.key'))).mode & 0o777).toBe(0o600)
  })

  it('lets a store read its secrets after a restart', async () => {
    const dir = await freshDir()
    const open = async () =>
      createSettingsStore({
        schema: testSchema,
        defaults: testDefaults,
        backend: await FileSettingsBackend.open({ dir }),
        secrets: fileSecretKey({ dir, safeStorage: fakeSafeStorage() }),
      })
    const s = await open()
    await s.set('relayToken', 'tok-abc')
    await s.close()
    const again = await open()
    expect(again.get('relayToken')).toBe('tok-abc')
    await again.close()
    vi.restoreAllMocks()
  })
})
