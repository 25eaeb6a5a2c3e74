// The desktop hands the settings key's bytes from main to its sandboxed windows: they
// must be the very key the file-based provider uses, made once per profile.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { importSecretKey } from '../secrets.ts'
import { fileSecretKey, fileSecretKeyBytes } from './secret-key.ts'

const dirs: string[] = []
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true })
})

describe('fileSecretKeyBytes', () => {
  it('gives the bytes of the key the provider uses, the same on every call', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'whatnext-key-'))
    dirs.push(dir)
    const bytes = await fileSecretKeyBytes({ dir })
    expect(bytes.byteLength).toBe(32)
    expect(await fileSecretKeyBytes({ dir })).toEqual(bytes)
    const subtle = globalThis.crypto.subtle
    const iv = new Uint8Array(12)
    const sealed = await subtle.encrypt(
      { name: 'AES-GCM', iv },
      await importSecretKey(subtle, bytes),
      new TextEncoder().encode('turn credential'),
    )
    const opened = await subtle.decrypt(
      { name: 'AES-GCM', iv },
      await fileSecretKey({ dir }).key(),
      sealed,
    )
    expect(new TextDecoder().decode(opened)).toBe('turn credential')
  })
})
