import { describe, expect, it } from 'vitest'
import { generateKeyPair, privateKeyFromProtobuf, privateKeyToProtobuf } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { ValidationError } from '@whatnext/core'
import {
  createIdentity,
  decodeIdentity,
  ensureIdentity,
  type IdentityKeyStore,
} from './identity.ts'

const base64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64')
const bytesOf = (text: string) => new Uint8Array(Buffer.from(text, 'base64'))

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
  it('makes an Ed25519 identity that libp2p reads as the same key and peer id', async () => {
    const identity = await createIdentity()
    expect(identity.peerId).toMatch(/^12D3KooW[1-9A-HJ-NP-Za-km-z]+$/)
    const key = privateKeyFromProtobuf(bytesOf(identity.encoded))
    expect(key.type).toBe('Ed25519')
    expect(peerIdFromPrivateKey(key).toString()).toBe(identity.peerId)
    expect(decodeIdentity(identity.encoded).peerId).toBe(identity.peerId)
    // The key signs what libp2p verifies: it is a working key, not just the right shape.
    const message = new TextEncoder().encode('hello')
    expect(await key.publicKey.verify(message, await key.sign(message))).toBe(true)
  })

  it('falls back to libp2p key code where WebCrypto has no Ed25519', async () => {
    const noEd25519 = {
      generateKey: () => Promise.reject(new DOMException('Ed25519', 'NotSupportedError')),
    } as unknown as SubtleCrypto
    const identity = await createIdentity(noEd25519)
    const key = privateKeyFromProtobuf(bytesOf(identity.encoded))
    expect(peerIdFromPrivateKey(key).toString()).toBe(identity.peerId)
    // Any other failure is not papered over.
    const broken = {
      generateKey: () => Promise.reject(new DOMException('denied', 'OperationError')),
    } as unknown as SubtleCrypto
    await expect(createIdentity(broken)).rejects.toThrow('denied')
  })

  it('reads keys libp2p made, with the peer id libp2p gives them', async () => {
    for (let i = 0; i < 20; i++) {
      const key = await generateKeyPair('Ed25519')
      expect(decodeIdentity(base64(privateKeyToProtobuf(key))).peerId).toBe(
        peerIdFromPrivateKey(key).toString(),
      )
    }
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

  it('refuses a damaged or foreign key with a typed error', async () => {
    expect(() => decodeIdentity('AAAA')).toThrow(ValidationError)
    expect(() => decodeIdentity('not base64!')).toThrow(ValidationError)
    const rsaLike = bytesOf((await createIdentity()).encoded)
    rsaLike[1] = 0x00
    expect(() => decodeIdentity(base64(rsaLike))).toThrow(ValidationError)
  })
})
