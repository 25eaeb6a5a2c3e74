/** The settings compliance suite on real IndexedDB, BroadcastChannel and Web Locks. */
import { describe, expect, it } from 'vitest'
import { IdbSettingsBackend, idbSecretKey } from './idb-backend.ts'
import { settingsBackendSuite } from './test-support/compliance.ts'
import { idbRaw } from './test-support/idb-raw.ts'

const run = `${Date.now()}`
let n = 0
settingsBackendSuite('IndexedDB (Chromium)', {
  syncWithinMs: 100,
  async place() {
    const name = `settings-${run}-${n++}`
    return {
      open: () => IdbSettingsBackend.open({ name }),
      raw: () => idbRaw(indexedDB, name),
    }
  },
})

describe('IdbSettingsBackend (Chromium)', () => {
  it('keeps a non-extractable secrets key that survives reopening', async () => {
    const name = `keys-${run}`
    const key = await idbSecretKey({ name }).key()
    expect(key.extractable).toBe(false)
    await expect(crypto.subtle.exportKey('raw', key)).rejects.toThrow()
    const again = await idbSecretKey({ name }).key()
    const iv = new Uint8Array(12)
    const sealed = await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, key, new Uint8Array([1]))
    const opened = await crypto.subtle.decrypt({ name: 'AES-GCM', iv }, again, sealed)
    expect([...new Uint8Array(opened)]).toEqual([1])
  })
})
