/** The settings compliance suite on IndexedDB (fake-indexeddb) with Node's BroadcastChannel. */
// idb's wrappers check `instanceof IDBRequest` etc. against globals; the factory is injected.
import 'fake-indexeddb/auto'
import { IDBFactory } from 'fake-indexeddb'
import { describe, expect, it } from 'vitest'
import {
  IdbSettingsBackend,
  idbSecretKey,
  type ChannelLike,
  type LockManagerLike,
} from './idb-backend.ts'
import { settingsBackendSuite } from './test-support/compliance.ts'
import { idbRaw } from './test-support/idb-raw.ts'

/** An in-process stand-in for `navigator.locks` (exclusive locks only). */
function fakeLocks(): LockManagerLike & { held: string[] } {
  const tails = new Map<string, Promise<unknown>>()
  const held: string[] = []
  return {
    held,
    request(name, callback) {
      const run = (tails.get(name) ?? Promise.resolve()).then(async () => {
        held.push(name)
        try {
          return await callback()
        } finally {
          held.splice(held.indexOf(name), 1)
        }
      })
      tails.set(
        name,
        run.catch(() => {}),
      )
      return run
    },
  }
}

let n = 0
settingsBackendSuite('IndexedDB (fake-indexeddb)', {
  async place() {
    const factory = new IDBFactory()
    const name = `settings-${n++}`
    const locks = fakeLocks()
    return {
      open: () => IdbSettingsBackend.open({ name, indexedDB: factory, locks }),
      raw: () => idbRaw(factory, name),
    }
  },
})

describe('IdbSettingsBackend (fake-indexeddb)', () => {
  it('commits inside the Web Lock', async () => {
    const factory = new IDBFactory()
    const locks = fakeLocks()
    const backend = await IdbSettingsBackend.open({ name: 'l', indexedDB: factory, locks })
    let heldDuring: string[] = []
    await backend.commit(() => {
      heldDuring = [...locks.held]
      return { at: 1, changes: [{ path: ['a'], after: 1 }] }
    })
    expect(heldDuring).toEqual(['whatnext-settings:l:settings'])
    await backend.close()
  })

  it("tells its listeners about another tab's commit even if it was read first", async () => {
    // The app reads the stored settings directly (is an identity key there yet?) while
    // the other tab's notice is still on its way: that read must not swallow the notice.
    const factory = new IDBFactory()
    const locks = fakeLocks()
    const held: (() => void)[] = []
    const handlers: (() => void)[] = []
    const channel = (): ChannelLike => ({
      postMessage: () => {
        for (const h of handlers) held.push(h)
      },
      addEventListener: (_, h) => {
        handlers.push(() => h({ data: null }))
      },
      close: () => {},
    })
    const open = () =>
      IdbSettingsBackend.open({ name: 'notice', indexedDB: factory, locks, channel })
    const a = await open()
    const b = await open()
    const seen: number[] = []
    b.subscribe((event) => event.type === 'changed' && seen.push(event.state.seq))
    await a.commit(() => ({ at: 1, changes: [{ path: ['theme'], after: 'dark' }] }))
    expect((await b.load()).state?.seq).toBe(1)
    for (const deliver of held.splice(0)) deliver()
    await expect.poll(() => seen).toEqual([1])
    await a.close()
    await b.close()
  })

  it('keeps one non-extractable secrets key per profile, even when two tabs make it at once', async () => {
    const factory = new IDBFactory()
    const [a, b] = await Promise.all([
      idbSecretKey({ indexedDB: factory }).key(),
      idbSecretKey({ indexedDB: factory }).key(),
    ])
    expect(a.extractable).toBe(false)
    const later = await idbSecretKey({ indexedDB: factory }).key()
    const iv = new Uint8Array(12)
    const sealed = await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, a, new Uint8Array([7]))
    for (const k of [b, later])
      expect([
        ...new Uint8Array(await crypto.subtle.decrypt({ name: 'AES-GCM', iv }, k, sealed)),
      ]).toEqual([7])
  })
})
