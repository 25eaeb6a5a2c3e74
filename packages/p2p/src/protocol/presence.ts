/**
 * Presence: who is connected to a shared playlist and what they are looking at. Sent as
 * small JSON frames after the handshake; the host stamps each joiner's own (Noise
 * authenticated) peer id on what it relays, so nobody can speak for someone else.
 */
import { ValidationError } from '@whatnext/core'

/** One collaborator's presence. */
export interface Presence {
  peerId: string
  /** Display name, at most 64 characters. */
  name: string
  /** `#rrggbb`. */
  colour: string
  /** The playlist they have open (null: none). */
  playlistId: string | null
  /** The track they have selected (null: none). */
  trackId: string | null
}

/** What a peer says about itself; the peer id is added by whoever knows it for sure. */
export type PresenceState = Omit<Presence, 'peerId'>

const ID = /^[A-Za-z0-9_-]{1,64}$/
const COLOUR = /^#[0-9a-fA-F]{6}$/

/** Validates untrusted presence JSON; throws `ValidationError`. */
export function parsePresence(json: string): PresenceState & { peerId?: string } {
  let value: unknown
  try {
    value = JSON.parse(json)
  } catch {
    throw new ValidationError('Presence is not JSON')
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ValidationError('Presence must be an object')
  }
  const v = value as Record<string, unknown>
  const optId = (key: string): string | null => {
    const x = v[key]
    if (x === null || x === undefined) return null
    if (typeof x !== 'string' || !ID.test(x)) throw new ValidationError(`Invalid presence ${key}`)
    return x
  }
  if (typeof v.name !== 'string' || v.name.length > 64) {
    throw new ValidationError('Invalid presence name')
  }
  if (typeof v.colour !== 'string' || !COLOUR.test(v.colour)) {
    throw new ValidationError('Invalid presence colour')
  }
  const out: PresenceState & { peerId?: string } = {
    name: v.name,
    colour: v.colour,
    playlistId: optId('playlistId'),
    trackId: optId('trackId'),
  }
  if (v.peerId !== undefined) {
    if (typeof v.peerId !== 'string' || !/^[1-9A-HJ-NP-Za-km-z]{1,128}$/.test(v.peerId)) {
      throw new ValidationError('Invalid presence peer id')
    }
    out.peerId = v.peerId
  }
  return out
}

/** Serialises presence for the wire. */
export function presenceJson(p: PresenceState & { peerId?: string }): string {
  return JSON.stringify({
    peerId: p.peerId,
    name: p.name.slice(0, 64),
    colour: p.colour,
    playlistId: p.playlistId,
    trackId: p.trackId,
  })
}

/** A stable colour per peer id, so every device shows the same person in the same colour. */
export function colourOf(peerId: string): string {
  let h = 2166136261
  for (let i = 0; i < peerId.length; i++) h = Math.imul(h ^ peerId.charCodeAt(i), 16777619)
  const hue = (h >>> 0) % 360
  // HSL(hue, 65 %, 45 %) → hex
  const s = 0.65
  const l = 0.45
  const f = (n: number) => {
    const k = (n + hue / 30) % 12
    const c = l - s * Math.min(l, 1 - l) * Math.max(-1, Math.min(k - 3, 9 - k, 1))
    return Math.round(c * 255)
      .toString(16)
      .padStart(2, '0')
  }
  return `#${f(0)}${f(8)}${f(4)}`
}
