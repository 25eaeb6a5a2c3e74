/**
 * One RTCDataChannel message per libp2p stream write on WebRTC connections.
 *
 * @libp2p/webrtc 6.0.x frames every stream write as `varint(length) · protobuf Message`
 * and hands both parts to `RTCDataChannel.send` separately (its `_sendMessage` loops over
 * the parts of a Uint8ArrayList): every write costs two data-channel messages, the first
 * one just the 1–3 byte prefix. Each message is its own hop from the page's thread to
 * Chromium's network thread, its own SCTP message, and its own task on the receiving
 * page; measured in the p2p bench (two Chromium profiles), that split alone made an edit
 * reach the peer ~0.5–1 ms later than over y-webrtc, which sends one message per update.
 *
 * The receiving side of every libp2p WebRTC implementation reads a channel as a byte
 * stream through a length-prefixed decoder (the spec's framing, not the message
 * boundaries, delimits messages), so sending the same bytes as one message changes
 * nothing it can see. libp2p's own checks (channel state, errors, backpressure, message
 * size) stay in place: only the parts of one write are joined before they reach its
 * `_sendMessage`.
 *
 * This reaches into one non-public method of the stream object (not its files): if a
 * later @libp2p/webrtc renames or changes it, the stream is left as it is.
 */
import type { Stream } from '@libp2p/interface'

/** What a @libp2p/webrtc `WebRTCStream` looks like from here (not public API). */
interface SplitWriter {
  channel: { send(data: Uint8Array): void }
  _sendMessage(data: Iterable<Uint8Array>): void
}

const COALESCED = Symbol.for('whatnext.webrtc.coalesced')

function isSplitWriter(stream: unknown): stream is SplitWriter {
  const s = stream as Partial<SplitWriter> | null
  return (
    s != null &&
    typeof s._sendMessage === 'function' &&
    s._sendMessage.length === 1 &&
    s.channel != null &&
    typeof s.channel.send === 'function'
  )
}

/** Joins the parts of one write; a single part (or a plain byte array) is passed as is. */
export function joinParts(data: Iterable<Uint8Array> | Uint8Array): Uint8Array[] | Uint8Array {
  if (data instanceof Uint8Array) return data
  const parts = [...data]
  if (parts.length <= 1) return parts
  let size = 0
  for (const part of parts) size += part.byteLength
  const out = new Uint8Array(size)
  let at = 0
  for (const part of parts) {
    out.set(part, at)
    at += part.byteLength
  }
  return [out]
}

/**
 * Makes `stream` (if it is a @libp2p/webrtc data-channel stream) send each write as one
 * data-channel message. Returns whether it did; other streams are left untouched.
 */
export function coalesceDataChannelWrites(stream: Stream): boolean {
  if (!isSplitWriter(stream)) return false
  const marked = stream as SplitWriter & { [COALESCED]?: true }
  if (marked[COALESCED]) return true
  // The prototype's method, so libp2p's state checks and error handling still run.
  const send = stream._sendMessage.bind(stream)
  Object.defineProperty(stream, '_sendMessage', {
    configurable: true,
    writable: true,
    value: (data: Iterable<Uint8Array>) => send(joinParts(data) as Iterable<Uint8Array>),
  })
  marked[COALESCED] = true
  return true
}
