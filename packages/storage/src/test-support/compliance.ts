/**
 * The storage contract's tests, written once and run against every adapter (memory,
 * IndexedDB in Node via fake-indexeddb, IndexedDB in real Chromium).
 */
import { StorageError } from '@whatnext/core/errors'
import type { DocumentStore, KeyValueStore } from '@whatnext/core/ports'
import { describe, expect, it } from 'vitest'

/** Makes a fresh store; `second` opens another handle on the same underlying data (another tab). */
export interface StoreFactory {
  open(): Promise<{ store: DocumentStore; second(): Promise<DocumentStore> }>
}

const bytes = (...values: number[]) => new Uint8Array(values)
const text = (s: string) => new TextEncoder().encode(s)
const decode = (list: Uint8Array[]) => list.map((u) => new TextDecoder().decode(u))

/** Registers the DocumentStore compliance suite for one adapter. */
export function documentStoreSuite(name: string, factory: StoreFactory) {
  describe(`DocumentStore compliance: ${name}`, () => {
    it('loads an unknown document as empty', async () => {
      const { store } = await factory.open()
      expect(await store.load('nope')).toEqual({ updates: [], cursor: null })
    })

    it('returns updates in append order with increasing positions', async () => {
      const { store } = await factory.open()
      const a = await store.append('d', text('one'))
      const b = await store.append('d', text('two'))
      const c = await store.append('d', text('three'))
      expect(a < b && b < c).toBe(true)
      const loaded = await store.load('d')
      expect(decode(loaded.updates)).toEqual(['one', 'two', 'three'])
      expect(loaded.cursor).toBe(c)
    })

    it('keeps stored bytes safe from later mutation by the caller', async () => {
      const { store } = await factory.open()
      const update = bytes(1, 2, 3)
      await store.append('d', update)
      update[0] = 99
      const first = (await store.load('d')).updates[0]!
      expect([...first]).toEqual([1, 2, 3])
      first[1] = 42
      expect([...(await store.load('d')).updates[0]!]).toEqual([1, 2, 3])
    })

    it('keeps documents apart', async () => {
      const { store } = await factory.open()
      await store.append('a', text('a1'))
      await store.append('b', text('b1'))
      await store.append('a', text('a2'))
      expect(decode((await store.load('a')).updates)).toEqual(['a1', 'a2'])
      expect(decode((await store.load('b')).updates)).toEqual(['b1'])
      expect((await store.list()).sort()).toEqual(['a', 'b'])
    })

    it('compacts the whole log into one snapshot', async () => {
      const { store } = await factory.open()
      await store.append('d', text('1'))
      await store.append('d', text('2'))
      const { cursor } = await store.load('d')
      await store.compact('d', text('1+2'), cursor!)
      const after = await store.load('d')
      expect(decode(after.updates)).toEqual(['1+2'])
    })

    it('keeps updates another writer appended after the cursor, after the snapshot', async () => {
      const { store, second } = await factory.open()
      const other = await second()
      await store.append('d', text('1'))
      await store.append('d', text('2'))
      const { cursor } = await store.load('d')
      await other.append('d', text('3 from another tab'))
      await store.compact('d', text('1+2'), cursor!)
      const after = await store.load('d')
      expect(decode(after.updates)).toEqual(['1+2', '3 from another tab'])
      await store.append('d', text('4'))
      expect(decode((await other.load('d')).updates)).toEqual(['1+2', '3 from another tab', '4'])
    })

    it('never loses an append when two handles write concurrently', async () => {
      const { store, second } = await factory.open()
      const other = await second()
      const writes: Promise<number>[] = []
      for (let i = 0; i < 50; i++) {
        writes.push(store.append('d', text(`a${i}`)))
        writes.push(other.append('d', text(`b${i}`)))
      }
      const positions = await Promise.all(writes)
      expect(new Set(positions).size).toBe(100)
      const loaded = decode((await store.load('d')).updates)
      expect(loaded).toHaveLength(100)
      expect(new Set(loaded).size).toBe(100)
    })

    it('deletes a document and ignores unknown ones', async () => {
      const { store } = await factory.open()
      await store.append('a', text('x'))
      await store.append('b', text('y'))
      await store.delete('a')
      await store.delete('never-existed')
      expect(await store.list()).toEqual(['b'])
      expect((await store.load('a')).updates).toEqual([])
    })

    it('holds a thousand updates and a 5 MB update', async () => {
      const { store } = await factory.open()
      for (let i = 0; i < 1000; i++) await store.append('many', bytes(i % 256))
      expect((await store.load('many')).updates).toHaveLength(1000)
      const big = new Uint8Array(5 * 1024 * 1024).map((_, i) => i % 251)
      await store.append('big', big)
      const back = (await store.load('big')).updates[0]!
      expect(back.byteLength).toBe(big.byteLength)
      expect(back[123_456]).toBe(big[123_456])
    })

    it('fails with StorageError once closed', async () => {
      const { store } = await factory.open()
      await store.close()
      await expect(store.append('d', bytes(1))).rejects.toBeInstanceOf(StorageError)
      await expect(store.load('d')).rejects.toBeInstanceOf(StorageError)
    })
  })
}

/** Registers the KeyValueStore compliance suite for one adapter. */
export function keyValueStoreSuite(name: string, open: () => Promise<KeyValueStore>) {
  describe(`KeyValueStore compliance: ${name}`, () => {
    it('gets what was set, overwrites, and deletes', async () => {
      const kv = await open()
      expect(await kv.get('k')).toBeUndefined()
      await kv.set('k', { theme: 'dark', list: [1, 2], nested: { ok: true } })
      expect(await kv.get('k')).toEqual({ theme: 'dark', list: [1, 2], nested: { ok: true } })
      await kv.set('k', 'second')
      expect(await kv.get('k')).toBe('second')
      await kv.delete('k')
      expect(await kv.get('k')).toBeUndefined()
    })

    it('returns copies, not live references', async () => {
      const kv = await open()
      const value = { n: 1 }
      await kv.set('k', value)
      value.n = 2
      const got = await kv.get<{ n: number }>('k')
      expect(got).toEqual({ n: 1 })
    })
  })
}
