/**
 * Bytes on the wire of `/whatnext/sync/1`: varint length-prefixed frames with hard size
 * limits, and a bounds-checked reader/writer for the fields inside them. Pure (no
 * libp2p), so the fuzz tests can feed it anything.
 */
import { PayloadTooLargeError, ValidationError } from '@whatnext/core'

/** Largest varint the codec reads (2^32 - 1); longer encodings are malformed. */
const MAX_VARINT = 0xffffffff

/** Appends `n` as an unsigned LEB128 varint. */
export function writeVarint(out: number[], n: number): void {
  if (!Number.isInteger(n) || n < 0 || n > MAX_VARINT) throw new RangeError(`bad varint ${n}`)
  while (n >= 0x80) {
    out.push((n % 0x80) | 0x80)
    n = Math.floor(n / 0x80)
  }
  out.push(n)
}

/**
 * Reads the varint at `bytes[at]`: its value and the index after it, or null if the
 * bytes end inside it. Throws a `ValidationError` on one longer than 5 bytes.
 */
export function readVarint(
  bytes: Uint8Array,
  at: number,
  end = bytes.length,
): { value: number; next: number } | null {
  let value = 0
  let shift = 0
  while (at < end) {
    const b = bytes[at++] as number
    value += (b & 0x7f) * 2 ** shift
    if ((b & 0x80) === 0) return { value, next: at }
    shift += 7
    if (shift >= 35) throw new ValidationError('Malformed frame length')
  }
  return null
}

/** Wraps a frame body in its length prefix. */
export function encodeFrame(body: Uint8Array): Uint8Array {
  const head: number[] = []
  writeVarint(head, body.length)
  const out = new Uint8Array(head.length + body.length)
  out.set(head, 0)
  out.set(body, head.length)
  return out
}

/**
 * Splits a byte stream into frame bodies. A length above `maxFrameBytes` is refused as
 * soon as its prefix arrives (before the body is buffered); a zero length or an
 * over-long varint is malformed.
 */
export class FrameDecoder {
  // Received bytes live in buffer[start, end); the buffer grows by doubling and is reused,
  // so a frame that arrives in many small chunks is copied in once, not once per chunk.
  private buffer = new Uint8Array(0)
  private start = 0
  private end = 0

  constructor(private readonly maxFrameBytes: number) {}

  /** Bytes received but not yet part of a whole frame. */
  get buffered(): number {
    return this.end - this.start
  }

  /**
   * Feeds bytes; returns the whole frames they complete. Throws on a bad prefix. While
   * nothing is buffered, frames are views into `chunk` (no copy; the caller hands the
   * chunk over); bytes that finish no frame are copied in, and frames cut from the
   * decoder's own buffer are copies (it is reused).
   */
  push(chunk: Uint8Array): Uint8Array[] {
    const frames: Uint8Array[] = []
    if (this.start === this.end) {
      const used = this.scan(chunk, 0, chunk.length, frames, false)
      if (used < chunk.length) this.append(chunk.subarray(used))
      return frames
    }
    if (chunk.length > 0) this.append(chunk)
    this.start = this.scan(this.buffer, this.start, this.end, frames, true)
    if (this.start === this.end) {
      this.start = this.end = 0
      // Idle sessions do not keep a large frame's room.
      if (this.buffer.length > 64 * 1024) this.buffer = new Uint8Array(0)
    }
    return frames
  }

  /** Collects the whole frames of bytes[pos, end) into `frames`; returns where they stop. */
  private scan(
    bytes: Uint8Array,
    pos: number,
    end: number,
    frames: Uint8Array[],
    copy: boolean,
  ): number {
    for (;;) {
      const prefix = readVarint(bytes, pos, end)
      if (!prefix) return pos
      const { value: len, next: i } = prefix
      if (len === 0) throw new ValidationError('Empty frame')
      if (len > this.maxFrameBytes) {
        throw new PayloadTooLargeError(`Frame of ${len} bytes exceeds ${this.maxFrameBytes}`, {
          size: len,
          limit: this.maxFrameBytes,
        })
      }
      if (i + len > end) return pos
      frames.push(copy ? bytes.slice(i, i + len) : bytes.subarray(i, i + len))
      pos = i + len
    }
  }

  private append(chunk: Uint8Array): void {
    const live = this.end - this.start
    if (this.end + chunk.length > this.buffer.length) {
      const needed = live + chunk.length
      if (needed > this.buffer.length || live > this.buffer.length / 2) {
        const next = new Uint8Array(Math.max(needed, 2 * this.buffer.length, 1024))
        next.set(this.buffer.subarray(this.start, this.end), 0)
        this.buffer = next
      } else {
        this.buffer.copyWithin(0, this.start, this.end)
      }
      this.start = 0
      this.end = live
    }
    this.buffer.set(chunk, this.end)
    this.end += chunk.length
  }
}

/** Builds a frame body field by field. */
export class Writer {
  private readonly parts: number[] = []
  private readonly blobs: { at: number; bytes: Uint8Array }[] = []

  u8(n: number): this {
    this.parts.push(n & 0xff)
    return this
  }

  varint(n: number): this {
    writeVarint(this.parts, n)
    return this
  }

  bytes(b: Uint8Array): this {
    writeVarint(this.parts, b.length)
    // Large byte strings are copied once at the end instead of pushed byte by byte.
    this.blobs.push({ at: this.parts.length, bytes: b })
    return this
  }

  str(s: string): this {
    return this.bytes(new TextEncoder().encode(s))
  }

  /**
   * The bytes written, in one buffer; `framed`: preceded by their length as a varint (a
   * whole frame, as {@link encodeFrame} would make it, without the second copy).
   */
  finish(framed = false): Uint8Array {
    let size = this.parts.length
    for (const blob of this.blobs) size += blob.bytes.length
    const head: number[] = []
    if (framed) writeVarint(head, size)
    const out = new Uint8Array(head.length + size)
    let dst = 0
    for (const b of head) out[dst++] = b
    let src = 0
    const parts = this.parts
    for (const blob of this.blobs) {
      while (src < blob.at) out[dst++] = parts[src++] as number
      out.set(blob.bytes, dst)
      dst += blob.bytes.length
    }
    while (src < parts.length) out[dst++] = parts[src++] as number
    return out
  }
}

export class Reader {
  private pos = 0

  constructor(private readonly buf: Uint8Array) {}

  u8(): number {
    if (this.pos >= this.buf.length) throw new ValidationError('Truncated frame')
    return this.buf[this.pos++] as number
  }

  varint(): number {
    let n = 0
    let shift = 0
    for (;;) {
      const b = this.u8()
      n += (b & 0x7f) * 2 ** shift
      if ((b & 0x80) === 0) break
      shift += 7
      if (shift >= 35) throw new ValidationError('Malformed varint')
    }
    if (n > MAX_VARINT) throw new ValidationError('Varint out of range')
    return n
  }

  bytes(max: number): Uint8Array {
    const len = this.varint()
    if (len > max) throw new ValidationError(`Field of ${len} bytes exceeds ${max}`)
    if (this.pos + len > this.buf.length) throw new ValidationError('Truncated frame')
    const out = this.buf.subarray(this.pos, this.pos + len)
    this.pos += len
    return out
  }

  str(max: number): string {
    try {
      return new TextDecoder('utf-8', { fatal: true }).decode(this.bytes(max))
    } catch (error) {
      if (error instanceof ValidationError) throw error
      throw new ValidationError('Invalid UTF-8 in frame')
    }
  }

  /** Asserts the body has no bytes left. */
  end(): void {
    if (this.pos !== this.buf.length) throw new ValidationError('Trailing bytes in frame')
  }
}
