import { mkdtemp, readdir, readFile, rm, stat, truncate, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { StorageError } from '@whatnext/core/errors'
import { afterAll, describe, expect, it } from 'vitest'
import { documentStoreSuite } from '../test-support/compliance.ts'
import { FsDocumentStore, STATE_DIR, encodeDocId } from './fs-document-store.ts'

const dirs: string[] = []
async function freshDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'whatnext-fs-store-'))
  dirs.push(dir)
  return dir
}
afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })))
})

documentStoreSuite('files', {
  async open() {
    const dir = await freshDir()
    const store = await FsDocumentStore.open({ dir })
    return { store, second: () => FsDocumentStore.open({ dir }) }
  },
})

const text = (s: string) => new TextEncoder().encode(s)
const decode = (list: Uint8Array[]) => list.map((u) => new TextDecoder().decode(u))

describe('FsDocumentStore on disk', () => {
  it('keeps everything across close and reopen, positions continuing upwards', async () => {
    const dir = await freshDir()
    const first = await FsDocumentStore.open({ dir })
    await first.append('a', text('1'))
    const last = await first.append('b', text('2'))
    await first.close()
    const again = await FsDocumentStore.open({ dir })
    expect(await again.list()).toEqual(['a', 'b'])
    expect(decode((await again.load('a')).updates)).toEqual(['1'])
    expect(await again.append('a', text('3'))).toBeGreaterThan(last)
    await again.close()
  })

  it('cuts off a record torn by a crash and keeps every complete one', async () => {
    const dir = await freshDir()
    const store = await FsDocumentStore.open({ dir })
    await store.append('d', text('kept'))
    await store.append('d', text('torn by the crash'))
    await store.close()
    const log = join(dir, STATE_DIR, 'log', `${encodeDocId('d')}.log`)
    const { size } = await stat(log)
    await truncate(log, size - 5)
    const again = await FsDocumentStore.open({ dir })
    expect(decode((await again.load('d')).updates)).toEqual(['kept'])
    await again.append('d', text('after'))
    expect(decode((await again.load('d')).updates)).toEqual(['kept', 'after'])
    await again.close()
  })

  it('stops at a record whose checksum fails', async () => {
    const dir = await freshDir()
    const store = await FsDocumentStore.open({ dir })
    await store.append('d', text('good'))
    await store.append('d', text('flipped'))
    await store.close()
    const log = join(dir, STATE_DIR, 'log', `${encodeDocId('d')}.log`)
    const bytes = await readFile(log)
    bytes.writeUInt8(bytes.readUInt8(bytes.length - 1) ^ 0xff, bytes.length - 1)
    await writeFile(log, bytes)
    const again = await FsDocumentStore.open({ dir })
    expect(decode((await again.load('d')).updates)).toEqual(['good'])
    await again.close()
  })

  it('keeps ids that differ only in case apart (macOS and Windows file systems do not)', async () => {
    const store = await FsDocumentStore.open({ dir: await freshDir() })
    await store.append('Abc', text('upper'))
    await store.append('abc', text('lower'))
    expect(decode((await store.load('Abc')).updates)).toEqual(['upper'])
    expect(decode((await store.load('abc')).updates)).toEqual(['lower'])
    await store.close()
  })

  it('removes debris of an interrupted compaction on open', async () => {
    const dir = await freshDir()
    const store = await FsDocumentStore.open({ dir })
    await store.append('d', text('x'))
    await store.close()
    const logDir = join(dir, STATE_DIR, 'log')
    await writeFile(join(logDir, '.~whatnext-tmp-123-64.log'), 'half a compaction')
    const again = await FsDocumentStore.open({ dir })
    expect(await readdir(logDir)).toEqual([`${encodeDocId('d')}.log`])
    expect(decode((await again.load('d')).updates)).toEqual(['x'])
    await again.close()
  })

  it('refuses a library another live process holds', async () => {
    const dir = await freshDir()
    await mkdirState(dir)
    // pid 1 is alive on every Unix system and is not us.
    await writeFile(
      join(dir, STATE_DIR, 'lock'),
      JSON.stringify({ pid: 1, host: (await import('node:os')).hostname() }),
    )
    const error = await FsDocumentStore.open({ dir }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(StorageError)
    expect((error as StorageError).details).toMatchObject({ cause: 'Locked' })
  })

  it('takes over the lock of a process that died', async () => {
    const dir = await freshDir()
    await mkdirState(dir)
    await writeFile(
      join(dir, STATE_DIR, 'lock'),
      JSON.stringify({ pid: 2 ** 22 + 12345, host: (await import('node:os')).hostname() }),
    )
    const store = await FsDocumentStore.open({ dir })
    await store.append('d', text('x'))
    await store.close()
  })
})

async function mkdirState(dir: string) {
  const { mkdir } = await import('node:fs/promises')
  await mkdir(join(dir, STATE_DIR), { recursive: true })
}
