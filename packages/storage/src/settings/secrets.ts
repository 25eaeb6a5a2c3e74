/**
 * Secret fields at rest: AES-GCM 256 through WebCrypto (`crypto.subtle`, in browsers and
 * Node 20+), with a fresh 96-bit IV per value and the field's path as additional data, so
 * a ciphertext copied to another field fails to decrypt. Keys come from a
 * {@link SecretKeyProvider}: IndexedDB on the web (`idbSecretKey`), Electron safeStorage
 * or a key file on desktop (`@whatnext/storage/settings/file`).
 */
import { isPlainObject } from './paths.ts'

// PERSISTED NAMES: the envelope's fields are stored in place of each secret value.
/** A secret value as stored: `{ $secret: 1, iv, data }`, base64. */
export interface SecretEnvelope {
  $secret: 1
  iv: string
  data: string
}

/** Supplies the key that encrypts secret fields. */
export interface SecretKeyProvider {
  /** The AES-GCM 256 key; the same one every time for a given profile. */
  key(): Promise<CryptoKey>
}

/** The WebCrypto subset used here. */
export type Subtle = Pick<SubtleCrypto, 'encrypt' | 'decrypt' | 'generateKey' | 'importKey'>

/** What a secret shows as in history, logs, diagnostics and exports. */
export const REDACTED = '[secret]'

/** True for a stored {@link SecretEnvelope}. */
export function isEnvelope(value: unknown): value is SecretEnvelope {
  return (
    isPlainObject(value) &&
    value.$secret === 1 &&
    typeof value.iv === 'string' &&
    typeof value.data === 'string'
  )
}

/** Replaces every envelope under `value` with {@link REDACTED}. */
export function redactEnvelopes(value: unknown): unknown {
  if (isEnvelope(value)) return REDACTED
  if (Array.isArray(value)) return value.map(redactEnvelopes)
  if (isPlainObject(value)) {
    const out: Record<string, unknown> = {}
    for (const [k, v] of Object.entries(value)) out[k] = redactEnvelopes(v)
    return out
  }
  return value
}

function toBase64(bytes: Uint8Array): string {
  let binary = ''
  for (const b of bytes) binary += String.fromCharCode(b)
  return btoa(binary)
}

function fromBase64(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text)
  const bytes = new Uint8Array(binary.length)
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i)
  return bytes
}

/** Generates a fresh non-extractable AES-GCM 256 key. */
export function generateSecretKey(subtle: Subtle): Promise<CryptoKey> {
  return subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, [
    'encrypt',
    'decrypt',
  ]) as Promise<CryptoKey>
}

/** Imports 32 raw bytes as a non-extractable AES-GCM key. */
export function importSecretKey(subtle: Subtle, raw: Uint8Array<ArrayBuffer>): Promise<CryptoKey> {
  return subtle.importKey('raw', raw, { name: 'AES-GCM' }, false, ['encrypt', 'decrypt'])
}

/** Encrypts and decrypts secret values with one key, bound to each value's path. */
export class SecretCipher {
  private readonly subtle: Subtle
  private readonly provider: SecretKeyProvider
  private readonly random: (bytes: Uint8Array<ArrayBuffer>) => Uint8Array<ArrayBuffer>

  constructor(
    subtle: Subtle,
    provider: SecretKeyProvider,
    random: (bytes: Uint8Array<ArrayBuffer>) => Uint8Array<ArrayBuffer>,
  ) {
    this.subtle = subtle
    this.provider = provider
    this.random = random
  }

  /** Encrypts `plaintext` for the field at `path`. */
  async seal(path: string, plaintext: string): Promise<SecretEnvelope> {
    const iv = this.random(new Uint8Array(12))
    const data = await this.subtle.encrypt(
      { name: 'AES-GCM', iv, additionalData: new TextEncoder().encode(path) },
      await this.provider.key(),
      new TextEncoder().encode(plaintext),
    )
    return { $secret: 1, iv: toBase64(iv), data: toBase64(new Uint8Array(data)) }
  }

  /** Decrypts an envelope of the field at `path`; rejects when key or path do not match. */
  async open(path: string, envelope: SecretEnvelope): Promise<string> {
    const plain = await this.subtle.decrypt(
      {
        name: 'AES-GCM',
        iv: fromBase64(envelope.iv),
        additionalData: new TextEncoder().encode(path),
      },
      await this.provider.key(),
      fromBase64(envelope.data),
    )
    return new TextDecoder().decode(plain)
  }
}

/** A key that lives only as long as the process: for tests and ephemeral profiles. */
export function memorySecretKey(subtle: Subtle = globalThis.crypto.subtle): SecretKeyProvider {
  let key: Promise<CryptoKey> | undefined
  return { key: () => (key ??= generateSecretKey(subtle)) }
}
