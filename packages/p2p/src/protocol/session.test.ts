import {
  PayloadTooLargeError,
  PermissionError,
  TimeoutError,
  ValidationError,
  insertTracks,
  moveTracks,
  newCapabilitySecret,
  readTracks,
  removeTracks,
  type ShareRole,
} from '@whatnext/core'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { FrameDecoder, encodeFrame } from './codec.ts'
import { decodeMessage, encodeMessage } from './messages.ts'
import { createSyncSession, type SyncSession } from './session.ts'
import { yDocSync, type SyncDoc } from './sync-doc.ts'
import { deflate } from './deflate.ts'
import {
  HOST_ID,
  JOINER_ID,
  docWith,
  memoryPair,
  ready,
  settle,
  until,
  snapshot,
} from '../test-support/memory.ts'

const secret = newCapabilitySecret()

function types(frames: Uint8Array[]): string[] {
  const decoder = new FrameDecoder(1 << 30)
  return frames.flatMap((f) => decoder.push(f)).map((b) => decodeMessage(b, 1 << 30).msg.type)
}

function track(id: string) {
  return {
    id,
    fields: {
      title: id,
      artists: [],
      album: '',
      durationMs: null,
      source: '',
      notes: '',
      tags: [],
    },
    addedAt: 1,
    addedBy: 'x',
  }
}

/** `fn`'s result `ms` later, as from a document in another thread. */
function after<T>(ms: number, fn: () => T): Promise<Awaited<T>> {
  return new Promise((resolve, reject) =>
    setTimeout(() => {
      try {
        resolve(fn() as Awaited<T>)
      } catch (error) {
        reject(error)
      }
    }, ms),
  )
}

/** A host and a joiner holding the `role` link the host grants. */
function linked(
  role: ShareRole,
  hostDoc: Y.Doc,
  joinerDoc: Y.Doc,
  more: Partial<Parameters<typeof memoryPair>[0]> = {},
) {
  return memoryPair({ hostDoc, joinerDoc, grants: [{ role, secret }], role, secret, ...more })
}

describe('sync session', () => {
  it('authenticates, then converges both ways, then carries live edits', async () => {
    const hostDoc = docWith(3, 'h')
    const joinerDoc = docWith(2, 'j')
    let synced = 0
    const p = linked('edit', hostDoc, joinerDoc, {
      joinerEvents: { onSynced: () => synced++ },
    })
    await ready(p)
    expect(p.host.state).toBe('open')
    expect(p.joiner.role).toBe('edit')
    expect(synced).toBe(1)
    expect(snapshot(hostDoc)).toBe(snapshot(joinerDoc))
    expect(readTracks(hostDoc)).toHaveLength(5)

    // Concurrent add / move / remove on both sides.
    insertTracks(hostDoc, [track('hx')], 0)
    moveTracks(joinerDoc, ['h0'], 4)
    removeTracks(joinerDoc, ['j1'])
    moveTracks(hostDoc, ['h0'], 1)
    await until(() => snapshot(hostDoc) === snapshot(joinerDoc), 5000, 'convergence')
    expect(snapshot(hostDoc)).toBe(snapshot(joinerDoc))
    const ids = readTracks(hostDoc).map((t) => t.id)
    expect(new Set(ids).size).toBe(ids.length)
    expect(ids.sort()).toEqual(['h0', 'h1', 'h2', 'hx', 'j0'])
  })

  it('sends no document byte to a joiner with the wrong secret', async () => {
    const hostDoc = docWith(5, 'h')
    const p = memoryPair({
      hostDoc,
      joinerDoc: new Y.Doc(),
      grants: [{ role: 'edit', secret }],
      role: 'edit',
      secret: newCapabilitySecret(),
    })
    const error = await p.joinerClosed
    expect(error).toBeInstanceOf(PermissionError)
    expect(error?.message).toMatch(/not valid/)
    expect(p.host.stats.docBytesSent).toBe(0)
    expect(types(p.hostSent)).toEqual(['challenge', 'error'])
  })

  it('refuses an unknown playlist exactly like a bad secret', async () => {
    const p = linked('edit', docWith(1), new Y.Doc(), {
      playlistId: 'other',
    })
    const error = await p.joinerClosed
    expect(error).toBeInstanceOf(PermissionError)
    expect(types(p.hostSent)).toEqual(['challenge', 'error'])
  })

  it('does not accept an edit secret claimed for the read role or the reverse', async () => {
    const p = memoryPair({
      hostDoc: docWith(1),
      joinerDoc: new Y.Doc(),
      grants: [{ role: 'read', secret }],
      role: 'edit',
      secret,
    })
    expect(await p.joinerClosed).toBeInstanceOf(PermissionError)
    expect(p.host.stats.docBytesSent).toBe(0)
  })

  it('lets a read-only joiner see changes but never sends its edits', async () => {
    const hostDoc = docWith(2, 'h')
    const joinerDoc = new Y.Doc()
    let refused = 0
    const p = linked('read', hostDoc, joinerDoc, {
      joinerEvents: { onRefused: () => refused++ },
    })
    await ready(p)
    expect(snapshot(joinerDoc)).toBe(snapshot(hostDoc))
    const before = p.joiner.stats.docBytesSent
    insertTracks(joinerDoc, [track('mine')])
    insertTracks(hostDoc, [track('theirs')])
    await until(() => readTracks(joinerDoc).some((t) => t.id === 'theirs'))
    await settle()
    expect(refused).toBe(1)
    expect(p.joiner.stats.docBytesSent).toBe(before)
    expect(readTracks(hostDoc).map((t) => t.id)).not.toContain('mine')
    expect(readTracks(joinerDoc).map((t) => t.id)).toContain('theirs')
    // The read-only joiner only ever sent its handshake and state vector.
    expect(types(p.joinerSent)).toEqual(['hello', 'proof', 'sync-state'])
  })

  it('closes a read-only peer that sends an update anyway, applying nothing', async () => {
    const hostDoc = docWith(2, 'h')
    const p = linked('read', hostDoc, new Y.Doc())
    await ready(p)
    const before = Y.encodeStateVector(hostDoc)
    const evil = Y.encodeStateAsUpdate(docWith(1, 'evil'))
    // The joiner has sent 3 frames (hello, proof, sync-state): the next seq is 3.
    p.host.receive(
      encodeFrame(
        encodeMessage({ type: 'update', kind: 'live', total: evil.length, chunk: evil }, 3),
      ),
    )
    const error = await p.hostClosed
    expect(error).toBeInstanceOf(PermissionError)
    expect(Y.encodeStateVector(hostDoc)).toEqual(before)
    expect(p.host.stats.updatesApplied).toBe(0)
  })

  it('works on a document that answers later (the engine over its bus), in order', async () => {
    // Every answer comes a few ms later, as from the engine's worker; a listener sees an
    // applied update only then, as the app's bridge does.
    let calls = 0
    const later = <T>(fn: () => T) => after(1 + (calls++ % 4), fn)
    const wrap = (doc: Y.Doc): SyncDoc => {
      const direct = yDocSync(doc)
      return {
        stateVector: () => later(() => direct.stateVector()),
        diff: (sv) => later(() => direct.diff(sv)),
        apply: (update, origin) => later(() => direct.apply(update, origin)),
        subscribe: (listener) => direct.subscribe(listener),
      }
    }
    const hostDoc = docWith(40, 'h')
    const joinerDoc = docWith(3, 'j')
    const p = linked('edit', hostDoc, joinerDoc, {
      wrap,
      limits: { chunkBytes: 256 },
    })
    await until(() => p.host.state === 'open' && p.joiner.state === 'open', 5000, 'handshake')
    // Edits while the initial sync is still being answered are not lost.
    insertTracks(hostDoc, [track('early-h')], 0)
    insertTracks(joinerDoc, [track('early-j')], 0)
    await until(() => snapshot(hostDoc) === snapshot(joinerDoc), 5000, 'convergence')
    expect(readTracks(joinerDoc)).toHaveLength(45)
    for (let i = 0; i < 20; i++) moveTracks(i % 2 ? hostDoc : joinerDoc, [`h${i}`], 0)
    await until(() => snapshot(hostDoc) === snapshot(joinerDoc), 5000, 'live convergence')
    expect(calls).toBeGreaterThan(4)

    // A malformed update is refused by the document, later: the stream closes, nothing applied.
    const before = Y.encodeStateVector(hostDoc)
    const garbage = new Uint8Array([3, 9, 200, 1, 7, 7, 7])
    const seq = types(p.joinerSent).length
    p.host.receive(
      encodeFrame(
        encodeMessage({ type: 'update', kind: 'live', total: garbage.length, chunk: garbage }, seq),
      ),
    )
    const error = await p.hostClosed
    expect(error).toBeInstanceOf(ValidationError)
    expect(error?.message).toBe('Malformed document update')
    expect(Y.encodeStateVector(hostDoc)).toEqual(before)
  })

  it('applies a burst of live edits in a few batches when the document answers slowly', async () => {
    const hostDoc = docWith(5, 'h')
    const joinerDoc = new Y.Doc()
    let applies = 0
    // The host's document takes 20 ms per apply, as a busy engine might.
    const slow = (doc: Y.Doc): SyncDoc => {
      const direct = yDocSync(doc)
      if (doc !== hostDoc) return direct
      return {
        ...direct,
        apply: (update, origin) =>
          after(20, () => {
            applies++
            direct.apply(update, origin)
          }),
      }
    }
    const p = linked('edit', hostDoc, joinerDoc, {
      wrap: slow,
    })
    await until(() => snapshot(hostDoc) === snapshot(joinerDoc), 5000, 'initial sync')
    const before = applies
    for (let i = 0; i < 50; i++) insertTracks(joinerDoc, [track(`burst${i}`)])
    await until(() => snapshot(hostDoc) === snapshot(joinerDoc), 5000, 'burst')
    expect(readTracks(hostDoc)).toHaveLength(55)
    // 50 updates arrived; far fewer applies were needed.
    expect(applies - before).toBeLessThan(10)
    expect(p.host.stats.updatesApplied).toBeGreaterThanOrEqual(50)
  })

  it('sends a large update deflated, and refuses bad or oversized compressed data', async () => {
    const hostDoc = docWith(3000, 'h')
    const joinerDoc = new Y.Doc()
    const p = linked('edit', hostDoc, joinerDoc, {
      limits: { maxUpdateBytes: 4 * 1024 * 1024 },
    })
    await until(() => snapshot(hostDoc) === snapshot(joinerDoc), 10_000, 'initial sync')
    const raw = Y.encodeStateAsUpdate(hostDoc).length
    const wire = types(p.hostSent)
    expect(wire).toContain('update')
    // The sync went deflated: far fewer bytes than the update itself.
    expect(p.host.stats.docBytesSent).toBeLessThan(raw / 3)
    const decoder = new FrameDecoder(1 << 30)
    const updates = p.hostSent
      .flatMap((f) => decoder.push(f))
      .map((b) => decodeMessage(b, 1 << 30).msg)
      .filter((m) => m.type === 'update')
    expect(updates.every((m) => m.type === 'update' && m.deflated === true)).toBe(true)

    const before = Y.encodeStateVector(joinerDoc)
    let seq = types(p.hostSent).length
    const sendDeflated = (bytes: Uint8Array) =>
      p.joiner.receive(
        encodeFrame(
          encodeMessage(
            { type: 'update', kind: 'live', total: bytes.length, chunk: bytes, deflated: true },
            seq++,
          ),
        ),
      )
    // A bomb: 64 MB of zeros in about 64 KB, against a 4 MiB limit.
    const bomb = await deflate(new Uint8Array(64 * 1024 * 1024))
    expect(bomb.length).toBeLessThan(128 * 1024)
    sendDeflated(bomb)
    const error = await p.joinerClosed
    expect(error).toBeInstanceOf(PayloadTooLargeError)
    expect(Y.encodeStateVector(joinerDoc)).toEqual(before)

    // Not zlib data at all: a fresh pair, same refusal path.
    const q = linked('edit', docWith(1), new Y.Doc())
    await ready(q)
    const garbage = Uint8Array.from({ length: 300 }, (_, i) => (i * 7919) & 0xff)
    q.joiner.receive(
      encodeFrame(
        encodeMessage(
          {
            type: 'update',
            kind: 'live',
            total: garbage.length,
            chunk: garbage,
            deflated: true,
          },
          types(q.hostSent).length,
        ),
      ),
    )
    const bad = await q.joinerClosed
    expect(bad).toBeInstanceOf(ValidationError)
    expect(bad?.message).toBe('Malformed compressed update')
  })

  it('drops a session when its secret is revoked', async () => {
    const p = linked('edit', docWith(1), new Y.Doc())
    await ready(p)
    p.host.close(new PermissionError('Access to this playlist was revoked'))
    const error = await p.joinerClosed
    expect(error).toBeInstanceOf(PermissionError)
    expect(error?.message).toMatch(/revoked/)
  })

  it('sends a large document in chunks with progress', async () => {
    const hostDoc = docWith(3000, 'h')
    const joinerDoc = new Y.Doc()
    const progress: number[] = []
    let synced = false
    linked('read', hostDoc, joinerDoc, {
      limits: { chunkBytes: 16 * 1024 },
      joinerEvents: {
        onProgress: (p) => progress.push(p.received / p.total),
        onSynced: () => (synced = true),
      },
    })
    await until(() => synced, 10_000, 'initial sync')
    expect(progress.length).toBeGreaterThan(3)
    expect(progress.at(-1)).toBe(1)
    expect(snapshot(joinerDoc)).toBe(snapshot(hostDoc))
  })

  it('closes the stream on a replayed frame', async () => {
    const p = linked('edit', docWith(1), new Y.Doc())
    await ready(p)
    p.host.receive(p.joinerSent[0] as Uint8Array) // the HELLO again
    const error = await p.hostClosed
    expect(error).toBeInstanceOf(ValidationError)
    expect(error?.message).toBe('Replayed frame')
  })

  it('applies a live edit that arrives in one piece before receive returns; its replay closes the stream', async () => {
    const hostDoc = docWith(1)
    const joinerDoc = new Y.Doc()
    const p = linked('edit', hostDoc, joinerDoc)
    await ready(p)
    await settle()
    const edit = Y.encodeStateAsUpdate(docWith(1, 'live'))
    const frame = encodeFrame(
      encodeMessage(
        { type: 'update', kind: 'live', total: edit.length, chunk: edit },
        p.hostSent.length,
      ),
    )
    p.joiner.receive(frame)
    expect(readTracks(joinerDoc).map((t) => t.id)).toContain('live0')
    const applied = snapshot(joinerDoc)
    p.joiner.receive(frame)
    const error = await p.joinerClosed
    expect(error).toBeInstanceOf(ValidationError)
    expect(error?.message).toBe('Replayed frame')
    expect(snapshot(joinerDoc)).toBe(applied)
  })

  it('applies a live edit cut into pieces once whole, and refuses a malformed one in one piece', async () => {
    const joinerDoc = new Y.Doc()
    const p = linked('edit', docWith(1), joinerDoc)
    await ready(p)
    await settle()
    const edit = Y.encodeStateAsUpdate(docWith(1, 'cut'))
    const seq = p.hostSent.length
    const frame = encodeFrame(
      encodeMessage({ type: 'update', kind: 'live', total: edit.length, chunk: edit }, seq),
    )
    p.joiner.receive(frame.subarray(0, 5))
    expect(readTracks(joinerDoc).map((t) => t.id)).not.toContain('cut0')
    p.joiner.receive(frame.subarray(5))
    expect(readTracks(joinerDoc).map((t) => t.id)).toContain('cut0')
    const before = snapshot(joinerDoc)
    const garbage = edit.slice(0, edit.length - 4)
    p.joiner.receive(
      encodeFrame(
        encodeMessage(
          { type: 'update', kind: 'live', total: garbage.length, chunk: garbage },
          seq + 1,
        ),
      ),
    )
    expect(await p.joinerClosed).toBeInstanceOf(ValidationError)
    expect(snapshot(joinerDoc)).toBe(before)
  })

  it('refuses an oversized frame from its length prefix alone', async () => {
    const hostDoc = docWith(1)
    const host = hostSession(hostDoc)
    host.receive(Uint8Array.of(0xff, 0xff, 0xff, 0x7f))
    expect(await host.closed).toBeInstanceOf(PayloadTooLargeError)
  })

  it('times the handshake out', async () => {
    let fire: (() => void) | undefined
    const host = createSyncSession({
      side: 'host',
      localPeerId: HOST_ID,
      remotePeerId: JOINER_ID,
      resolve: () => undefined,
      transport: { send() {}, close() {} },
      setTimeout: (fn) => (fire = fn),
      clearTimeout: () => {},
    })
    host.start()
    fire?.()
    expect(await host.closed).toBeInstanceOf(TimeoutError)
  })

  it('hands a live edit to the transport in the same task as the change', async () => {
    const hostDoc = docWith(1)
    const joinerDoc = new Y.Doc()
    const p = linked('edit', hostDoc, joinerDoc)
    await ready(p)
    const before = p.hostSent.length
    insertTracks(hostDoc, [track('now')])
    // No tick in between: the frame left while the edit's task was still running.
    expect(types(p.hostSent.slice(before))).toEqual(['update'])
    await until(() => snapshot(joinerDoc) === snapshot(hostDoc))
  })

  it('queues frames in order while the transport asks to wait, and closes after them', async () => {
    const hostDoc = docWith(1)
    const joinerDoc = new Y.Doc()
    let gate: Promise<void> | undefined
    let closedAfter = -1
    const sent: Uint8Array[] = []
    const peers = {} as { host: SyncSession; joiner: SyncSession }
    peers.host = createSyncSession({
      side: 'host',
      localPeerId: HOST_ID,
      remotePeerId: JOINER_ID,
      resolve: () => ({ doc: hostDoc, grants: () => [{ role: 'edit', secret }] }),
      transport: {
        send(frame) {
          sent.push(frame)
          setImmediate(() => peers.joiner.receive(frame))
          return gate
        },
        close() {
          closedAfter = sent.length
        },
      },
    })
    peers.joiner = createSyncSession({
      side: 'joiner',
      localPeerId: JOINER_ID,
      remotePeerId: HOST_ID,
      join: { playlistId: 'pl1', role: 'edit', secret, doc: joinerDoc },
      transport: {
        send: (frame) => void setImmediate(() => peers.host.receive(frame)),
        close() {},
      },
    })
    peers.host.start()
    peers.joiner.start()
    await until(() => peers.joiner.state === 'open' && peers.host.state === 'open')
    await settle()
    let release!: () => void
    gate = new Promise((r) => (release = r))
    const before = sent.length
    insertTracks(hostDoc, [track('a')])
    insertTracks(hostDoc, [track('b')])
    insertTracks(hostDoc, [track('c')])
    expect(sent.length - before).toBe(1) // the first one, then the transport said wait
    peers.host.close()
    await settle(3)
    expect(closedAfter).toBe(-1)
    gate = undefined
    release()
    await until(() => closedAfter !== -1)
    expect(types(sent.slice(before))).toEqual(['update', 'update', 'update'])
    expect(closedAfter).toBe(sent.length)
    await until(() => readTracks(joinerDoc).length === 4)
    expect(snapshot(joinerDoc)).toBe(snapshot(hostDoc))
  })

  it('reports a transport that throws on send as a closed stream, once', async () => {
    let closes = 0
    const broken = createSyncSession({
      side: 'host',
      localPeerId: HOST_ID,
      remotePeerId: JOINER_ID,
      resolve: () => undefined,
      transport: {
        send() {
          throw new Error('gone')
        },
        close: () => void closes++,
      },
    })
    broken.start()
    broken.close(new ValidationError('bye')) // its ERROR frame cannot be sent
    expect(await broken.closed).toBeInstanceOf(ValidationError)
    await settle(2)
    expect(closes).toBe(1)
  })

  it('relays presence with the sender’s authenticated peer id', async () => {
    const seen: unknown[] = []
    const p = linked('edit', docWith(1), new Y.Doc(), {
      hostEvents: { onPresence: (x) => seen.push(x) },
    })
    await ready(p)
    // A joiner claiming to be someone else is stamped with its real id.
    p.joiner.sendPresence({
      peerId: HOST_ID,
      name: 'Bea',
      colour: '#ff0000',
      playlistId: 'pl1',
      trackId: null,
    })
    await until(() => seen.length > 0)
    expect(seen).toEqual([
      { peerId: JOINER_ID, name: 'Bea', colour: '#ff0000', playlistId: 'pl1', trackId: null },
    ])
  })
})

function hostSession(doc: Y.Doc): SyncSession {
  const s = createSyncSession({
    side: 'host',
    localPeerId: HOST_ID,
    remotePeerId: JOINER_ID,
    resolve: () => ({ doc, grants: () => [{ role: 'edit', secret }] }),
    transport: { send() {}, close() {} },
  })
  s.start()
  return s
}

describe('colourOf', () => {
  it('gives each peer one valid presence colour, the same everywhere', async () => {
    const { colourOf, parsePresence } = await import('./presence.ts')
    const ids = [HOST_ID, JOINER_ID, '12D3KooWH3uVF6wv47WnArKHk5p6cvgCJEb74UTmxztmQDc298L3']
    const colours = ids.map(colourOf)
    for (const colour of colours) {
      expect(colour).toMatch(/^#[0-9a-f]{6}$/)
      expect(parsePresence(JSON.stringify({ name: 'x', colour })).colour).toBe(colour)
    }
    expect(ids.map(colourOf)).toEqual(colours)
    expect(new Set(colours).size).toBe(3)
  })
})
