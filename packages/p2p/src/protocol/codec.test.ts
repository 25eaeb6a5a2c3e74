import { PayloadTooLargeError, ValidationError } from '@whatnext/core'
import { describe, expect, it } from 'vitest'
import { FrameDecoder, encodeFrame } from './codec.ts'
import { encodeMessage, type Message } from './messages.ts'

/** A deterministic generator, so a failure can be replayed. */
function random(seed: number) {
  return () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31
    return seed / 2 ** 31
  }
}

function body(n: number, fill: number): Uint8Array {
  return Uint8Array.from({ length: n }, (_, i) => (i * 31 + fill) & 0xff)
}

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex')

describe('FrameDecoder', () => {
  it('gives back every frame whole however the stream is cut', () => {
    const rnd = random(7)
    const small = [1, 2, 127, 128, 129, 300, 5]
    const large = [...small, 16_384, 16_385, 131_072, 200_000]
    const cases: [number[], number][] = [
      [small, 1],
      [small, 3],
      [large, 1000],
      [large, 16_384],
      [large, 70_000],
      [large, 1 << 20],
    ]
    for (const [sizes, maxChunk] of cases) {
      const bodies = sizes.map((n, i) => body(n, i))
      const frames = bodies.map(encodeFrame)
      const stream = new Uint8Array(frames.reduce((n, f) => n + f.length, 0))
      let at = 0
      for (const frame of frames) {
        stream.set(frame, at)
        at += frame.length
      }
      const decoder = new FrameDecoder(256 * 1024)
      const out: Uint8Array[] = []
      let most = 0
      let pos = 0
      while (pos < stream.length) {
        const n = Math.max(1, Math.floor(rnd() * maxChunk))
        out.push(...decoder.push(stream.subarray(pos, pos + n)))
        most = Math.max(most, decoder.buffered)
        pos += n
      }
      // Compared as strings: a deep equality over 200 KB arrays is slow.
      expect(out.map(hex)).toEqual(bodies.map(hex))
      expect(decoder.buffered).toBe(0)
      expect(most).toBeLessThan(Math.min(maxChunk, 1 << 20) + 256 * 1024)
    }
  })

  it('hands out frames that later bytes cannot change', () => {
    const decoder = new FrameDecoder(1024)
    const [first] = decoder.push(encodeFrame(body(10, 1)))
    decoder.push(encodeFrame(body(10, 2)).subarray(0, 5))
    decoder.push(encodeFrame(body(10, 3)).subarray(5))
    expect(first).toEqual(body(10, 1))
  })

  it('takes whole frames out of a chunk as they are, and copies those it put together', () => {
    const decoder = new FrameDecoder(1024)
    const chunk = encodeFrame(body(10, 1))
    const [view] = decoder.push(chunk)
    expect(view!.buffer).toBe(chunk.buffer)
    const second = encodeFrame(body(10, 2))
    decoder.push(second.subarray(0, 5))
    const [joined] = decoder.push(second.subarray(5))
    expect(joined!.buffer).not.toBe(second.buffer)
    decoder.push(encodeFrame(body(10, 3)).subarray(0, 7)) // into the decoder's buffer again
    expect(joined).toEqual(body(10, 2))
  })

  it('refuses an oversized frame at its prefix, and malformed prefixes', () => {
    const decoder = new FrameDecoder(1000)
    const big = encodeFrame(body(1001, 0))
    expect(() => decoder.push(big.subarray(0, 2))).toThrow(PayloadTooLargeError)
    expect(() => new FrameDecoder(10).push(new Uint8Array([0]))).toThrow(ValidationError)
    expect(() =>
      new FrameDecoder(10).push(new Uint8Array([0x80, 0x80, 0x80, 0x80, 0x80, 1])),
    ).toThrow(ValidationError)
  })
})

describe('encodeMessage framed', () => {
  it('makes the same bytes as framing the encoded body, for every message type', () => {
    const bytes = (n: number) => body(n, n)
    const messages: Message[] = [
      { type: 'hello', version: 2, playlistId: 'pl-1', nonce: bytes(32) },
      { type: 'challenge', nonce: bytes(32) },
      { type: 'proof', role: 'edit', mac: bytes(32) },
      { type: 'welcome', role: 'read', mac: bytes(32) },
      { type: 'sync-state', stateVector: bytes(3) },
      { type: 'update', kind: 'live', total: 300, chunk: bytes(300) },
      { type: 'update', kind: 'sync', total: 200_000, chunk: bytes(131_072), deflated: true },
      { type: 'presence', json: '{"name":"Ada"}' },
      { type: 'presence-gone', peerId: 'peer' },
      { type: 'error', name: 'ValidationError', code: 'VALIDATION', message: 'Bad' },
    ]
    for (const [seq, msg] of messages.entries()) {
      expect(hex(encodeMessage(msg, seq * 100, true))).toBe(
        hex(encodeFrame(encodeMessage(msg, seq * 100))),
      )
    }
  })
})
