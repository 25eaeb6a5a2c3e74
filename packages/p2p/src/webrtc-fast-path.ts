/**
 * The short way through @libp2p/webrtc's streams for what a sync session sends and
 * receives: each edit's way to the peer is what collaboration feels like.
 *
 * Writes. @libp2p/webrtc 6.0.x frames every stream write as `varint(length) · protobuf
 * Message` and hands both parts to `RTCDataChannel.send` separately (its `_sendMessage`
 * loops over the parts of a Uint8ArrayList): every write costs two data-channel messages,
 * the first one just the 1–3 byte prefix. Each message is its own hop from the page's
 * thread to Chromium's network thread, its own SCTP message, and its own task on the
 * receiving page; measured in the p2p bench (two Chromium profiles), that split alone
 * made an edit reach the peer ~0.5–1 ms later than over y-webrtc, which sends one
 * message per update. Here each write is one message ({@link coalesceDataChannelWrites}),
 * and a write made while nothing is queued skips libp2p's send queue.
 *
 * Reads. libp2p pushes every channel message through an async pipeline (a pushable, a
 * length-prefix decoder, a protobuf decoder) before the stream's 'message' event. A
 * message that holds whole frames (what every sender here writes) skips it
 * ({@link readWholeFramesDirectly}): a frame of data goes straight to the stream's reader
 * (the sync session), any other to the stream's own frame handler; the first message
 * that is not whole frames hands this and every later message to libp2p's pipeline,
 * which then starts at a frame boundary, so order and framing are kept whatever the
 * sender does.
 *
 * The receiving side of every libp2p WebRTC implementation reads a channel as a byte
 * stream (the spec's framing, not the message boundaries, delimits messages), so the
 * same bytes in one message change nothing it can see. libp2p's checks (channel state,
 * errors, backpressure, message size, flags) stay in place.
 *
 * This reaches into non-public members of the stream object (not its files); the shape
 * is checked first, and a later @libp2p/webrtc that changes it is left as it is.
 */
import type { Stream } from '@libp2p/interface'
import { readVarint, writeVarint } from './protocol/codec.ts'

/** What a @libp2p/webrtc `WebRTCStream` looks like from here (not public API). */
interface SplitWriter {
  channel: {
    send(data: Uint8Array): void
    readonly readyState: string
    readonly bufferedAmount: number
  }
  _sendMessage(data: Iterable<Uint8Array>): void
  send: Stream['send']
  abort(error: Error): void
  listenerCount(type: string): number
  safeDispatchEvent(type: string): void
  writeStatus: string
  writableNeedsDrain: boolean
  sendingData: boolean
  writeBuffer: { readonly byteLength: number }
  maxMessageSize?: number
  maxBufferedAmount: number
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

/** Whether the stream also has the send-queue state the direct write reads. */
function hasSendQueue(s: SplitWriter): boolean {
  return (
    typeof s.send === 'function' &&
    typeof s.abort === 'function' &&
    typeof s.listenerCount === 'function' &&
    typeof s.safeDispatchEvent === 'function' &&
    typeof s.writeStatus === 'string' &&
    typeof s.writableNeedsDrain === 'boolean' &&
    typeof s.sendingData === 'boolean' &&
    typeof s.writeBuffer?.byteLength === 'number' &&
    typeof s.maxBufferedAmount === 'number'
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
 * One write as @libp2p/webrtc puts it on a channel, in one buffer: the varint length of
 * a protobuf `Message` whose only field is `message` (field 2, bytes), then that message.
 * Written into `into` when it is large enough (the returned view), else a new buffer.
 */
export function dataChannelFrame(data: Uint8Array, into?: Uint8Array): Uint8Array {
  const field = [0x12]
  writeVarint(field, data.byteLength)
  const head: number[] = []
  writeVarint(head, field.length + data.byteLength)
  const size = head.length + field.length + data.byteLength
  const out = into && into.length >= size ? into.subarray(0, size) : new Uint8Array(size)
  out.set(head, 0)
  out.set(field, head.length)
  out.set(data, head.length + field.length)
  return out
}

/**
 * Where direct writes are framed: `RTCDataChannel.send` copies what it is given before
 * it returns, so one buffer serves every write (a fresh ArrayBuffer per edit costs more,
 * on an idle page, than the rest of the write).
 */
let scratch = new Uint8Array(1024)

function scratchFor(size: number): Uint8Array {
  if (scratch.length < size && size <= 64 * 1024) scratch = new Uint8Array(size * 2)
  return scratch
}

/** Whether a write of `size` bytes may skip the queue: nothing waits, nothing is full. */
function canWriteNow(s: SplitWriter, size: number): boolean {
  return (
    s.writeStatus === 'writable' &&
    !s.writableNeedsDrain &&
    !s.sendingData &&
    s.writeBuffer.byteLength === 0 &&
    s.channel.readyState === 'open' &&
    (s.maxMessageSize == null || size <= s.maxMessageSize)
  )
}

/**
 * Makes `stream` (if it is a @libp2p/webrtc data-channel stream) send each write as one
 * data-channel message. Returns whether it did; other streams are left untouched.
 *
 * A write made while nothing is queued (the usual case: an edit, a presence change) goes
 * straight to the channel as one frame built in one buffer, with the checks libp2p's
 * send queue makes (stream writable, no drain awaited, within the message size) and its
 * bookkeeping (a full channel means the next write waits for 'drain'; 'idle' for whoever
 * waits on it). libp2p's queue, its Uint8ArrayList copies and its protobuf encoder took
 * ~0.1 ms of each edit's way to the peer in the p2p bench. Anything else (a write while
 * others are queued, one larger than a message, a closing stream) takes libp2p's path.
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
  if (hasSendQueue(marked)) {
    const queued = marked.send.bind(marked)
    Object.defineProperty(marked, 'send', {
      configurable: true,
      writable: true,
      value: (data: Parameters<Stream['send']>[0]): boolean => {
        if (
          !(data instanceof Uint8Array) ||
          data.byteLength === 0 ||
          !canWriteNow(marked, data.byteLength)
        )
          return queued(data)
        try {
          marked.channel.send(dataChannelFrame(data, scratchFor(data.byteLength + 11)))
        } catch (error) {
          // As libp2p does when the channel refuses a message.
          marked.abort(error instanceof Error ? error : new Error(String(error)))
          return false
        }
        const more = marked.channel.bufferedAmount < marked.maxBufferedAmount
        if (!more) marked.writableNeedsDrain = true
        if (marked.listenerCount('idle') > 0) marked.safeDispatchEvent('idle')
        return more
      },
    })
  }
  marked[COALESCED] = true
  return true
}

/** What a @libp2p/webrtc `WebRTCStream` reads with (not public API). */
interface FrameReader {
  channel: { onmessage: ((event: { data: unknown }) => unknown) | null }
  processIncomingProtobuf(frame: Uint8Array): void
  abort(error: Error): void
  readonly readStatus: string
  readonly readBufferLength: number
}

function isFrameReader(stream: unknown): stream is FrameReader {
  const s = stream as Partial<FrameReader> | null
  return (
    s != null &&
    typeof s.processIncomingProtobuf === 'function' &&
    typeof s.abort === 'function' &&
    typeof s.readStatus === 'string' &&
    typeof s.readBufferLength === 'number' &&
    s.channel != null &&
    typeof s.channel.onmessage === 'function'
  )
}

/** The frame bodies `data` holds if it is whole frames (varint length · body) only, else null. */
export function wholeFrames(data: Uint8Array): Uint8Array[] | null {
  const frames: Uint8Array[] = []
  let at = 0
  while (at < data.length) {
    let prefix: ReturnType<typeof readVarint>
    try {
      prefix = readVarint(data, at)
    } catch {
      return null
    }
    if (!prefix || prefix.value === 0 || prefix.next + prefix.value > data.length) return null
    frames.push(data.subarray(prefix.next, prefix.next + prefix.value))
    at = prefix.next + prefix.value
  }
  return frames
}

/**
 * The data a frame carries if the frame is a protobuf `Message` with the `message` field
 * (2, bytes) and nothing else — no flag — else null. The inverse of {@link dataChannelFrame}
 * without its length prefix.
 */
export function dataOnly(frame: Uint8Array): Uint8Array | null {
  if (frame[0] !== 0x12) return null
  let length: ReturnType<typeof readVarint>
  try {
    length = readVarint(frame, 1)
  } catch {
    return null
  }
  if (!length || length.next + length.value !== frame.length) return null
  return frame.subarray(length.next)
}

/**
 * Makes `stream` (if it is a @libp2p/webrtc data-channel stream) hand each channel
 * message made of whole frames straight to its frame handler. Returns whether it did.
 * A frame that does not decode aborts the stream (libp2p's pipeline would stop reading
 * it, silently).
 *
 * With `deliver` (the stream's one reader), a frame that is data only goes to it at once
 * while the stream reads normally (readable, nothing buffered): what the stream's
 * 'message' event would have carried, without the protobuf decoder, the byte list and
 * the DOM event on the way. A flag (a close, a reset), a paused stream or buffered data
 * take libp2p's way, in order.
 */
export function readWholeFramesDirectly(
  stream: Stream,
  deliver?: (data: Uint8Array) => void,
): boolean {
  if (!isFrameReader(stream)) return false
  const reader = stream
  const channel = reader.channel
  const original = channel.onmessage as (event: { data: unknown }) => unknown
  let direct = true
  channel.onmessage = (event) => {
    const data = event.data
    if (direct && data instanceof ArrayBuffer) {
      if (data.byteLength === 0) return
      const frames = wholeFrames(new Uint8Array(data))
      if (frames) {
        try {
          for (const frame of frames) {
            const reading = reader.readStatus === 'readable' && reader.readBufferLength === 0
            const payload = deliver && reading ? dataOnly(frame) : null
            if (!deliver || !payload) reader.processIncomingProtobuf(frame)
            else if (payload.byteLength > 0) deliver(payload)
          }
        } catch (error) {
          reader.abort(error instanceof Error ? error : new Error(String(error)))
        }
        return
      }
    }
    direct = false
    return original.call(channel, event)
  }
  return true
}
