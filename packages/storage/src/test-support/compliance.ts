/**
 * The storage contract's tests, written once and run against every adapter (memory,
 * IndexedDB in Node via fake-indexeddb, IndexedDB in real Chromium).
 */
import { StorageError } from '@whatnext/core/errors'
import type { DocumentStore, KeyValueStore } from '@whatnext/core/ports'
import { afterEach, describe, expect, it } from 'vitest'

/** Makes stores for the {@link documentStoreSuite}. */
export interface DocumentStoreFactory {
  /**
   * A fresh, empty store, plus `second` to open another handle on the same data, as a
   * second tab would (adapters without handles may return the same store).
   */
  open(): Promise<{ store: DocumentStore; second(): Promise<DocumentStore> }>
}

const bytes = (...values: number[]) => new Uint8Array(values)
const text = (s: string) => new TextEncoder().encode(s)
const decode = (list: Uint8Array[]) => list.map((u) => new TextDecoder().decode(u))

/** Registers the {@link DocumentStore} compliance suite for one adapter. */
export function documentStoreSuite(name: string, factory: DocumentStoreFactory): void {
  describe(`DocumentStore compliance: ${name}`, () => {
    const opened: DocumentStore[] = []
    afterEach(async () => {
      await Promise.all(opened.splice(0).map((s) => s.close()))
    })
    async function open() {
      const { store, second } = await factory.open()
      opened.push(store)
      return {
        store,
        async second() {
          const other = await second()
          opened.push(other)
          return other
        },
      }
    }

    it('loads an unknown document as empty with a null cursor', async () => {
      const { store } = await open()
      expect(await store.load('nope')).toEqual({ updates: [], cursor: null })
    })

    it('returns updates in append order with increasing positions, cursor at the last', async () => {
      const { store } = await open()
      const a = await store.append('d', text('one'))
      const b = await store.append('d', text('two'))
      const c = await store.append('d', text('three'))
      expect(a).toBeLessThan(b)
      expect(b).toBeLessThan(c)
      const loaded = await store.load('d')
      expect(decode(loaded.updates)).toEqual(['one', 'two', 'three'])
      expect(loaded.cursor).toBe(c)
    })

    it('keeps stored bytes safe from later mutation by the caller', async () => {
      const { store } = await open()
      const update = bytes(1, 2, 3)
      await store.append('d', update)
      update[0] = 99
      const first = (await store.load('d')).updates[0]!
      expect([...first]).toEqual([1, 2, 3])
      first[1] = 42
      expect([...(await store.load('d')).updates[0]!]).toEqual([1, 2, 3])
    })

    it('stores exactly the bytes of a view into a larger buffer', async () => {
      const { store } = await open()
      const buffer = new Uint8Array(1024).map((_, i) => i % 256)
      await store.append('d', buffer.subarray(10, 13))
      const [back] = (await store.load('d')).updates
      expect([...back!]).toEqual([10, 11, 12])
      expect(back!.buffer.byteLength).toBe(3)
    })

    it('keeps many documents apart', async () => {
      const { store } = await open()
      const ids = Array.from({ length: 20 }, (_, i) => `doc-${String(i).padStart(2, '0')}`)
      for (let round = 0; round < 3; round++)
        for (const id of ids) await store.append(id, text(`${id}/${round}`))
      for (const id of ids)
        expect(decode((await store.load(id)).updates)).toEqual([`${id}/0`, `${id}/1`, `${id}/2`])
      expect((await store.list()).sort()).toEqual(ids)
    })

    it('lists only documents that have updates', async () => {
      const { store } = await open()
      expect(await store.list()).toEqual([])
      await store.append('b', text('x'))
      await store.append('a', text('y'))
      await store.append('b', text('z'))
      expect((await store.list()).sort()).toEqual(['a', 'b'])
    })

    it('deletes a document with all its updates and ignores unknown ones', async () => {
      const { store } = await open()
      await store.append('a', text('x'))
      await store.append('a', text('x2'))
      await store.append('b', text('y'))
      await store.delete('a')
      await store.delete('never-existed')
      expect(await store.list()).toEqual(['b'])
      expect(await store.load('a')).toEqual({ updates: [], cursor: null })
      expect(decode((await store.load('b')).updates)).toEqual(['y'])
    })

    it('compacts the whole log into one snapshot that later appends follow', async () => {
      const { store } = await open()
      await store.append('d', text('1'))
      await store.append('d', text('2'))
      const { cursor } = await store.load('d')
      await store.compact('d', text('1+2'), cursor!)
      expect(await store.load('d')).toEqual({ updates: [text('1+2')], cursor })
      const next = await store.append('d', text('3'))
      expect(next).toBeGreaterThan(cursor!)
      expect(decode((await store.load('d')).updates)).toEqual(['1+2', '3'])
    })

    it('compacts only up to the cursor, keeping later updates after the snapshot', async () => {
      const { store } = await open()
      await store.append('d', text('1'))
      const middle = await store.append('d', text('2'))
      await store.append('d', text('3'))
      await store.compact('d', text('1+2'), middle)
      const after = await store.load('d')
      expect(decode(after.updates)).toEqual(['1+2', '3'])
    })

    it('keeps updates another writer appended after the cursor, after the snapshot', async () => {
      const { store, second } = await open()
      const other = await second()
      await store.append('d', text('1'))
      await store.append('d', text('2'))
      const { cursor } = await store.load('d')
      await other.append('d', text('3 from another tab'))
      await store.compact('d', text('1+2'), cursor!)
      expect(decode((await store.load('d')).updates)).toEqual(['1+2', '3 from another tab'])
      await store.append('d', text('4'))
      expect(decode((await other.load('d')).updates)).toEqual(['1+2', '3 from another tab', '4'])
    })

    it('compacts a compacted log again', async () => {
      const { store } = await open()
      await store.append('d', text('1'))
      const first = (await store.load('d')).cursor!
      await store.compact('d', text('S1'), first)
      await store.append('d', text('2'))
      const second = (await store.load('d')).cursor!
      await store.compact('d', text('S2'), second)
      expect(await store.load('d')).toEqual({ updates: [text('S2')], cursor: second })
    })

    it('ignores a stale compaction once another writer compacted further', async () => {
      const { store, second } = await open()
      const other = await second()
      await store.append('d', text('1'))
      const stale = (await store.load('d')).cursor!
      await other.append('d', text('2'))
      const fresh = (await other.load('d')).cursor!
      await other.compact('d', text('1+2'), fresh)
      await store.compact('d', text('1'), stale)
      expect(decode((await store.load('d')).updates)).toEqual(['1+2'])
    })

    it('does not bring back a document deleted after it was loaded', async () => {
      const { store, second } = await open()
      const other = await second()
      await store.append('d', text('1'))
      const { cursor } = await store.load('d')
      await other.delete('d')
      await store.compact('d', text('1'), cursor!)
      expect(await store.load('d')).toEqual({ updates: [], cursor: null })
      expect(await store.list()).toEqual([])
    })

    it("refuses a cursor that is another document's update, leaving both intact", async () => {
      const { store } = await open()
      await store.append('a', text('a1'))
      const foreign = await store.append('b', text('b1'))
      await expect(store.compact('a', text('x'), foreign)).rejects.toBeInstanceOf(StorageError)
      expect(decode((await store.load('a')).updates)).toEqual(['a1'])
      expect(decode((await store.load('b')).updates)).toEqual(['b1'])
    })

    it('never loses an append when two handles write concurrently', async () => {
      const { store, second } = await open()
      const other = await second()
      const writes: Promise<number>[] = []
      for (let i = 0; i < 50; i++) {
        writes.push(store.append('d', text(`a${i}`)))
        writes.push(other.append('d', text(`b${i}`)))
      }
      const positions = await Promise.all(writes)
      expect(new Set(positions).size).toBe(100)
      const loaded = decode((await store.load('d')).updates)
      expect([...loaded].sort()).toEqual(
        Array.from({ length: 50 }, (_, i) => [`a${i}`, `b${i}`])
          .flat()
          .sort(),
      )
      // Each writer's own updates stay in the order it appended them.
      const own = (p: string) => loaded.filter((s) => s.startsWith(p))
      expect(own('a')).toEqual(Array.from({ length: 50 }, (_, i) => `a${i}`))
      expect(own('b')).toEqual(Array.from({ length: 50 }, (_, i) => `b${i}`))
      // Load order is position order.
      const byPosition = positions
        .map((p, i) => ({ p, s: i % 2 ? `b${(i - 1) / 2}` : `a${i / 2}` }))
        .sort((x, y) => x.p - y.p)
        .map((x) => x.s)
      expect(loaded).toEqual(byPosition)
    })

    it('holds a thousand updates in append order', async () => {
      const { store } = await open()
      for (let i = 0; i < 1000; i++) await store.append('many', text(String(i)))
      const { updates } = await store.load('many')
      expect(decode(updates)).toEqual(Array.from({ length: 1000 }, (_, i) => String(i)))
    })

    it('holds a 5 MB update byte for byte', async () => {
      const { store } = await open()
      const big = new Uint8Array(5 * 1024 * 1024).map((_, i) => (i * 7) % 251)
      await store.append('big', big)
      const back = (await store.load('big')).updates[0]!
      expect(back.byteLength).toBe(big.byteLength)
      expect(back.every((v, i) => v === big[i])).toBe(true)
    })

    it('fails every call with StorageError once closed', async () => {
      const { store } = await open()
      await store.append('d', bytes(1))
      await store.close()
      await expect(store.append('d', bytes(1))).rejects.toBeInstanceOf(StorageError)
      await expect(store.load('d')).rejects.toBeInstanceOf(StorageError)
      await expect(store.compact('d', bytes(1), 1)).rejects.toBeInstanceOf(StorageError)
      await expect(store.list()).rejects.toBeInstanceOf(StorageError)
      await expect(store.delete('d')).rejects.toBeInstanceOf(StorageError)
    })
  })
}

/** Registers the {@link KeyValueStore} compliance suite for one adapter. */
export function keyValueStoreSuite(name: string, open: () => Promise<KeyValueStore>): void {
  describe(`KeyValueStore compliance: ${name}`, () => {
    it('returns undefined for a key never set', async () => {
      const kv = await open()
      expect(await kv.get('missing')).toBeUndefined()
    })

    it('gets what was set, overwrites, and deletes', async () => {
      const kv = await open()
      await kv.set('k', { theme: 'dark' })
      expect(await kv.get('k')).toEqual({ theme: 'dark' })
      await kv.set('k', 'second')
      expect(await kv.get('k')).toBe('second')
      await kv.delete('k')
      expect(await kv.get('k')).toBeUndefined()
      await kv.delete('never-set')
    })

    it('round-trips structured JSON values', async () => {
      const kv = await open()
      const values: Record<string, unknown> = {
        object: { theme: 'dark', list: [1, 2, { deep: [true, false, null] }], n: -0.5 },
        array: ['a', 1, null, { b: 'c' }],
        string: 'ünïcødé ✓',
        number: 42,
        zero: 0,
        bool: false,
        null: null,
        empty: '',
      }
      for (const [key, value] of Object.entries(values)) await kv.set(key, value)
      for (const [key, value] of Object.entries(values)) expect(await kv.get(key)).toEqual(value)
      expect(await kv.get('null')).toBeNull()
    })

    it('keeps keys apart', async () => {
      const kv = await open()
      await kv.set('a', 1)
      await kv.set('b', 2)
      await kv.delete('a')
      expect(await kv.get('a')).toBeUndefined()
      expect(await kv.get('b')).toBe(2)
    })

    it('returns copies, not live references', async () => {
      const kv = await open()
      const value = { n: 1, list: [1] }
      await kv.set('k', value)
      value.n = 2
      value.list.push(2)
      const got = await kv.get<{ n: number; list: number[] }>('k')
      expect(got).toEqual({ n: 1, list: [1] })
      got!.n = 3
      expect(await kv.get('k')).toEqual({ n: 1, list: [1] })
    })
  })
}
