/**
 * This device's identity: an Ed25519 key pair made on first start, whose libp2p peer id
 * is the user id. The private key is kept by the caller (the settings store encrypts it
 * at rest); this module only makes, encodes and reads keys. Browser-safe and small
 * (no libp2p node), so the app can load it without the networking stack.
 */
import { generateKeyPair, privateKeyFromProtobuf, privateKeyToProtobuf } from '@libp2p/crypto/keys'
import type { PrivateKey } from '@libp2p/interface'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { ValidationError } from '@whatnext/core'

/** A usable identity. */
export interface Identity {
  privateKey: PrivateKey
  /** The peer id (`12D3Koo…`): the user id collaborators see. */
  peerId: string
}

/** Makes a new Ed25519 identity; returns it and its key encoded for storage (base64). */
export async function createIdentity(): Promise<{ identity: Identity; encoded: string }> {
  const privateKey = await generateKeyPair('Ed25519')
  return {
    identity: { privateKey, peerId: peerIdFromPrivateKey(privateKey).toString() },
    encoded: toBase64(privateKeyToProtobuf(privateKey)),
  }
}

/** Reads a stored identity. @throws {ValidationError} when the key is not an Ed25519 key. */
export function decodeIdentity(encoded: string): Identity {
  let privateKey: PrivateKey
  try {
    privateKey = privateKeyFromProtobuf(fromBase64(encoded))
  } catch (error) {
    throw new ValidationError('The stored identity key cannot be read', [
      {
        path: 'identity.privateKey',
        message: error instanceof Error ? error.message : String(error),
      },
    ])
  }
  if (privateKey.type !== 'Ed25519')
    throw new ValidationError('The stored identity key is not an Ed25519 key', [
      { path: 'identity.privateKey', message: `a ${privateKey.type} key` },
    ])
  return { privateKey, peerId: peerIdFromPrivateKey(privateKey).toString() }
}

/** Where the key lives (the settings store's `identity.privateKey`, encrypted at rest). */
export interface IdentityKeyStore {
  read(): string | undefined
  write(encoded: string): Promise<void>
}

/**
 * The identity kept in `store`, made and saved on first start. `exclusive` runs the
 * check-and-create alone across tabs (Web Locks), so two tabs opening at once agree on
 * one identity.
 */
export async function ensureIdentity(
  store: IdentityKeyStore,
  exclusive: <T>(work: () => Promise<T>) => Promise<T> = (work) => work(),
): Promise<Identity> {
  const existing = store.read()
  if (existing) return decodeIdentity(existing)
  return exclusive(async () => {
    const now = store.read()
    if (now) return decodeIdentity(now)
    const { identity, encoded } = await createIdentity()
    await store.write(encoded)
    return identity
  })
}

function toBase64(bytes: Uint8Array): string {
  let binary = ''
  for (const b of bytes) binary += String.fromCharCode(b)
  return btoa(binary)
}

function fromBase64(text: string): Uint8Array {
  const binary = atob(text)
  const bytes = new Uint8Array(binary.length)
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i)
  return bytes
}
