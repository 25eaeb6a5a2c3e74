/**
 * `coalesceDataChannelWrites` against @libp2p/webrtc's real stream class, on fake data
 * channels (Node has no RTCDataChannel): one channel message per write, and the same
 * bytes as libp2p's own split writes, which a libp2p receiver reads back unchanged.
 */
import type { Stream } from '@libp2p/interface'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { describe, expect, it } from 'vitest'
import {
  coalesceDataChannelWrites,
  dataChannelFrame,
  readWholeFramesDirectly,
  wholeFrames,
} from './webrtc-fast-path.ts'

/** The subset of RTCDataChannel the stream uses; records what is sent. */
class FakeChannel {
  readonly sent: Uint8Array[] = []
  readyState: RTCDataChannelState = 'open'
  binaryType = 'blob'
  bufferedAmount = 0
  bufferedAmountLowThreshold = 0
  id = 1
  onmessage: ((event: { data: ArrayBuffer }) => unknown) | null = null
  onclose: (() => void) | null = null
  onerror: ((event: unknown) => void) | null = null
  onbufferedamountlow: (() => void) | null = null
  send(data: Uint8Array): void {
    if (this.readyState !== 'open') throw new Error('InvalidStateError')
    this.sent.push(data.slice())
  }
  close(): void {
    this.readyState = 'closed'
  }
  addEventListener(): void {}
  removeEventListener(): void {}
  /** Delivers `data` as one message event (what the other end's channel sees). */
  deliver(data: Uint8Array): void {
    const copy = data.slice()
    void this.onmessage?.({ data: copy.buffer })
  }
}

const silent = Object.assign(() => undefined, {
  enabled: false,
  trace: () => undefined,
  error: () => undefined,
  newScope: () => silent,
})

interface StreamModule {
  createStream(init: {
    channel: FakeChannel
    direction: 'inbound' | 'outbound'
    log: typeof silent
  }): Stream
}

// The stream class is not exported by the package: load its file next to the entry point.
const entry = createRequire(import.meta.url).resolve('@libp2p/webrtc')
const { createStream } = (await import(
  pathToFileURL(join(dirname(entry), 'stream.js')).href
)) as StreamModule

function pair(coalesce: boolean, deliver?: (data: Uint8Array) => void) {
  const out = new FakeChannel()
  const into = new FakeChannel()
  const sender = createStream({ channel: out, direction: 'outbound', log: silent })
  const receiver = createStream({ channel: into, direction: 'inbound', log: silent })
  const applied = coalesce ? coalesceDataChannelWrites(sender) : false
  const direct = coalesce ? readWholeFramesDirectly(receiver, deliver) : false
  const received: Uint8Array[] = []
  receiver.addEventListener('message', (event) => {
    const data = event.data
    received.push(data instanceof Uint8Array ? data.slice() : data.subarray().slice())
  })
  const relay = async () => {
    for (const message of out.sent.splice(0)) into.deliver(message)
    // The receiver decodes through an async generator: let it run.
    for (let i = 0; i < 20; i++) await new Promise((r) => setTimeout(r, 0))
  }
  const relayBack = async () => {
    for (const message of into.sent.splice(0)) out.deliver(message)
    for (let i = 0; i < 20; i++) await new Promise((r) => setTimeout(r, 0))
  }
  return { out, into, sender, receiver, received, relay, relayBack, applied, direct }
}

function bytes(n: number, seed: number): Uint8Array {
  return Uint8Array.from({ length: n }, (_, i) => (i * 31 + seed) & 0xff)
}

const concat = (parts: Uint8Array[]) => Uint8Array.from(parts.flatMap((p) => [...p]))

describe('coalesceDataChannelWrites', () => {
  it('libp2p alone sends each write as two channel messages (the prefix, then the body)', () => {
    const { out, sender } = pair(false)
    sender.send(bytes(280, 1))
    expect(out.sent.map((m) => m.length)).toEqual([2, 283])
  })

  it('sends one channel message per write, with the same bytes libp2p splits in two', () => {
    const split = pair(false)
    const joined = pair(true)
    expect(joined.applied).toBe(true)
    for (const size of [1, 127, 128, 280, 5000]) {
      split.sender.send(bytes(size, size))
      joined.sender.send(bytes(size, size))
    }
    expect(joined.out.sent).toHaveLength(5)
    expect(split.out.sent).toHaveLength(10)
    expect(concat(joined.out.sent)).toEqual(concat(split.out.sent))
  })

  it('is read back by a libp2p receiver as the same writes, in order', async () => {
    const { sender, received, relay } = pair(true)
    const writes = [bytes(280, 1), bytes(3, 2), bytes(16_000, 3), bytes(40_000, 4)]
    for (const w of writes) sender.send(w)
    await relay()
    // libp2p cuts writes above its message size into several messages: compare the bytes.
    expect(concat(received)).toEqual(concat(writes))
    expect(received.slice(0, 2)).toEqual(writes.slice(0, 2))
  })

  it('keeps libp2p flags working (a graceful close reaches the other side)', async () => {
    const { out, into, sender, receiver, relay, relayBack } = pair(true)
    coalesceDataChannelWrites(receiver)
    let remoteClosed = false
    receiver.addEventListener('remoteCloseWrite', () => (remoteClosed = true))
    const closing = sender.close({ signal: AbortSignal.timeout(5000) })
    expect(out.sent).toHaveLength(1) // FIN, one message
    await relay()
    expect(remoteClosed).toBe(true)
    expect(into.sent).toHaveLength(1) // FIN_ACK, one message
    await relayBack()
    await closing // resolved by the FIN_ACK, not the timeout
    expect(sender.writeStatus).toBe('closed')
  })

  it('leaves libp2p state checks in place (a closed channel refuses the write)', () => {
    const { out, sender } = pair(true)
    out.readyState = 'closed'
    sender.send(bytes(10, 1))
    expect(out.sent).toHaveLength(0)
  })

  it('frames a write in one buffer exactly as libp2p does, across varint boundaries', () => {
    for (const size of [1, 124, 125, 126, 127, 128, 16_000]) {
      const split = pair(false)
      split.sender.send(bytes(size, size))
      expect(dataChannelFrame(bytes(size, size))).toEqual(concat(split.out.sent))
    }
  })

  it('waits for the channel to drain as libp2p does when it is full, then sends the rest in order', async () => {
    const runs = []
    for (const coalesce of [false, true]) {
      const { out, sender } = pair(coalesce)
      out.bufferedAmount = 3 * 1024 * 1024 // above libp2p's 2 MiB
      const returned = [sender.send(bytes(10, 1)), sender.send(bytes(20, 2))]
      const whileFull = concat(out.sent)
      out.bufferedAmount = 0
      out.onbufferedamountlow?.()
      for (let i = 0; i < 5; i++) await new Promise((r) => setTimeout(r, 0))
      runs.push({ returned, whileFull, after: concat(out.sent), more: sender.send(bytes(5, 3)) })
    }
    const [libp2p, ours] = runs
    expect(ours).toEqual(libp2p)
    expect(ours!.returned).toEqual([false, false])
    expect(ours!.after.length).toBeGreaterThan(ours!.whileFull.length)
    expect(ours!.more).toBe(true)
  })

  it('refuses writes on a closed stream, and aborts the stream when the channel refuses one', () => {
    for (const coalesce of [false, true]) {
      const closed = pair(coalesce)
      closed.sender.abort(new Error('gone'))
      expect(() => closed.sender.send(bytes(10, 1))).toThrow()
      const refusing = pair(coalesce)
      refusing.out.send = () => {
        throw new Error('OperationError')
      }
      refusing.sender.send(bytes(10, 1))
      expect(refusing.sender.status).toBe('aborted')
    }
  })

  it("reads whole-frame messages without libp2p's pipeline, and the same data arrives", async () => {
    const { sender, received, relay, direct } = pair(true)
    expect(direct).toBe(true)
    const writes = [bytes(1, 1), bytes(300, 2), bytes(16_000, 3)]
    for (const w of writes) sender.send(w)
    await relay()
    expect(received).toEqual(writes)
    expect(wholeFrames(Uint8Array.of(2, 9, 9, 1, 7))).toEqual([
      Uint8Array.of(9, 9),
      Uint8Array.of(7),
    ])
    expect(wholeFrames(Uint8Array.of(3, 9, 9))).toBeNull()
    expect(wholeFrames(Uint8Array.of(0x80))).toBeNull()
  })

  it("hands everything from the first message that is not whole frames on to libp2p's pipeline, in order", async () => {
    const { into, received, receiver } = pair(true)
    const settle = async () => {
      for (let i = 0; i < 20; i++) await new Promise((r) => setTimeout(r, 0))
    }
    const [w1, w2, w3] = [bytes(40, 1), bytes(50, 2), bytes(60, 3)]
    into.deliver(dataChannelFrame(w1!))
    const split = dataChannelFrame(w2!)
    into.deliver(split.subarray(0, 1)) // a sender that splits the prefix off
    into.deliver(split.subarray(1))
    into.deliver(dataChannelFrame(w3!))
    await settle()
    expect(received).toEqual([w1, w2, w3])
    expect(receiver.status).toBe('open')
  })

  it('hands data to its one reader at once, and leaves flags, a paused stream and buffered data to libp2p, in order', async () => {
    const read: string[] = []
    const { sender, received, relay, receiver } = pair(true, (data) =>
      read.push(`direct ${data.length}`),
    )
    receiver.addEventListener('message', (event) => read.push(`event ${event.data.byteLength}`))
    let closed = false
    receiver.addEventListener('remoteCloseWrite', () => (closed = true))
    sender.send(bytes(10, 1))
    await relay()
    expect(read).toEqual(['direct 10'])
    receiver.pause()
    sender.send(bytes(20, 2))
    await relay()
    expect(read).toEqual(['direct 10']) // held while paused
    receiver.resume()
    await relay()
    sender.send(bytes(30, 3))
    await relay()
    expect(read).toEqual(['direct 10', 'event 20', 'direct 30'])
    expect(received.map((r) => r.length)).toEqual([20])
    void sender.close({ signal: AbortSignal.timeout(1000) }).catch(() => undefined)
    await relay()
    expect(closed).toBe(true)
  })

  it('aborts the stream on a frame that does not decode', () => {
    const { into, receiver } = pair(true)
    into.deliver(Uint8Array.of(3, 0xff, 0xff, 0xff))
    expect(receiver.status).toBe('aborted')
  })

  it('leaves streams that are not WebRTC data channels alone, and applies once', () => {
    const plain = { send: () => true } as unknown as Stream
    expect(coalesceDataChannelWrites(plain)).toBe(false)
    const { out, sender } = pair(true)
    expect(coalesceDataChannelWrites(sender)).toBe(true)
    sender.send(bytes(280, 1))
    expect(out.sent).toHaveLength(1)
  })
})
