/**
 * Fuzz: 10,000 hostile inputs (random, malformed, truncated, oversized, bit-flipped,
 * split and replayed frames) into the protocol state machine. Whatever arrives: nothing
 * throws, no document byte leaves before a valid capability proof, and no write is
 * applied from a peer without the edit capability.
 */
import { newCapabilitySecret, type AppError } from '@whatnext/core'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { joinerProof } from './auth.ts'
import { FrameDecoder, encodeFrame } from './codec.ts'
import {
  MessageType,
  NONCE_BYTES,
  WIRE_VERSION,
  decodeMessage,
  encodeMessage,
  type Message,
} from './messages.ts'
import { createSyncSession, type SyncSession } from './session.ts'
import {
  HOST_ID,
  JOINER_ID,
  docWith,
  memoryPair,
  ready,
  settle,
  until,
} from '../test-support/memory.ts'

const MARKER = 'SECRET-MARKER-7f3a'
const markerBytes = new TextEncoder().encode(MARKER)
const editSecret = newCapabilitySecret()
const readSecret = newCapabilitySecret()

function mulberry32(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

function contains(haystack: Uint8Array, needle: Uint8Array): boolean {
  outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer
    return true
  }
  return false
}

function sentTypes(frames: Uint8Array[]): string[] {
  const decoder = new FrameDecoder(1 << 30)
  const all = new Uint8Array(frames.reduce((n, f) => n + f.length, 0))
  let at = 0
  for (const f of frames) {
    all.set(f, at)
    at += f.length
  }
  return decoder.push(all).map((b) => decodeMessage(b, 1 << 30).msg.type)
}

/** The secret document every hostile peer is after. */
function secretDoc(): Y.Doc {
  const doc = docWith(3, 'h')
  doc.getMap('meta').set('name', MARKER)
  return doc
}

/** A real Yjs update a hostile peer would love to get applied. */
const evilUpdate = Y.encodeStateAsUpdate(docWith(2, 'evil', 'mallory'))
const evilStateVector = Y.encodeStateVector(docWith(1, 'sv'))

class Hostile {
  private seq = 0
  readonly history: Uint8Array[] = []

  constructor(
    private readonly rand: () => number,
    private readonly replayPool: Uint8Array[],
  ) {}

  private int(n: number): number {
    return Math.floor(this.rand() * n)
  }

  private bytes(n: number): Uint8Array {
    return Uint8Array.from({ length: n }, () => this.int(256))
  }

  private message(): Message {
    const pick = this.int(9)
    switch (pick) {
      case 0:
        return {
          type: 'hello',
          version: this.int(3),
          playlistId: this.int(2) ? 'pl1' : 'x',
          nonce: this.bytes(NONCE_BYTES),
        }
      case 1:
        return { type: 'proof', role: this.int(2) ? 'edit' : 'read', mac: this.bytes(32) }
      case 2:
        return { type: 'challenge', nonce: this.bytes(NONCE_BYTES) }
      case 3:
        return { type: 'welcome', role: 'edit', mac: this.bytes(32) }
      case 4:
        return {
          type: 'sync-state',
          stateVector: this.int(2) ? evilStateVector : this.bytes(this.int(40)),
        }
      case 5: {
        const real = this.int(3) > 0
        const chunk = real ? evilUpdate : this.bytes(1 + this.int(60))
        const total = this.int(4) === 0 ? this.int(1 << 30) : chunk.length
        const deflated = this.int(3) === 0
        return { type: 'update', kind: this.int(2) ? 'live' : 'sync', total, chunk, deflated }
      }
      case 6:
        return { type: 'presence', json: this.int(2) ? '{"name":"m","colour":"#000000"}' : '{bad' }
      case 7:
        return { type: 'presence-gone', peerId: 'x' }
      default:
        return { type: 'error', name: 'PermissionError', code: 'X', message: 'hostile' }
    }
  }

  /** One hostile chunk of bytes. */
  next(): Uint8Array {
    const kind = this.int(10)
    const seq = this.int(5) === 0 ? this.int(10) : this.seq
    let frame: Uint8Array
    switch (kind) {
      case 0:
        return this.bytes(this.int(64))
      case 1: // oversized length prefix
        return Uint8Array.of(0xff, 0xff, 0xff, 0x7f, ...this.bytes(this.int(8)))
      case 2: // malformed varint
        return Uint8Array.of(0xff, 0xff, 0xff, 0xff, 0xff, 0xff)
      case 3: // zero-length frame
        return Uint8Array.of(0)
      case 4: // replay of something seen elsewhere
        if (this.replayPool.length > 0)
          return this.replayPool[this.int(this.replayPool.length)] as Uint8Array
        return this.bytes(4)
      case 5: // replay of our own earlier frame
        if (this.history.length > 0)
          return this.history[this.int(this.history.length)] as Uint8Array
        return this.bytes(4)
      default:
        break
    }
    const body = encodeMessage(this.message(), seq)
    if (seq === this.seq) this.seq++
    frame = encodeFrame(body)
    if (kind === 6) frame = frame.subarray(0, this.int(frame.length)) // truncated
    if (kind === 7 && frame.length > 0) {
      frame = frame.slice()
      const i = this.int(frame.length)
      frame[i] = (frame[i] as number) ^ (1 << this.int(8)) // bit flip
    }
    if (kind === 8) {
      const body2 = new Uint8Array(body.length + 1 + this.int(4))
      body2.set(body)
      frame = encodeFrame(body2) // trailing bytes
    }
    this.history.push(frame)
    return frame
  }
}

interface Probe {
  session: SyncSession
  sent: Uint8Array[]
  doc: Y.Doc
  before: Uint8Array
  thrown: unknown[]
}

function hostProbe(doc: Y.Doc): Probe {
  const sent: Uint8Array[] = []
  const session = createSyncSession({
    side: 'host',
    localPeerId: HOST_ID,
    remotePeerId: JOINER_ID,
    resolve: (id) =>
      id === 'pl1'
        ? {
            doc,
            grants: () => [
              { role: 'edit', secret: editSecret },
              { role: 'read', secret: readSecret },
            ],
          }
        : undefined,
    transport: { send: (f) => void sent.push(f), close() {} },
  })
  session.start()
  return { session, sent, doc, before: Y.encodeStateVector(doc), thrown: [] }
}

function feed(probe: Probe, chunk: Uint8Array): void {
  try {
    probe.session.receive(chunk)
  } catch (error) {
    probe.thrown.push(error)
  }
}

function assertNoWrite(probe: Probe): void {
  expect(probe.thrown).toEqual([])
  expect(Y.encodeStateVector(probe.doc)).toEqual(probe.before)
  expect(probe.session.stats.updatesApplied).toBe(0)
}

/** Honest traffic recorded from a real edit session, to replay at other sessions. */
async function recordHonest(): Promise<Uint8Array[]> {
  const p = memoryPair({
    hostDoc: secretDoc(),
    joinerDoc: docWith(2, 'j'),
    grants: [{ role: 'edit', secret: editSecret }],
    role: 'edit',
    secret: editSecret,
  })
  await ready(p)
  return [...p.joinerSent, ...p.hostSent]
}

describe('fuzzing the sync protocol with a hostile peer', () => {
  it('survives 10,000 hostile inputs without leaking or applying anything', async () => {
    const rand = mulberry32(0x5eed)
    const replayPool = await recordHonest()
    let cases = 0
    const closedWith = new Map<string, number>()
    const count = (e: AppError | undefined) =>
      closedWith.set(e?.name ?? 'none', (closedWith.get(e?.name ?? 'none') ?? 0) + 1)

    // 1. 5,000 strangers without a capability, talking to a host.
    for (let batch = 0; batch < 50; batch++) {
      const probes: Probe[] = []
      for (let i = 0; i < 100; i++) {
        const probe = hostProbe(secretDoc())
        const hostile = new Hostile(rand, replayPool)
        const n = 1 + Math.floor(rand() * 6)
        for (let k = 0; k < n; k++) feed(probe, hostile.next())
        probes.push(probe)
        cases++
      }
      await settle(3)
      for (const probe of probes) {
        assertNoWrite(probe)
        expect(probe.session.stats.docBytesSent).toBe(0)
        for (const frame of probe.sent) expect(contains(frame, markerBytes)).toBe(false)
        for (const type of sentTypes(probe.sent)) expect(['challenge', 'error']).toContain(type)
        probe.session.close()
        count(await probe.session.closed)
      }
    }

    // 2. 2,500 read-only collaborators (valid proof) sending hostile frames and real updates.
    for (let batch = 0; batch < 25; batch++) {
      const probes: Probe[] = []
      const nonces: Uint8Array[] = []
      for (let i = 0; i < 100; i++) {
        const probe = hostProbe(secretDoc())
        const joinerNonce = Uint8Array.from({ length: NONCE_BYTES }, () => Math.floor(rand() * 256))
        feed(
          probe,
          encodeFrame(
            encodeMessage(
              { type: 'hello', version: WIRE_VERSION, playlistId: 'pl1', nonce: joinerNonce },
              0,
            ),
          ),
        )
        probes.push(probe)
        nonces.push(joinerNonce)
      }
      await until(() => probes.every((p) => p.sent.length > 0), 10_000, 'challenges')
      for (const [i, probe] of probes.entries()) {
        const challenge = decodeMessage(
          new FrameDecoder(1 << 20).push(probe.sent[0] as Uint8Array)[0] as Uint8Array,
          1 << 20,
        )
        if (challenge.msg.type !== 'challenge') throw new Error('expected a challenge')
        const mac = await joinerProof(readSecret, {
          playlistId: 'pl1',
          hostPeerId: HOST_ID,
          joinerPeerId: JOINER_ID,
          hostNonce: challenge.msg.nonce,
          joinerNonce: nonces[i] as Uint8Array,
          role: 'read',
        })
        feed(probe, encodeFrame(encodeMessage({ type: 'proof', role: 'read', mac }, 1)))
      }
      await until(() => probes.every((p) => p.session.state !== 'handshake'), 10_000, 'proofs')
      for (const probe of probes) {
        expect(probe.session.state).toBe('open')
        expect(probe.session.role).toBe('read')
        const hostile = new Hostile(rand, replayPool)
        // Skip the two sequence numbers the handshake used, so most frames are "valid".
        hostile.next()
        hostile.next()
        const n = 1 + Math.floor(rand() * 6)
        for (let k = 0; k < n; k++) feed(probe, hostile.next())
        // And always one well-formed, in-sequence real update.
        feed(
          probe,
          encodeFrame(
            encodeMessage(
              { type: 'update', kind: 'live', total: evilUpdate.length, chunk: evilUpdate },
              2,
            ),
          ),
        )
        cases++
      }
      await settle(2)
      for (const probe of probes) {
        assertNoWrite(probe)
        probe.session.close()
        count(await probe.session.closed)
      }
    }

    // 3. 1,500 replays of an honest joiner's recorded traffic at fresh host sessions.
    for (let batch = 0; batch < 15; batch++) {
      const probes: Probe[] = []
      for (let i = 0; i < 100; i++) {
        const probe = hostProbe(secretDoc())
        const start = Math.floor(rand() * 2)
        for (const frame of replayPool.slice(start, start + 2 + Math.floor(rand() * 4)))
          feed(probe, frame)
        probes.push(probe)
        cases++
      }
      await settle(3)
      for (const probe of probes) {
        assertNoWrite(probe)
        expect(probe.session.state).not.toBe('open')
        expect(probe.session.stats.docBytesSent).toBe(0)
        probe.session.close()
        count(await probe.session.closed)
      }
    }

    // 4. 1,000 hostile "hosts" talking to a joiner: the joiner leaks nothing, applies nothing.
    for (let batch = 0; batch < 10; batch++) {
      const probes: Probe[] = []
      for (let i = 0; i < 100; i++) {
        const doc = secretDoc()
        const sent: Uint8Array[] = []
        const session = createSyncSession({
          side: 'joiner',
          localPeerId: JOINER_ID,
          remotePeerId: HOST_ID,
          join: { playlistId: 'pl1', role: 'edit', secret: editSecret, doc },
          transport: { send: (f) => void sent.push(f), close() {} },
        })
        session.start()
        const probe: Probe = { session, sent, doc, before: Y.encodeStateVector(doc), thrown: [] }
        const hostile = new Hostile(rand, replayPool)
        const n = 1 + Math.floor(rand() * 6)
        for (let k = 0; k < n; k++) feed(probe, hostile.next())
        probes.push(probe)
        cases++
      }
      await settle(3)
      for (const probe of probes) {
        assertNoWrite(probe)
        expect(probe.session.state).not.toBe('open')
        expect(probe.session.stats.docBytesSent).toBe(0)
        for (const frame of probe.sent) expect(contains(frame, markerBytes)).toBe(false)
        probe.session.close()
        count(await probe.session.closed)
      }
    }

    expect(cases).toBe(10_000)
    // The hostile traffic was refused for the expected reasons.
    expect(closedWith.get('ValidationError')).toBeGreaterThan(500)
    expect(closedWith.get('PermissionError')).toBeGreaterThan(500)
    expect(closedWith.get('PayloadTooLargeError')).toBeGreaterThan(100)
    expect(MessageType.Update).toBe(6)
  })
})
