/**
 * Share links: what a host hands out so that someone else can join one of its playlists.
 *
 * A link is `https://<origin>/join#<token>` (the PWA) or `whtnxt://join/<token>` (the
 * desktop app). The token sits in the URL fragment (or the custom-scheme path), so no
 * web server ever receives it. It is base64url (no padding) of a small binary record:
 *
 * ```
 * u8      version (1)
 * u8      role: 0 = read, 1 = edit
 * 32 B    capability secret (256 bits)
 * str     host peer id (base58btc multihash, as libp2p prints it)
 * str     playlist id
 * u8      relay count (0..8), then that many str: relay multiaddrs
 * ```
 * where `str` is a varint byte length followed by UTF-8.
 *
 * PERSISTED FORMAT: tokens live in users' chats and bookmarks; a change of layout needs
 * a new version byte, and decoders keep accepting the old ones.
 */
import { ValidationError, type FieldIssue } from '../errors.ts'

/** Current token layout version. */
export const SHARE_LINK_VERSION = 1
/** Bytes in a capability secret (256 bits). */
export const CAPABILITY_SECRET_BYTES = 32
/** Most relay addresses one link may carry. */
export const MAX_LINK_RELAYS = 8
/** Longest token accepted, in characters (keeps QR codes and parsers bounded). */
export const MAX_TOKEN_LENGTH = 4096

/** What a collaborator may do with a shared playlist. */
export type ShareRole = 'read' | 'edit'

/** The decoded content of a share link. */
export interface ShareLink {
  version: number
  /** Peer id of the host that serves the playlist. */
  hostPeerId: string
  /** Relay multiaddrs (each ending in `/p2p/<relay peer id>`) through which the host is reachable. */
  relays: string[]
  playlistId: string
  role: ShareRole
  /** The 256-bit capability secret; whoever knows it may join with `role`. */
  secret: Uint8Array
}

/** The two forms of one link. */
export interface ShareUrls {
  /** `https://<origin>/join#<token>`: opens the web app. */
  web: string
  /** `whtnxt://join/<token>`: opens the desktop app. */
  app: string
}

const PLAYLIST_ID = /^[A-Za-z0-9_-]{1,64}$/
const B58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz'
const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'
const MAX_STR = 1024

/** A fresh random 256-bit capability secret. */
export function newCapabilitySecret(): Uint8Array {
  return crypto.getRandomValues(new Uint8Array(CAPABILITY_SECRET_BYTES))
}

/** Encodes `link` into a token; throws `ValidationError` if a field is invalid. */
export function encodeShareToken(link: Omit<ShareLink, 'version'>): string {
  const issues = checkFields(link)
  if (issues.length > 0) throw new ValidationError('Cannot make a share link', issues)
  const out: number[] = [SHARE_LINK_VERSION, link.role === 'edit' ? 1 : 0, ...link.secret]
  writeStr(out, link.hostPeerId)
  writeStr(out, link.playlistId)
  out.push(link.relays.length)
  for (const relay of link.relays) writeStr(out, relay)
  return toBase64Url(Uint8Array.from(out))
}

/** Decodes a token; throws `ValidationError` (with `issues`) when it is malformed. */
export function decodeShareToken(token: string): ShareLink {
  const fail = (path: string, message: string): never => {
    throw new ValidationError(`Invalid share link: ${message}`, [{ path, message }])
  }
  if (typeof token !== 'string' || token.length === 0) fail('token', 'the link has no token')
  if (token.length > MAX_TOKEN_LENGTH) fail('token', 'the token is too long')
  const bytes = fromBase64Url(token)
  if (!bytes) return fail('token', 'the token is not valid base64url')
  let pos = 0
  const need = (n: number, path: string) => {
    if (pos + n > bytes.length) fail(path, `the token ends early (missing ${path})`)
  }
  const readStr = (path: string): string => {
    let len = 0
    let shift = 0
    for (;;) {
      need(1, path)
      const b = bytes[pos++] as number
      len += (b & 0x7f) * 2 ** shift
      if ((b & 0x80) === 0) break
      shift += 7
      if (shift > 21) fail(path, `${path} has a bad length`)
    }
    if (len > MAX_STR) fail(path, `${path} is too long`)
    need(len, path)
    const slice = bytes.subarray(pos, pos + len)
    pos += len
    try {
      return new TextDecoder('utf-8', { fatal: true }).decode(slice)
    } catch {
      return fail(path, `${path} is not valid UTF-8`)
    }
  }
  need(1, 'version')
  const version = bytes[pos++] as number
  if (version !== SHARE_LINK_VERSION) {
    fail('version', `unsupported version ${version} (this app reads version ${SHARE_LINK_VERSION})`)
  }
  need(1, 'role')
  const roleByte = bytes[pos++] as number
  if (roleByte !== 0 && roleByte !== 1) fail('role', `unknown role ${roleByte}`)
  need(CAPABILITY_SECRET_BYTES, 'secret')
  const secret = bytes.slice(pos, pos + CAPABILITY_SECRET_BYTES)
  pos += CAPABILITY_SECRET_BYTES
  const hostPeerId = readStr('hostPeerId')
  const playlistId = readStr('playlistId')
  need(1, 'relays')
  const count = bytes[pos++] as number
  if (count > MAX_LINK_RELAYS) fail('relays', `too many relays (${count} > ${MAX_LINK_RELAYS})`)
  const relays: string[] = []
  for (let i = 0; i < count; i++) relays.push(readStr(`relays.${i}`))
  if (pos !== bytes.length) fail('token', 'the token has trailing bytes')
  const link: ShareLink = {
    version,
    hostPeerId,
    relays,
    playlistId,
    role: roleByte === 1 ? 'edit' : 'read',
    secret,
  }
  const issues = checkFields(link)
  if (issues.length > 0) {
    throw new ValidationError(`Invalid share link: ${issues[0]?.message ?? ''}`, issues)
  }
  return link
}

/** Both URL forms of `link`; `origin` is the web app's origin, e.g. `https://whatnext.app`. */
export function shareUrls(origin: string, link: Omit<ShareLink, 'version'>): ShareUrls {
  const token = encodeShareToken(link)
  return { web: `${origin.replace(/\/+$/, '')}/join#${token}`, app: `whtnxt://join/${token}` }
}

/**
 * Reads a link in any accepted form: `https://…/join#<token>`, `whtnxt://join/<token>`,
 * `web+whtnxt://join/<token>` (the PWA protocol handler), or a bare token.
 * Throws `ValidationError` with the reason when it is not a valid share link.
 */
export function parseShareLink(input: string): ShareLink {
  const text = typeof input === 'string' ? input.trim() : ''
  const fail = (message: string): never => {
    throw new ValidationError(`Invalid share link: ${message}`, [{ path: 'url', message }])
  }
  if (text === '') fail('the link is empty')
  const scheme = /^(?:web\+)?whtnxt:\/\/join\/([^?#]*)$/i.exec(text)
  if (scheme) return decodeShareToken(safeDecode(scheme[1] ?? ''))
  if (/^https?:\/\//i.test(text)) {
    const hash = text.indexOf('#')
    const path = (hash === -1 ? text : text.slice(0, hash)).replace(/[?].*$/, '')
    if (!/\/join\/?$/.test(path)) fail('this is not a join link')
    if (hash === -1 || hash === text.length - 1) fail('the link has no token after #')
    return decodeShareToken(safeDecode(text.slice(hash + 1)))
  }
  if (/^[A-Za-z0-9_-]+$/.test(text)) return decodeShareToken(text)
  return fail('expected https://…/join#… or whtnxt://join/…')
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s)
  } catch {
    return s
  }
}

function checkFields(link: Omit<ShareLink, 'version'>): FieldIssue[] {
  const issues: FieldIssue[] = []
  if (link.role !== 'read' && link.role !== 'edit') {
    issues.push({ path: 'role', message: 'role must be read or edit' })
  }
  if (!(link.secret instanceof Uint8Array) || link.secret.length !== CAPABILITY_SECRET_BYTES) {
    issues.push({ path: 'secret', message: 'the secret must be 256 bits' })
  }
  const peerProblem = peerIdProblem(link.hostPeerId)
  if (peerProblem) issues.push({ path: 'hostPeerId', message: peerProblem })
  if (typeof link.playlistId !== 'string' || !PLAYLIST_ID.test(link.playlistId)) {
    issues.push({ path: 'playlistId', message: 'the playlist id is not valid' })
  }
  if (!Array.isArray(link.relays) || link.relays.length > MAX_LINK_RELAYS) {
    issues.push({ path: 'relays', message: `at most ${MAX_LINK_RELAYS} relays` })
  } else {
    link.relays.forEach((relay, i) => {
      if (
        typeof relay !== 'string' ||
        !relay.startsWith('/') ||
        relay.length > MAX_STR ||
        !/\/p2p\/[1-9A-HJ-NP-Za-km-z]+$/.test(relay) ||
        peerIdProblem(relay.slice(relay.lastIndexOf('/') + 1)) !== null
      ) {
        issues.push({
          path: `relays.${i}`,
          message: 'a relay must be a multiaddr ending in /p2p/<peer id>',
        })
      }
    })
  }
  return issues
}

/**
 * Why `id` is not a libp2p peer id (base58btc of an identity or sha2-256 multihash), or
 * null when it is one.
 */
export function peerIdProblem(id: unknown): string | null {
  if (typeof id !== 'string' || id.length === 0) return 'the host peer id is missing'
  if (id.length > 128) return 'the host peer id is too long'
  const bytes = fromBase58(id)
  if (!bytes) return 'the host peer id is not base58'
  const [code, len] = [bytes[0], bytes[1]]
  if (code === 0x00 && len !== undefined && len <= 42 && bytes.length === len + 2) return null
  if (code === 0x12 && len === 32 && bytes.length === 34) return null
  return 'the host peer id is not a libp2p peer id'
}

function writeStr(out: number[], s: string): void {
  const bytes = new TextEncoder().encode(s)
  let n = bytes.length
  while (n >= 0x80) {
    out.push((n & 0x7f) | 0x80)
    n = Math.floor(n / 128)
  }
  out.push(n)
  for (const b of bytes) out.push(b)
}

/** base64url without padding. */
export function toBase64Url(bytes: Uint8Array): string {
  let out = ''
  for (let i = 0; i < bytes.length; i += 3) {
    const a = bytes[i] as number
    const b = bytes[i + 1]
    const c = bytes[i + 2]
    out += B64[a >> 2]
    out += B64[((a & 3) << 4) | ((b ?? 0) >> 4)]
    if (b !== undefined) out += B64[((b & 15) << 2) | ((c ?? 0) >> 6)]
    if (c !== undefined) out += B64[c & 63]
  }
  return out
}

/** Decodes base64url (padding and the standard `+/` alphabet tolerated); null if invalid. */
export function fromBase64Url(text: string): Uint8Array | null {
  const s = text.replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_')
  if (s.length % 4 === 1) return null
  const out = new Uint8Array(Math.floor((s.length * 3) / 4))
  let bits = 0
  let acc = 0
  let j = 0
  for (const ch of s) {
    const v = B64.indexOf(ch)
    if (v === -1) return null
    acc = (acc << 6) | v
    bits += 6
    if (bits >= 8) {
      bits -= 8
      out[j++] = (acc >> bits) & 0xff
    }
  }
  // Non-zero leftover bits mean a non-canonical encoding (a flipped last character).
  if ((acc & ((1 << bits) - 1)) !== 0) return null
  return out
}

function fromBase58(text: string): Uint8Array | null {
  let zeros = 0
  while (zeros < text.length && text[zeros] === '1') zeros++
  const big: number[] = [] // big-endian base-256 digits
  for (const ch of text) {
    let carry = B58.indexOf(ch)
    if (carry === -1) return null
    for (let i = big.length - 1; i >= 0; i--) {
      carry += (big[i] as number) * 58
      big[i] = carry & 0xff
      carry >>= 8
    }
    while (carry > 0) {
      big.unshift(carry & 0xff)
      carry >>= 8
    }
  }
  return Uint8Array.from([...new Array<number>(zeros).fill(0), ...big])
}
