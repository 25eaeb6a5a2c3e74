/**
 * The messages of `/whatnext/sync/1`. Each frame body is
 * `u8 type · varint seq · fields`; `seq` counts the sender's frames from 0 on each
 * stream, so a replayed or reordered frame is detected by its number.
 *
 * PERSISTED FORMAT (on the wire between app versions): type numbers and field layouts
 * must not change; add a new type or a new protocol id instead.
 */
import { ValidationError } from '@whatnext/core'
import { Reader, Writer } from './codec.ts'

/** The libp2p protocol id. */
export const SYNC_PROTOCOL = '/whatnext/sync/1'
/**
 * Version byte in HELLO, for changes that keep the protocol id. 2 added UPDATE-DEFLATED;
 * a host refuses any other version with a clear error rather than send what the peer
 * cannot read.
 */
export const WIRE_VERSION = 2
/** Bytes in each side's handshake nonce. */
export const NONCE_BYTES = 32
/** Bytes in an HMAC-SHA-256 proof. */
export const MAC_BYTES = 32

/** Message type numbers. */
export const MessageType = {
  Hello: 1,
  Challenge: 2,
  Proof: 3,
  Welcome: 4,
  SyncState: 5,
  Update: 6,
  Presence: 7,
  PresenceGone: 8,
  Error: 9,
  /** UPDATE whose parts carry the update compressed with deflate (zlib format). */
  UpdateDeflated: 10,
} as const

/** Whether an update answers a state vector (initial sync) or is a live edit. */
export type UpdateKind = 'sync' | 'live'

/** A decoded frame body. */
export type Message =
  | { type: 'hello'; version: number; playlistId: string; nonce: Uint8Array }
  | { type: 'challenge'; nonce: Uint8Array }
  | { type: 'proof'; role: 'read' | 'edit'; mac: Uint8Array }
  | { type: 'welcome'; role: 'read' | 'edit'; mac: Uint8Array }
  | { type: 'sync-state'; stateVector: Uint8Array }
  /**
   * One part of an update: `total` is the whole update's size as sent (compressed when
   * `deflated`); parts follow in order.
   */
  | { type: 'update'; kind: UpdateKind; total: number; chunk: Uint8Array; deflated?: boolean }
  | { type: 'presence'; json: string }
  | { type: 'presence-gone'; peerId: string }
  | { type: 'error'; name: string; code: string; message: string }

/** Field size bounds while decoding (the frame limit bounds them all anyway). */
const MAX_ID = 128
const MAX_TEXT = 1024

/**
 * Encodes `msg` as frame body number `seq`; `framed`: as the whole frame, its length prefix
 * first (one buffer; `encodeFrame(encodeMessage(msg, seq))` makes the same bytes).
 */
export function encodeMessage(msg: Message, seq: number, framed = false): Uint8Array {
  const w = new Writer()
  switch (msg.type) {
    case 'hello':
      return w
        .u8(MessageType.Hello)
        .varint(seq)
        .u8(msg.version)
        .str(msg.playlistId)
        .bytes(msg.nonce)
        .finish(framed)
    case 'challenge':
      return w.u8(MessageType.Challenge).varint(seq).bytes(msg.nonce).finish(framed)
    case 'proof':
    case 'welcome':
      return w
        .u8(msg.type === 'proof' ? MessageType.Proof : MessageType.Welcome)
        .varint(seq)
        .u8(msg.role === 'edit' ? 1 : 0)
        .bytes(msg.mac)
        .finish(framed)
    case 'sync-state':
      return w.u8(MessageType.SyncState).varint(seq).bytes(msg.stateVector).finish(framed)
    case 'update':
      return w
        .u8(msg.deflated ? MessageType.UpdateDeflated : MessageType.Update)
        .varint(seq)
        .u8(msg.kind === 'sync' ? 0 : 1)
        .varint(msg.total)
        .bytes(msg.chunk)
        .finish(framed)
    case 'presence':
      return w.u8(MessageType.Presence).varint(seq).str(msg.json).finish(framed)
    case 'presence-gone':
      return w.u8(MessageType.PresenceGone).varint(seq).str(msg.peerId).finish(framed)
    case 'error':
      return w
        .u8(MessageType.Error)
        .varint(seq)
        .str(msg.name.slice(0, MAX_ID))
        .str(msg.code.slice(0, MAX_ID))
        .str(msg.message.slice(0, MAX_TEXT))
        .finish(framed)
  }
}

function readRole(r: Reader): 'read' | 'edit' {
  const b = r.u8()
  if (b > 1) throw new ValidationError(`Unknown role ${b}`)
  return b === 1 ? 'edit' : 'read'
}

function readFixed(r: Reader, n: number, what: string): Uint8Array {
  const bytes = r.bytes(n)
  if (bytes.length !== n) throw new ValidationError(`${what} must be ${n} bytes`)
  return bytes
}

/** Decodes a frame body into its sequence number and message; throws `ValidationError`. */
export function decodeMessage(body: Uint8Array, maxChunk: number): { seq: number; msg: Message } {
  const r = new Reader(body)
  const type = r.u8()
  const seq = r.varint()
  let msg: Message
  switch (type) {
    case MessageType.Hello:
      msg = {
        type: 'hello',
        version: r.u8(),
        playlistId: r.str(MAX_ID),
        nonce: readFixed(r, NONCE_BYTES, 'Nonce'),
      }
      break
    case MessageType.Challenge:
      msg = { type: 'challenge', nonce: readFixed(r, NONCE_BYTES, 'Nonce') }
      break
    case MessageType.Proof:
      msg = { type: 'proof', role: readRole(r), mac: readFixed(r, MAC_BYTES, 'Proof') }
      break
    case MessageType.Welcome:
      msg = { type: 'welcome', role: readRole(r), mac: readFixed(r, MAC_BYTES, 'Proof') }
      break
    case MessageType.SyncState:
      msg = { type: 'sync-state', stateVector: r.bytes(maxChunk) }
      break
    case MessageType.Update:
    case MessageType.UpdateDeflated: {
      const k = r.u8()
      if (k > 1) throw new ValidationError(`Unknown update kind ${k}`)
      const kind = k === 0 ? 'sync' : 'live'
      const total = r.varint()
      const chunk = r.bytes(maxChunk)
      msg =
        type === MessageType.UpdateDeflated
          ? { type: 'update', kind, total, chunk, deflated: true }
          : { type: 'update', kind, total, chunk }
      break
    }
    case MessageType.Presence:
      msg = { type: 'presence', json: r.str(MAX_TEXT) }
      break
    case MessageType.PresenceGone:
      msg = { type: 'presence-gone', peerId: r.str(MAX_ID) }
      break
    case MessageType.Error:
      msg = { type: 'error', name: r.str(MAX_ID), code: r.str(MAX_ID), message: r.str(MAX_TEXT) }
      break
    default:
      throw new ValidationError(`Unknown message type ${type}`)
  }
  r.end()
  return { seq, msg }
}
