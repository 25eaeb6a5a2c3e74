/**
 * The capability handshake's proofs. A joiner proves it knows the playlist's secret
 * without sending it: HMAC-SHA-256 keyed by the secret over a transcript that binds the
 * playlist, both peer ids (authenticated by Noise underneath), both fresh nonces and the
 * role. The host answers with its own HMAC over a differently labelled transcript, so the
 * joiner knows the host holds the secret too. A proof is useless on any other stream
 * (new nonces), between other peers, or for another role.
 */
import type { ShareRole } from '@whatnext/core'

/** What both sides bind into a proof. */
export interface Transcript {
  playlistId: string
  hostPeerId: string
  joinerPeerId: string
  hostNonce: Uint8Array
  joinerNonce: Uint8Array
  role: ShareRole
}

const encoder = new TextEncoder()

function transcriptBytes(label: string, t: Transcript): Uint8Array<ArrayBuffer> {
  const parts = [
    encoder.encode(label),
    encoder.encode(t.playlistId),
    encoder.encode(t.hostPeerId),
    encoder.encode(t.joinerPeerId),
    t.hostNonce,
    t.joinerNonce,
    Uint8Array.of(t.role === 'edit' ? 1 : 0),
  ]
  // Each part is length-prefixed (u32) so no two transcripts concatenate alike.
  const size = parts.reduce((n, p) => n + 4 + p.length, 0)
  const out = new Uint8Array(size)
  const view = new DataView(out.buffer)
  let at = 0
  for (const p of parts) {
    view.setUint32(at, p.length)
    out.set(p, at + 4)
    at += 4 + p.length
  }
  return out
}

async function hmacKey(secret: Uint8Array): Promise<CryptoKey> {
  return crypto.subtle.importKey(
    'raw',
    new Uint8Array(secret),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign', 'verify'],
  )
}

const PROOF = 'whatnext/sync/1 joiner proof'
const WELCOME = 'whatnext/sync/1 host proof'

/** The joiner's proof. */
export async function joinerProof(secret: Uint8Array, t: Transcript): Promise<Uint8Array> {
  return new Uint8Array(
    await crypto.subtle.sign('HMAC', await hmacKey(secret), transcriptBytes(PROOF, t)),
  )
}

/** The host's answer. */
export async function hostProof(secret: Uint8Array, t: Transcript): Promise<Uint8Array> {
  return new Uint8Array(
    await crypto.subtle.sign('HMAC', await hmacKey(secret), transcriptBytes(WELCOME, t)),
  )
}

/** Checks a joiner's proof in constant time (WebCrypto `verify`). */
export const verifyJoinerProof = (secret: Uint8Array, t: Transcript, mac: Uint8Array) =>
  verifyMac(PROOF, secret, t, mac)

/** Checks the host's answer in constant time. */
export const verifyHostProof = (secret: Uint8Array, t: Transcript, mac: Uint8Array) =>
  verifyMac(WELCOME, secret, t, mac)

async function verifyMac(
  label: typeof PROOF | typeof WELCOME,
  secret: Uint8Array,
  t: Transcript,
  mac: Uint8Array,
): Promise<boolean> {
  return crypto.subtle.verify(
    'HMAC',
    await hmacKey(secret),
    new Uint8Array(mac),
    transcriptBytes(label, t),
  )
}
