/**
 * This device's identity: an Ed25519 key pair made on first start, whose libp2p peer id
 * is the user id. The private key is kept by the caller (the settings store encrypts it
 * at rest); this module makes, encodes and reads keys with the platform's WebCrypto
 * Ed25519 and encodes them as libp2p does (protobuf key, identity-multihash peer id,
 * base58btc), so the app can make and show its identity without loading libp2p.
 * `privateKeyFromProtobuf(fromBase64(encoded))` from `@libp2p/crypto/keys` reads the key.
 */
import { ValidationError } from '@whatnext/core'

/** A usable identity. */
export interface Identity {
  /** The peer id (`12D3Koo…`): the user id collaborators see. */
  peerId: string
  /** The private key as a libp2p protobuf, base64 (what is stored). */
  encoded: string
}

// libp2p's protobuf of an Ed25519 key: field 1 (KeyType) = 1, field 2 (Data) = bytes.
const PRIVATE_PREFIX = [0x08, 0x01, 0x12, 0x40] // Data: seed (32) ‖ public key (32)
const PUBLIC_PREFIX = [0x08, 0x01, 0x12, 0x20] // Data: public key (32)
// PKCS #8 wrapping of an Ed25519 seed (RFC 8410): this 16-byte header, then the seed.
const PKCS8_PREFIX = [
  0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20,
]

/**
 * Makes a new Ed25519 identity with WebCrypto; where WebCrypto has no Ed25519 (Chromium
 * before 137, Firefox before 129, Safari before 17) with libp2p's own key code, loaded
 * only then.
 */
export async function createIdentity(
  subtle: SubtleCrypto = globalThis.crypto.subtle,
  fallback: () => Promise<Uint8Array> = libp2pEd25519,
): Promise<Identity> {
  let pair: CryptoKeyPair
  try {
    pair = (await subtle.generateKey({ name: 'Ed25519' }, true, [
      'sign',
      'verify',
    ])) as CryptoKeyPair
  } catch (error) {
    if (!(error instanceof Error) || error.name !== 'NotSupportedError') throw error
    return decodeIdentity(toBase64(await fallback()))
  }
  const pkcs8 = new Uint8Array(await subtle.exportKey('pkcs8', pair.privateKey))
  const publicKey = new Uint8Array(await subtle.exportKey('raw', pair.publicKey))
  const seed = pkcs8.slice(PKCS8_PREFIX.length)
  if (seed.length !== 32 || publicKey.length !== 32)
    throw new Error('WebCrypto returned an Ed25519 key of an unexpected size')
  const encoded = toBase64(Uint8Array.from([...PRIVATE_PREFIX, ...seed, ...publicKey]))
  return { encoded, peerId: peerIdOf(publicKey) }
}

/** A new Ed25519 key as a libp2p protobuf, made by @libp2p/crypto. */
async function libp2pEd25519(): Promise<Uint8Array> {
  const { generateKeyPair, privateKeyToProtobuf } = await import('@libp2p/crypto/keys')
  return privateKeyToProtobuf(await generateKeyPair('Ed25519'))
}

/** Reads a stored identity. @throws {ValidationError} when it is not an Ed25519 key. */
export function decodeIdentity(encoded: string): Identity {
  let bytes: Uint8Array
  try {
    bytes = fromBase64(encoded)
  } catch {
    throw invalid('not base64')
  }
  if (bytes.length !== PRIVATE_PREFIX.length + 64)
    throw invalid(`${bytes.length} bytes; an Ed25519 key has ${PRIVATE_PREFIX.length + 64}`)
  if (PRIVATE_PREFIX.some((b, i) => bytes[i] !== b)) throw invalid('not an Ed25519 key')
  return { encoded, peerId: peerIdOf(bytes.slice(PRIVATE_PREFIX.length + 32)) }
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
    const identity = await createIdentity()
    await store.write(identity.encoded)
    return identity
  })
}

/** The peer id of an Ed25519 public key: identity multihash of its protobuf, base58btc. */
export function peerIdOf(publicKey: Uint8Array): string {
  const protobuf = [...PUBLIC_PREFIX, ...publicKey]
  return base58btc(Uint8Array.from([0x00, protobuf.length, ...protobuf]))
}

function invalid(message: string): ValidationError {
  return new ValidationError('The stored identity key cannot be read', [
    { path: 'identity.privateKey', message },
  ])
}

const ALPHABET = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz'

function base58btc(bytes: Uint8Array): string {
  const digits: number[] = []
  for (const byte of bytes) {
    let carry = byte
    for (let i = 0; i < digits.length; i++) {
      carry += digits[i]! << 8
      digits[i] = carry % 58
      carry = (carry / 58) | 0
    }
    while (carry > 0) {
      digits.push(carry % 58)
      carry = (carry / 58) | 0
    }
  }
  let out = ''
  for (const byte of bytes) {
    if (byte !== 0) break
    out += '1'
  }
  for (let i = digits.length - 1; i >= 0; i--) out += ALPHABET[digits[i]!]
  return out
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
