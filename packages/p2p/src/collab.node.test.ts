/**
 * The engine bridge end to end in Node: two (or three) devices, each a real engine on its
 * own store behind a bus, a real libp2p node and the bridge; hosts reachable only through
 * a local relay, as browsers are. What a user would see: a shared playlist arrives,
 * concurrent edits converge, read-only links cannot write, revoked links are cut off,
 * offline edits merge on reconnect.
 */
import {
  PermissionError,
  createEndpoint,
  createEngine,
  createTransportPair,
  engineContract,
  serveEngine,
  systemClock,
  type Endpoint,
  type EngineContract,
  type ShareRecord,
} from '@whatnext/core'
import { MemoryDocumentStore } from '@whatnext/storage/memory'
import { afterEach, describe, expect, it } from 'vitest'
import { createCollab, type Collab } from './collab.ts'
import { createNode } from './node.ts'
import { createRelay, type Relay } from './relay/relay.ts'
import { createSyncService } from './service.ts'
import { until } from './test-support/memory.ts'

const clock = systemClock(globalThis)
const cleanups: (() => Promise<void>)[] = []
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn().catch(() => undefined)
})

interface Device {
  name: string
  engine: Endpoint<EngineContract>
  peerId: string
  relays: string[]
  /** The bridge; replaced by `goOnline` after `goOffline`. */
  collab: Collab | null
  goOffline(): Promise<void>
  goOnline(): Promise<void>
}

async function device(name: string, relay: Relay): Promise<Device> {
  const documents = new MemoryDocumentStore()
  const engineImpl = await createEngine({ documents, clock })
  const [serverSide, clientSide] = createTransportPair()
  const server = createEndpoint(
    engineContract,
    { transport: serverSide, clock },
    { name: 'engine' },
  )
  const stopServe = serveEngine(engineImpl, server)
  const engine = createEndpoint(engineContract, { transport: clientSide, clock }, { name: name })
  const relays = relay.multiaddrs()
  // libp2p keeps its key when stopped, so a restarted node has the same peer id.
  const node = await createNode({ relays, listen: [] })
  let sync = await createSyncService({ node })
  const peerId = node.peerId.toString()
  const start = async () =>
    createCollab({
      engine,
      sync,
      presence: { name, colour: '#336699', playlistId: null, trackId: null },
      relays: () => relays,
      dialTimeoutMs: 5000,
      backoff: { initialMs: 50, maxMs: 300 },
    })
  const d: Device = {
    name,
    engine,
    peerId,
    relays,
    collab: await start(),
    async goOffline() {
      await d.collab?.close()
      d.collab = null
      await sync.stop()
      await node.stop()
    },
    async goOnline() {
      await node.start()
      sync = await createSyncService({ node })
      d.collab = await start()
    },
  }
  cleanups.push(async () => {
    await d.collab?.close()
    await sync.stop()
    await node.stop()
    stopServe()
    await engineImpl.close()
  })
  return d
}

async function relay(): Promise<Relay> {
  const r = await createRelay({ port: 0 })
  cleanups.push(() => r.stop())
  return r
}

const titles = async (d: Device, id: string) =>
  (await d.engine.request('playlist/get', { id })).tracks.map((t) => t.title)

async function converged(devices: Device[], id: string, ms = 8000) {
  let last: string[] = []
  await until(
    () => {
      void Promise.all(devices.map((d) => titles(d, id).catch(() => []))).then((all) => {
        last = all.map((t) => JSON.stringify(t))
      })
      return last.length === devices.length && last.every((t) => t === last[0]) && last[0] !== '[]'
    },
    ms,
    'convergence',
  )
  return JSON.parse(last[0]!) as string[]
}

async function shareAndJoin(
  owner: Device,
  guest: Device,
  playlistId: string,
  role: 'edit' | 'read',
): Promise<ShareRecord> {
  const { record } = await owner.engine.request('share/create', { playlistId, role })
  if (record.kind !== 'hosted') throw new Error('not hosted')
  await until(() => owner.collab!.status()[playlistId]?.synced === true, 5000, 'hosting')
  await guest.engine.request('share/join', {
    playlistId,
    hostPeerId: owner.peerId,
    relays: owner.relays,
    role,
    secret: record.grants[role]!,
  })
  return record
}

describe('engine bridge over real peers and a relay', () => {
  it('brings a shared playlist into the joiner library and converges concurrent edits', async () => {
    const r = await relay()
    const [a, b] = await Promise.all([device('Ada', r), device('Bo', r)])
    const { id } = await a.engine.request('playlist/create', { name: 'Road trip' })
    await a.engine.request('playlist/addTracks', {
      playlistId: id,
      tracks: [{ title: 'One' }, { title: 'Two' }, { title: 'Three' }],
    })
    await shareAndJoin(a, b, id, 'edit')

    expect(await converged([a, b], id)).toEqual(['One', 'Two', 'Three'])
    const list = await b.engine.request('library/list', {})
    expect(list.playlists).toMatchObject([
      { id, name: 'Road trip', shared: { kind: 'joined', role: 'edit', hostPeerId: a.peerId } },
    ])
    await until(() => (a.collab!.status()[id]?.peers.length ?? 0) === 1, 5000, 'presence')
    expect(a.collab!.status()[id]!.peers[0]).toMatchObject({ peerId: b.peerId, name: 'Bo' })
    expect(b.collab!.status()[id]!.peers.map((p) => p.name)).toContain('Ada')

    // Both edit at once: add, move, remove.
    const before = (await a.engine.request('playlist/get', { id })).tracks
    await Promise.all([
      a.engine.request('playlist/addTracks', { playlistId: id, tracks: [{ title: 'From Ada' }] }),
      b.engine.request('playlist/addTracks', {
        playlistId: id,
        tracks: [{ title: 'From Bo' }],
        index: 0,
      }),
      b.engine.request('playlist/moveTracks', {
        playlistId: id,
        trackIds: [before[2]!.id],
        toIndex: 0,
      }),
      a.engine.request('playlist/removeTracks', { playlistId: id, trackIds: [before[1]!.id] }),
    ])
    const final = await converged([a, b], id)
    expect([...final].sort()).toEqual(['From Ada', 'From Bo', 'One', 'Three'])
  })

  it('a read-only joiner sees live changes and cannot write; revoking cuts a joiner off', async () => {
    const r = await relay()
    const [a, reader, editor] = await Promise.all([
      device('Ada', r),
      device('Reader', r),
      device('Editor', r),
    ])
    const { id } = await a.engine.request('playlist/create', { name: 'Mix' })
    await a.engine.request('playlist/addTracks', { playlistId: id, tracks: [{ title: 'One' }] })
    await shareAndJoin(a, reader, id, 'read')
    await shareAndJoin(a, editor, id, 'edit')
    await converged([a, reader, editor], id)

    await a.engine.request('playlist/addTracks', { playlistId: id, tracks: [{ title: 'Live' }] })
    expect(await converged([a, reader], id)).toEqual(['One', 'Live'])
    await expect(
      reader.engine.request('playlist/addTracks', { playlistId: id, tracks: [{ title: 'X' }] }),
    ).rejects.toBeInstanceOf(PermissionError)

    // Revoke the edit link: the editor is disconnected with a clear error; the reader stays.
    await a.engine.request('share/revoke', { playlistId: id, role: 'edit', replace: true })
    await until(() => editor.collab!.status()[id]?.error !== null, 8000, 'revocation')
    expect(editor.collab!.status()[id]!.error!.message).toMatch(/not valid|revoked/i)
    await a.engine.request('playlist/addTracks', { playlistId: id, tracks: [{ title: 'After' }] })
    expect(await converged([a, reader], id)).toEqual(['One', 'Live', 'After'])
    expect(await titles(editor, id)).toEqual(['One', 'Live'])
  })

  it("passes a joiner's edits on to another joiner through the host; refuses garbage updates", async () => {
    const r = await relay()
    const [a, b, c] = await Promise.all([device('Ada', r), device('Bo', r), device('Cy', r)])
    const { id } = await a.engine.request('playlist/create', { name: 'Relay' })
    await a.engine.request('playlist/addTracks', { playlistId: id, tracks: [{ title: 'One' }] })
    await shareAndJoin(a, b, id, 'edit')
    await shareAndJoin(a, c, id, 'edit')
    await converged([a, b, c], id)
    // B and C are connected to A only: C gets B's track from A's engine, through A's node.
    await b.engine.request('playlist/addTracks', { playlistId: id, tracks: [{ title: 'From Bo' }] })
    expect(await converged([a, b, c], id)).toEqual(['One', 'From Bo'])
    await c.engine.request('playlist/addTracks', { playlistId: id, tracks: [{ title: 'From Cy' }] })
    expect(await converged([a, b, c], id)).toEqual(['One', 'From Bo', 'From Cy'])

    // The engine checks what the node hands it: garbage is refused, nothing changes.
    await expect(
      a.engine.request('doc/apply', { id, update: new Uint8Array([1, 200, 3, 4, 5, 6, 7]) }),
    ).rejects.toMatchObject({ name: 'ValidationError', message: 'Malformed document update' })
    await expect(
      a.engine.request('doc/sync', { id, stateVector: new Uint8Array([9, 255, 255]) }),
    ).rejects.toMatchObject({ name: 'ValidationError', message: 'Malformed state vector' })
    expect(await titles(a, id)).toEqual(['One', 'From Bo', 'From Cy'])
  })

  it('merges edits made offline on both sides when the joiner comes back', async () => {
    const r = await relay()
    const [a, b] = await Promise.all([device('Ada', r), device('Bo', r)])
    const { id } = await a.engine.request('playlist/create', { name: 'Mix' })
    await a.engine.request('playlist/addTracks', { playlistId: id, tracks: [{ title: 'One' }] })
    await shareAndJoin(a, b, id, 'edit')
    await converged([a, b], id)

    await b.goOffline()
    await b.engine.request('playlist/addTracks', {
      playlistId: id,
      tracks: [{ title: 'Offline Bo' }],
    })
    await a.engine.request('playlist/addTracks', {
      playlistId: id,
      tracks: [{ title: 'Online Ada' }],
    })
    await b.goOnline()
    const final = await converged([a, b], id, 15_000)
    expect([...final].sort()).toEqual(['Offline Bo', 'One', 'Online Ada'])
  })
})
