import { describe, expect, it } from 'vitest'
import { ValidationError } from '../errors.ts'
import {
  decodeShareToken,
  encodeShareToken,
  fromBase64Url,
  newCapabilitySecret,
  parseShareLink,
  peerIdProblem,
  shareUrls,
  toBase64Url,
  type ShareLink,
} from './share-link.ts'

const HOST = '12D3KooWReQt7RWFEMFz6fCYZiFavdTz8XrYPyfPdf3Ft168kGWz'
const RELAY = '12D3KooWJdR3De589pE2Bpu4dFTu6RBufJssHWxbdne4r1K7vhf9'
const RSA_STYLE = 'QmYyQSo1c1Ym7orWxLYvCrM2EmxFTANf8wXmmE7DWjhx5N'

function sample(over: Partial<ShareLink> = {}): Omit<ShareLink, 'version'> {
  return {
    hostPeerId: HOST,
    relays: [
      `/ip4/127.0.0.1/tcp/4100/ws/p2p/${RELAY}`,
      `/dns4/relay.example/tcp/443/wss/p2p/${RELAY}`,
    ],
    playlistId: 'pl_abc-123',
    role: 'edit',
    secret: new Uint8Array(32).map((_, i) => i * 7),
    ...over,
  }
}

function reasonOf(fn: () => unknown): string {
  try {
    fn()
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError)
    const v = error as ValidationError
    expect(v.issues.length).toBeGreaterThan(0)
    return `${v.message} | ${v.issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`
  }
  throw new Error('expected a ValidationError')
}

describe('share links', () => {
  it('round-trips every field through both URL forms and a bare token', () => {
    const link = sample()
    const urls = shareUrls('https://whatnext.test/', link)
    expect(urls.web).toMatch(/^https:\/\/whatnext\.test\/join#[A-Za-z0-9_-]+$/)
    expect(urls.app).toMatch(/^whtnxt:\/\/join\/[A-Za-z0-9_-]+$/)
    for (const text of [urls.web, urls.app, urls.app.replace('whtnxt', 'web+whtnxt')]) {
      const back = parseShareLink(text)
      expect(back).toEqual({ ...link, version: 1 })
    }
    const token = encodeShareToken(link)
    expect(parseShareLink(token)).toEqual({ ...link, version: 1 })
  })

  it('round-trips read-only links, no relays, and RSA-style peer ids', () => {
    const link = sample({ role: 'read', relays: [], hostPeerId: RSA_STYLE })
    expect(decodeShareToken(encodeShareToken(link))).toEqual({ ...link, version: 1 })
  })

  it('makes fresh 256-bit secrets', () => {
    const a = newCapabilitySecret()
    const b = newCapabilitySecret()
    expect(a).toHaveLength(32)
    expect(a).not.toEqual(b)
  })

  it('base64url round-trips every length', () => {
    for (let n = 0; n < 40; n++) {
      const bytes = new Uint8Array(n).map((_, i) => (i * 37 + n) & 0xff)
      expect(fromBase64Url(toBase64Url(bytes))).toEqual(bytes)
    }
  })

  it('refuses bad base64', () => {
    expect(reasonOf(() => decodeShareToken('abc$def'))).toMatch(/base64url/)
    expect(reasonOf(() => decodeShareToken('A'))).toMatch(/base64url/)
    expect(reasonOf(() => parseShareLink('https://x.test/join#%%%'))).toMatch(/base64url/)
  })

  it('refuses a wrong version with a message naming it', () => {
    const bytes = fromBase64Url(encodeShareToken(sample()))!
    bytes[0] = 9
    expect(reasonOf(() => decodeShareToken(toBase64Url(bytes)))).toMatch(/unsupported version 9/)
  })

  it('refuses truncated tokens with the missing field', () => {
    const bytes = fromBase64Url(encodeShareToken(sample()))!
    expect(reasonOf(() => decodeShareToken(toBase64Url(bytes.subarray(0, 1))))).toMatch(/role/)
    expect(reasonOf(() => decodeShareToken(toBase64Url(bytes.subarray(0, 20))))).toMatch(/secret/)
    expect(reasonOf(() => decodeShareToken(toBase64Url(bytes.subarray(0, 40))))).toMatch(
      /hostPeerId/,
    )
    for (let n = 0; n < bytes.length; n++) {
      expect(() => decodeShareToken(toBase64Url(bytes.subarray(0, n)))).toThrow(ValidationError)
    }
  })

  it('refuses trailing bytes and unknown roles', () => {
    const bytes = fromBase64Url(encodeShareToken(sample()))!
    expect(reasonOf(() => decodeShareToken(toBase64Url(Uint8Array.from([...bytes, 0]))))).toMatch(
      /trailing/,
    )
    bytes[1] = 5
    expect(reasonOf(() => decodeShareToken(toBase64Url(bytes)))).toMatch(/unknown role 5/)
  })

  it('refuses bad peer ids, short secrets, bad playlist ids and bad relays when encoding', () => {
    expect(reasonOf(() => encodeShareToken(sample({ hostPeerId: 'not-a-peer' })))).toMatch(
      /hostPeerId: the host peer id is not base58/,
    )
    expect(reasonOf(() => encodeShareToken(sample({ hostPeerId: '12D3KooWxyz' })))).toMatch(
      /not a libp2p peer id/,
    )
    expect(reasonOf(() => encodeShareToken(sample({ secret: new Uint8Array(16) })))).toMatch(
      /secret: the secret must be 256 bits/,
    )
    expect(reasonOf(() => encodeShareToken(sample({ playlistId: 'a b' })))).toMatch(/playlistId/)
    expect(reasonOf(() => encodeShareToken(sample({ relays: ['/ip4/1.2.3.4/tcp/1'] })))).toMatch(
      /relays\.0/,
    )
    expect(reasonOf(() => encodeShareToken(sample({ playlistId: '' })))).toMatch(/playlistId/)
  })

  it('refuses a token whose host peer id is corrupt', () => {
    const good = encodeShareToken(sample())
    const bytes = fromBase64Url(good)!
    // The peer id string starts after version, role, 32 secret bytes and its length byte.
    bytes[2 + 32 + 1 + 5] = '0'.charCodeAt(0) // '0' is not in the base58 alphabet
    expect(reasonOf(() => decodeShareToken(toBase64Url(bytes)))).toMatch(/hostPeerId/)
  })

  it('refuses links that are not join links, or have no token', () => {
    expect(reasonOf(() => parseShareLink(''))).toMatch(/empty/)
    expect(reasonOf(() => parseShareLink('https://x.test/other#abc'))).toMatch(/not a join link/)
    expect(reasonOf(() => parseShareLink('https://x.test/join'))).toMatch(/no token/)
    expect(reasonOf(() => parseShareLink('ftp://x'))).toMatch(/expected/)
    expect(reasonOf(() => parseShareLink('x'.repeat(5000)))).toMatch(/too long/)
  })

  it('recognises peer ids', () => {
    expect(peerIdProblem(HOST)).toBeNull()
    expect(peerIdProblem(RSA_STYLE)).toBeNull()
    expect(peerIdProblem('')).toMatch(/missing/)
    expect(peerIdProblem('1111')).toMatch(/not a libp2p peer id/)
  })
})
