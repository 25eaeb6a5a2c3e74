import { describe, expect, it } from 'vitest'
import { ValidationError } from '@whatnext/core'
import {
  createIdentity,
  decodeIdentity,
  ensureIdentity,
  type IdentityKeyStore,
} from './identity.ts'

function memoryKeyStore(): IdentityKeyStore & { writes: number } {
  let value: string | undefined
  return {
    writes: 0,
    read: () => value,
    async write(encoded) {
      this.writes++
      value = encoded
    },
  }
}

describe('identity', () => {
  it('makes an Ed25519 identity whose stored key gives back the same peer id', async () => {
    const { identity, encoded } = await createIdentity()
    expect(identity.peerId).toMatch(/^12D3KooW[1-9A-HJ-NP-Za-km-z]+$/)
    expect(identity.privateKey.type).toBe('Ed25519')
    expect(decodeIdentity(encoded).peerId).toBe(identity.peerId)
  })

  it('is made once on first start and read back afterwards', async () => {
    const store = memoryKeyStore()
    const first = await ensureIdentity(store)
    const again = await ensureIdentity(store)
    expect(again.peerId).toBe(first.peerId)
    expect(store.writes).toBe(1)
  })

  it('lets two tabs starting at once agree on one identity', async () => {
    const store = memoryKeyStore()
    let queue = Promise.resolve<unknown>(undefined)
    const exclusive = <T>(work: () => Promise<T>) => {
      const run = queue.then(work)
      queue = run.catch(() => undefined)
      return run
    }
    const [a, b] = await Promise.all([
      ensureIdentity(store, exclusive),
      ensureIdentity(store, exclusive),
    ])
    expect(a.peerId).toBe(b.peerId)
    expect(store.writes).toBe(1)
  })

  it('refuses a damaged key with a typed error', () => {
    expect(() => decodeIdentity('AAAA')).toThrow(ValidationError)
  })
})
