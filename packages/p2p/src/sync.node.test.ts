/**
 * Real libp2p peers in Node over loopback (TCP, and WebSockets through a local relay):
 * the sync service end to end.
 */
import type { ConnectionGater, Libp2p } from '@libp2p/interface'
import {
  PermissionError,
  insertTracks,
  moveTracks,
  newCapabilitySecret,
  patchTrack,
  readTracks,
  removeTracks,
} from '@whatnext/core'
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { afterEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { multiaddr } from '@multiformats/multiaddr'
import { createNode } from './node.ts'
import { FrameDecoder, encodeFrame } from './protocol/codec.ts'
import { SYNC_PROTOCOL, WIRE_VERSION, decodeMessage, encodeMessage } from './protocol/messages.ts'
import { createRelay, type Relay } from './relay/relay.ts'
import {
  createSyncService,
  type JoinInit,
  type JoinedPlaylist,
  type SyncService,
} from './service.ts'
import { docWith, settle, snapshot, until } from './test-support/memory.ts'

const cleanups: (() => Promise<void>)[] = []
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn().catch(() => undefined)
})

/** A gater that can cut this node off from chosen peers (a network partition). */
function partitionable() {
  const blocked = new Set<string>()
  const gater: ConnectionGater = {
    denyDialPeer: (peer) => blocked.has(peer.toString()),
    denyDialMultiaddr: (ma) => [...blocked].some((id) => ma.toString().includes(id)),
    denyInboundEncryptedConnection: (peer) => blocked.has(peer.toString()),
    denyOutboundEncryptedConnection: (peer) => blocked.has(peer.toString()),
  }
  return { blocked, gater }
}

interface Peer {
  node: Libp2p
  sync: SyncService
  blocked: Set<string>
}

async function peer(relays?: string[]): Promise<Peer> {
  const { blocked, gater } = partitionable()
  const node = await createNode({
    listen: ['/ip4/127.0.0.1/tcp/0'],
    connectionGater: gater,
    ...(relays ? { relays } : {}),
  })
  const sync = await createSyncService({ node })
  cleanups.push(async () => {
    await sync.stop()
    await node.stop()
  })
  return { node, sync, blocked }
}

async function relay(): Promise<Relay> {
  const r = await createRelay({ port: 0 })
  cleanups.push(() => r.stop())
  return r
}

/**
 * A relay, and a host peer holding a reservation on it that hosts 'pl1' (`tracks`
 * tracks, one edit grant, presence 'Host').
 */
async function hostOnRelay(tracks: number) {
  const r = await relay()
  const relays = r.multiaddrs()
  const host = await peer(relays)
  await until(
    () => host.node.getMultiaddrs().some((m) => m.toString().includes('/p2p-circuit')),
    10_000,
    'relay reservation',
  )
  const secret = newCapabilitySecret()
  const hostDoc = docWith(tracks, 'h')
  host.sync.host({
    playlistId: 'pl1',
    doc: hostDoc,
    grants: [{ role: 'edit', secret }],
    presence: { name: 'Host', colour: '#112233', playlistId: 'pl1', trackId: null },
  })
  return { relays, host, secret, hostDoc }
}

/**
 * A joiner that cannot reach `host`'s own addresses (a NAT, say), only its relay address,
 * until `reach()`.
 */
async function joinerOutOfReach(host: Peer) {
  const hostId = host.node.peerId.toString()
  let reachable = false
  const node = await createNode({
    listen: ['/ip4/127.0.0.1/tcp/0'],
    connectionGater: {
      denyDialMultiaddr: (ma) =>
        !reachable && ma.toString().includes(hostId) && !ma.toString().includes('/p2p-circuit'),
    },
  })
  const sync = await createSyncService({ node })
  cleanups.push(async () => {
    await sync.stop()
    await node.stop()
  })
  return { node, sync, reach: () => (reachable = true) }
}

function tcpAddrs(p: Peer): string[] {
  return p.node
    .getMultiaddrs()
    .map((m) => m.toString())
    .filter((a) => !a.includes('p2p-circuit'))
}

function join(
  joiner: Peer,
  host: Peer,
  init: Partial<JoinInit> & Pick<JoinInit, 'doc' | 'role' | 'secret'>,
): JoinedPlaylist {
  const handle = joiner.sync.join({
    playlistId: 'pl1',
    hostPeerId: host.node.peerId.toString(),
    addrs: init.relays ? [] : tcpAddrs(host),
    dialTimeoutMs: 5000,
    backoff: { initialMs: 50, maxMs: 400 },
    ...init,
  })
  cleanups.push(async () => handle.close())
  return handle
}

async function partition(a: Peer, b: Peer): Promise<void> {
  a.blocked.add(b.node.peerId.toString())
  b.blocked.add(a.node.peerId.toString())
  await a.node.hangUp(b.node.peerId)
}

function heal(a: Peer, b: Peer): void {
  a.blocked.delete(b.node.peerId.toString())
  b.blocked.delete(a.node.peerId.toString())
}

function track(id: string, title = id) {
  return {
    id,
    fields: { title, artists: [], album: '', durationMs: null, source: '', notes: '', tags: [] },
    addedAt: 1,
    addedBy: 'test',
  }
}

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

/** One random playlist edit: add, move, patch or remove. */
function randomOp(doc: Y.Doc, rand: () => number, tag: string, n: number): void {
  const tracks = readTracks(doc)
  const pick = () => tracks[Math.floor(rand() * tracks.length)]
  const r = rand()
  if (tracks.length < 5 || r < 0.4) {
    insertTracks(doc, [track(`${tag}${n}`)], Math.floor(rand() * (tracks.length + 1)))
  } else if (r < 0.7) {
    moveTracks(doc, [pick()!.id], Math.floor(rand() * tracks.length))
  } else if (r < 0.85) {
    patchTrack(doc, pick()!.id, { title: `${tag} edit ${n}` })
  } else {
    removeTracks(doc, [pick()!.id])
  }
}

describe('sync over real libp2p peers', () => {
  it('converges host and joiner on concurrent add/move/remove over TCP', async () => {
    const [host, joiner] = await Promise.all([peer(), peer()])
    const secret = newCapabilitySecret()
    const hostDoc = docWith(5, 'h')
    const joinerDoc = new Y.Doc()
    const hosted = host.sync.host({
      playlistId: 'pl1',
      doc: hostDoc,
      grants: [{ role: 'edit', secret }],
    })
    const states: string[] = []
    const joined = join(joiner, host, { doc: joinerDoc, role: 'edit', secret })
    joined.events.on('state', (s) => states.push(s))
    await joined.whenSynced()
    expect(joined.state).toBe('direct')
    expect(snapshot(joinerDoc)).toBe(snapshot(hostDoc))
    expect(hosted.connected()).toEqual([
      { peerId: joiner.node.peerId.toString(), role: 'edit', via: 'direct' },
    ])

    insertTracks(hostDoc, [track('hx')], 0)
    insertTracks(joinerDoc, [track('jx')], 2)
    moveTracks(hostDoc, ['h4'], 0)
    moveTracks(joinerDoc, ['h4'], 3)
    removeTracks(joinerDoc, ['h1'])
    removeTracks(hostDoc, ['h2'])
    await until(() => snapshot(hostDoc) === snapshot(joinerDoc), 5000, 'convergence')
    const ids = readTracks(hostDoc).map((t) => t.id)
    expect([...ids].sort()).toEqual(['h0', 'h3', 'h4', 'hx', 'jx'])
    expect(states).toEqual(['direct'])
  })

  it('lets go of a closed join: its document is no longer held by the service', async () => {
    const [host, joiner] = await Promise.all([peer(), peer()])
    const secret = newCapabilitySecret()
    host.sync.host({ playlistId: 'pl1', doc: docWith(50, 'h'), grants: [{ role: 'edit', secret }] })
    // Joined and closed in a scope of its own, so only the service could still hold the doc.
    const ref = await (async () => {
      const doc = new Y.Doc()
      // Not through join(): its cleanup would hold the handle.
      const joined = joiner.sync.join({
        playlistId: 'pl1',
        hostPeerId: host.node.peerId.toString(),
        addrs: tcpAddrs(host),
        doc,
        role: 'edit',
        secret,
      })
      await joined.whenSynced()
      expect(readTracks(doc)).toHaveLength(50)
      joined.close()
      return new WeakRef(doc)
    })()
    setFlagsFromString('--expose-gc')
    const gc = runInNewContext('gc') as () => void
    await until(
      () => {
        gc()
        return ref.deref() === undefined
      },
      5000,
      'the closed join collected',
    )
  })

  it('syncs through the relay when only the relay is known, and shows presence', async () => {
    const { relays, host, secret, hostDoc } = await hostOnRelay(200)
    const joiner = await peer()
    const joinerDoc = new Y.Doc()
    const progress: number[] = []
    const joined = join(joiner, host, {
      doc: joinerDoc,
      role: 'edit',
      secret,
      relays,
      presence: { name: 'Joiner', colour: '#445566', playlistId: 'pl1', trackId: 'h3' },
    })
    joined.events.on('progress', (p) => progress.push(p.received))
    await joined.whenSynced()
    expect(joined.state).toBe('relayed')
    expect(progress.length).toBeGreaterThan(0)
    expect(snapshot(joinerDoc)).toBe(snapshot(hostDoc))
    await until(() => joined.peers().length === 1, 5000, 'host presence')
    expect(joined.peers()[0]).toMatchObject({ peerId: host.node.peerId.toString(), name: 'Host' })
    insertTracks(joinerDoc, [track('via-relay')])
    await until(() => readTracks(hostDoc).some((t) => t.id === 'via-relay'), 5000, 'relayed edit')
  })

  it('moves a relayed session onto a direct connection once the host is reachable, without going offline or losing edits', async () => {
    const { relays, host, secret, hostDoc } = await hostOnRelay(50)
    const hostId = host.node.peerId.toString()
    const { node, sync, reach } = await joinerOutOfReach(host)
    const joinerDoc = new Y.Doc()
    const joined = sync.join({
      playlistId: 'pl1',
      hostPeerId: hostId,
      addrs: tcpAddrs(host),
      relays,
      doc: joinerDoc,
      role: 'edit',
      secret,
      dialTimeoutMs: 5000,
      backoff: { initialMs: 50, maxMs: 400 },
      directBackoff: { initialMs: 100, maxMs: 200 },
    })
    cleanups.push(async () => joined.close())
    const states: string[] = []
    const peerCounts: number[] = []
    joined.events.on('state', (state) => states.push(state))
    joined.events.on('peers', (peers) => peerCounts.push(peers.length))
    await joined.whenSynced()
    await until(() => joined.peers().length === 1, 5000, 'host presence')
    expect(joined.state).toBe('relayed')
    // Attempts fail while the host is out of reach; the session carries on over the relay.
    await settle(800)
    expect(joined.state).toBe('relayed')
    insertTracks(joinerDoc, [track('while-relayed')])
    await until(
      () => readTracks(hostDoc).some((t) => t.id === 'while-relayed'),
      5000,
      'relayed edit',
    )

    reach()
    insertTracks(joinerDoc, [track('joiner-during-move')])
    insertTracks(hostDoc, [track('host-during-move')])
    await until(() => joined.state === 'direct', 5000, 'direct connection')
    // ('connecting' came before the listener.) No 'offline' or 'connecting' during the move.
    expect(states).toEqual(['relayed', 'direct'])
    expect(node.getConnections(host.node.peerId).some((c) => c.direct && c.limits == null)).toBe(
      true,
    )
    insertTracks(hostDoc, [track('host-after')])
    insertTracks(joinerDoc, [track('joiner-after')])
    await until(() => snapshot(hostDoc) === snapshot(joinerDoc), 5000, 'convergence')
    expect(readTracks(hostDoc).map((t) => t.id)).toEqual(
      expect.arrayContaining([
        'while-relayed',
        'joiner-during-move',
        'host-during-move',
        'host-after',
        'joiner-after',
      ]),
    )
    // The host's presence stayed on screen through the move.
    expect(peerCounts.slice(peerCounts.indexOf(1))).not.toContain(0)
    expect(joined.peers()).toHaveLength(1)
  })

  it('tries the direct way at once when a join reuses a relayed connection', async () => {
    const { relays, host, secret } = await hostOnRelay(5)
    const secret2 = newCapabilitySecret()
    host.sync.host({
      playlistId: 'pl2',
      doc: docWith(5, 'g'),
      grants: [{ role: 'edit', secret: secret2 }],
    })
    const { sync, reach } = await joinerOutOfReach(host)
    const common = {
      hostPeerId: host.node.peerId.toString(),
      addrs: tcpAddrs(host),
      relays,
      role: 'edit' as const,
      dialTimeoutMs: 5000,
      // Retries a minute apart: only an attempt made at once can go direct in this test.
      directBackoff: { initialMs: 60_000, maxMs: 60_000 },
    }
    const first = sync.join({ ...common, playlistId: 'pl1', doc: new Y.Doc(), secret })
    cleanups.push(async () => first.close())
    await first.whenSynced()
    expect(first.state).toBe('relayed')
    reach()
    // The second join finds the first one's relayed connection open and takes it.
    const second = sync.join({ ...common, playlistId: 'pl2', doc: new Y.Doc(), secret: secret2 })
    cleanups.push(async () => second.close())
    await second.whenSynced()
    await until(() => second.state === 'direct', 5000, 'second join direct')
    expect(first.state).toBe('relayed') // its next try is a minute away
  })

  it('lets a read-only joiner see changes while its writes are refused', async () => {
    const [host, joiner] = await Promise.all([peer(), peer()])
    const secret = newCapabilitySecret()
    const hostDoc = docWith(3, 'h')
    const joinerDoc = new Y.Doc()
    host.sync.host({ playlistId: 'pl1', doc: hostDoc, grants: [{ role: 'read', secret }] })
    const joined = join(joiner, host, { doc: joinerDoc, role: 'read', secret })
    const refused: PermissionError[] = []
    joined.events.on('refused', (e) => refused.push(e))
    await joined.whenSynced()
    insertTracks(joinerDoc, [track('nope')])
    insertTracks(hostDoc, [track('live')])
    await until(() => readTracks(joinerDoc).some((t) => t.id === 'live'), 5000, 'live change')
    await settle(10)
    expect(refused).toHaveLength(1)
    expect(readTracks(hostDoc).some((t) => t.id === 'nope')).toBe(false)
  })

  it('disconnects a joiner when its link is revoked, and keeps it out', async () => {
    const [host, joiner, other] = await Promise.all([peer(), peer(), peer()])
    const editSecret = newCapabilitySecret()
    const readSecret = newCapabilitySecret()
    const hostDoc = docWith(2, 'h')
    const hosted = host.sync.host({
      playlistId: 'pl1',
      doc: hostDoc,
      grants: [
        { role: 'edit', secret: editSecret },
        { role: 'read', secret: readSecret },
      ],
    })
    const joined = join(joiner, host, { doc: new Y.Doc(), role: 'edit', secret: editSecret })
    const reader = join(other, host, { doc: new Y.Doc(), role: 'read', secret: readSecret })
    await Promise.all([joined.whenSynced(), reader.whenSynced()])
    const errors: unknown[] = []
    joined.events.on('error', (e) => errors.push(e))
    const fresh = hosted.rotate('edit')
    await until(() => joined.error !== undefined, 5000, 'revocation')
    expect(joined.error).toBeInstanceOf(PermissionError)
    expect(joined.error?.message).toMatch(/revoked/)
    expect(joined.state).toBe('offline')
    expect(errors).toHaveLength(1)
    // The read-only link was not rotated: that peer stays.
    expect(reader.state).toBe('direct')
    // The old secret no longer gets in; the new one does.
    const again = join(joiner, host, { doc: new Y.Doc(), role: 'edit', secret: editSecret })
    await expect(again.whenSynced()).rejects.toBeInstanceOf(PermissionError)
    const renewed = join(joiner, host, { doc: new Y.Doc(), role: 'edit', secret: fresh })
    await renewed.whenSynced()
  })

  it('merges offline edits on reconnect', async () => {
    const [host, joiner] = await Promise.all([peer(), peer()])
    const secret = newCapabilitySecret()
    const hostDoc = docWith(4, 'h')
    const joinerDoc = new Y.Doc()
    host.sync.host({ playlistId: 'pl1', doc: hostDoc, grants: [{ role: 'edit', secret }] })
    const joined = join(joiner, host, { doc: joinerDoc, role: 'edit', secret })
    await joined.whenSynced()
    await partition(joiner, host)
    await until(() => joined.state === 'offline' || joined.state === 'connecting', 5000, 'offline')
    insertTracks(joinerDoc, [track('offline-j')], 0)
    removeTracks(joinerDoc, ['h0'])
    insertTracks(hostDoc, [track('offline-h')])
    moveTracks(hostDoc, ['h3'], 0)
    await settle(5)
    expect(readTracks(hostDoc).some((t) => t.id === 'offline-j')).toBe(false)
    heal(joiner, host)
    joined.reconnectNow()
    await until(() => snapshot(hostDoc) === snapshot(joinerDoc), 10_000, 'merge')
    expect(
      readTracks(hostDoc)
        .map((t) => t.id)
        .sort(),
    ).toEqual(['h1', 'h2', 'h3', 'offline-h', 'offline-j'])
  })

  it('three peers: partition one, 1,000 concurrent ops, heal → identical within 2 s', async () => {
    const [host, a, b] = await Promise.all([peer(), peer(), peer()])
    const secret = newCapabilitySecret()
    const docs = { host: docWith(20, 'h'), a: new Y.Doc(), b: new Y.Doc() }
    host.sync.host({ playlistId: 'pl1', doc: docs.host, grants: [{ role: 'edit', secret }] })
    const ja = join(a, host, { doc: docs.a, role: 'edit', secret })
    const jb = join(b, host, { doc: docs.b, role: 'edit', secret })
    await Promise.all([ja.whenSynced(), jb.whenSynced()])
    await partition(b, host)
    await until(() => jb.state !== 'direct', 5000, 'partition')

    const rand = mulberry32(1234)
    const order: [Y.Doc, string][] = [
      [docs.host, 'h'],
      [docs.a, 'a'],
      [docs.b, 'b'],
    ]
    for (let i = 0; i < 1000; i++) {
      const [doc, tag] = order[i % 3]!
      randomOp(doc, rand, tag, i)
      // Let live traffic interleave with local edits now and then.
      if (i % 50 === 49) await settle(1)
    }
    heal(b, host)
    const healedAt = Date.now()
    jb.reconnectNow()
    await until(
      () => snapshot(docs.host) === snapshot(docs.a) && snapshot(docs.a) === snapshot(docs.b),
      2000,
      'identical state within 2 s of healing',
    )
    const took = Date.now() - healedAt
    expect(took).toBeLessThan(2000)
    const ids = readTracks(docs.host).map((t) => t.id)
    expect(new Set(ids).size).toBe(ids.length)
    expect(ids.length).toBeGreaterThan(20)
  })

  it('closes a hostile stream with a typed error and sends it no document byte; the node carries on', async () => {
    const [host, joiner, attacker] = await Promise.all([peer(), peer(), peer()])
    const secret = newCapabilitySecret()
    const hostDoc = docWith(3, 'h')
    hostDoc.getMap('meta').set('name', 'TOP-SECRET-NAME')
    host.sync.host({ playlistId: 'pl1', doc: hostDoc, grants: [{ role: 'edit', secret }] })
    const joinerDoc = new Y.Doc()
    const joined = join(joiner, host, { doc: joinerDoc, role: 'edit', secret })
    await joined.whenSynced()

    const received: Uint8Array[] = []
    const stream = await attacker.node.dialProtocol(multiaddr(tcpAddrs(host)[0]!), SYNC_PROTOCOL)
    let closed = false
    stream.addEventListener('message', (e) => received.push(e.data.subarray()))
    stream.addEventListener('close', () => (closed = true))
    const nonce = new Uint8Array(32)
    stream.send(
      encodeFrame(
        encodeMessage({ type: 'hello', version: WIRE_VERSION, playlistId: 'pl1', nonce }, 0),
      ),
    )
    await until(() => received.length > 0, 5000, 'challenge')
    stream.send(
      encodeFrame(encodeMessage({ type: 'proof', role: 'edit', mac: new Uint8Array(32) }, 1)),
    )
    await until(() => closed || received.length > 1, 5000, 'refusal')
    await settle(5)
    const frames = new FrameDecoder(1 << 20).push(concatAll(received))
    const msgs = frames.map((f) => decodeMessage(f, 1 << 20).msg)
    expect(msgs.map((m) => m.type)).toEqual(['challenge', 'error'])
    expect(msgs[1]).toMatchObject({ name: 'PermissionError' })
    expect(new TextDecoder().decode(concatAll(received))).not.toContain('TOP-SECRET')

    // A second hostile stream sends an oversized frame.
    const s2 = await attacker.node.dialProtocol(host.node.peerId, SYNC_PROTOCOL)
    const got2: Uint8Array[] = []
    s2.addEventListener('message', (e) => got2.push(e.data.subarray()))
    s2.send(Uint8Array.of(0xff, 0xff, 0xff, 0x7f))
    await until(() => got2.length > 0, 5000, 'oversize refusal')
    await settle(5)
    const m2 = new FrameDecoder(1 << 20)
      .push(concatAll(got2))
      .map((f) => decodeMessage(f, 1 << 20).msg)
    expect(m2[0]).toMatchObject({ type: 'error', name: 'PayloadTooLargeError' })

    // The host node and the honest joiner carry on.
    insertTracks(hostDoc, [track('after-attack')])
    await until(() => readTracks(joinerDoc).some((t) => t.id === 'after-attack'), 5000, 'joiner')
    expect(joined.state).toBe('direct')
    expect(host.node.status).toBe('started')
  })
})

function concatAll(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0))
  let at = 0
  for (const p of parts) {
    out.set(p, at)
    at += p.length
  }
  return out
}
