// Sharing in the engine: links (secrets per role, revocation), joined playlists (read-only
// enforced), and the document bridge the sync node uses (state-vector catch-up, peers'
// changes saved but not undoable, local changes of shared playlists published).
import { MemoryDocumentStore } from '@whatnext/storage/memory'
import { describe, expect, it, vi } from 'vitest'
import { ConflictError, PermissionError, ValidationError } from '../errors.ts'
import { systemClock } from '../ports.ts'
import { createBroadcastHub } from '../test-support/broadcast-hub.ts'
import { SHARES_DOC_ID, createEngine, type Engine, type EngineEvent } from './engine.ts'
import * as Y from 'yjs'

const clock = systemClock(globalThis)
const titles = (engine: Engine, id: string) => engine.getPlaylist(id).tracks.map((t) => t.title)

async function host() {
  const documents = new MemoryDocumentStore()
  const engine = await createEngine({ documents, clock })
  const { id } = await engine.createPlaylist({ name: 'Shared mix' })
  await engine.addTracks(id, [{ title: 'A' }, { title: 'B' }])
  return { documents, engine, id }
}

function updates(engine: Engine) {
  const seen: Extract<EngineEvent, { type: 'doc/updated' }>[] = []
  engine.subscribe((e) => {
    if (e.type === 'doc/updated') seen.push(e)
  })
  return seen
}

function docOf(update: Uint8Array): Y.Doc {
  const doc = new Y.Doc()
  Y.applyUpdate(doc, update)
  return doc
}

/** `engine` joins `playlistId` as the holder of a `role` link. */
function joinFrom(engine: Engine, playlistId: string, role: 'edit' | 'read') {
  return engine.joinShare({
    playlistId,
    hostPeerId: '12D3KooWHost',
    relays: [],
    role,
    secret: 'y'.repeat(43),
  })
}

/** Copies everything `from` has of `id` into `to` the way the sync node does. */
function catchUp(from: Engine, to: Engine, id: string) {
  return to.applyPeerUpdate(id, from.syncDoc(id, to.stateVectorOf(id)).update)
}

describe('sharing', () => {
  it('makes one secret per role, keeps it, and revokes or replaces it', async () => {
    const { engine, id } = await host()
    expect(engine.listPlaylists()[0]!.shared).toBeUndefined()
    const first = await engine.createShare(id, 'edit')
    expect(first).toMatchObject({
      kind: 'hosted',
      grants: { edit: expect.stringMatching(/^[\w-]{43}$/) },
    })
    expect(await engine.createShare(id, 'edit')).toEqual(first)
    await engine.createShare(id, 'read')
    expect(engine.listPlaylists()[0]!.shared).toEqual({ kind: 'hosted', roles: ['edit', 'read'] })

    const replaced = await engine.revokeShare(id, 'edit', true)
    expect(replaced?.kind === 'hosted' && replaced.grants.edit).toMatch(/^[\w-]{43}$/)
    expect(replaced?.kind === 'hosted' && replaced.grants.edit).not.toBe(
      first.kind === 'hosted' && first.grants.edit,
    )
    await engine.revokeShare(id, 'read', false)
    expect(engine.listPlaylists()[0]!.shared).toEqual({ kind: 'hosted', roles: ['edit'] })
    expect(engine.listShares()).toEqual([{ playlistId: id, record: engine.getShare(id) }])
  })

  it('keeps secrets in the private store, never in the library documents', async () => {
    const documents = new MemoryDocumentStore()
    const privateDocuments = new MemoryDocumentStore()
    const engine = await createEngine({ documents, privateDocuments, clock })
    const { id } = await engine.createPlaylist({ name: 'Mine' })
    const record = await engine.createShare(id, 'edit')
    const secret = record.kind === 'hosted' ? record.grants.edit! : ''
    const text = async (store: MemoryDocumentStore, docId: string) =>
      (await store.load(docId)).updates.map((u) => new TextDecoder().decode(u)).join('')
    expect(await text(privateDocuments, SHARES_DOC_ID)).toContain(secret)
    for (const docId of ['library', SHARES_DOC_ID, id])
      expect(await text(documents, docId)).not.toContain(secret)
    await engine.close()
    const again = await createEngine({ documents, privateDocuments, clock })
    expect(again.getShare(id)).toEqual(record)
    expect(again.listPlaylists()[0]!.shared).toEqual({ kind: 'hosted', roles: ['edit'] })
  })

  it('shows another tab’s new link without a reload', async () => {
    const documents = new MemoryDocumentStore()
    const hub = createBroadcastHub()
    const a = await createEngine({ documents, clock, broadcast: hub.join() })
    const b = await createEngine({ documents, clock, broadcast: hub.join() })
    const { id } = await a.createPlaylist({ name: 'Tabs' })
    await a.createShare(id, 'read')
    await vi.waitFor(() =>
      expect(b.listPlaylists()[0]?.shared).toEqual({ kind: 'hosted', roles: ['read'] }),
    )
    expect(b.getShare(id)).toEqual(a.getShare(id))
  })

  it('tells the sync node when what it serves may change, and not for edits inside playlists', async () => {
    const { engine, id } = await host()
    let changes = 0
    engine.subscribe((e) => {
      if (e.type === 'share/changed') changes++
    })
    const settle = () => new Promise((r) => setTimeout(r, 0))
    await engine.addTracks(id, [{ title: 'C' }])
    await engine.updatePlaylist({ id, name: 'Renamed' })
    await settle()
    expect(changes).toBe(0)
    await engine.createShare(id, 'edit')
    await settle()
    expect(changes).toBe(1)
    await engine.addTracks(id, [{ title: 'D' }])
    await settle()
    expect(changes).toBe(1)
    await engine.deletePlaylist(id) // no longer served
    await settle()
    expect(changes).toBe(2)
    expect(engine.listShares()).toEqual([])
  })

  it('refuses a link that names one of its own documents instead of a playlist', async () => {
    const engine = await createEngine({ documents: new MemoryDocumentStore(), clock })
    for (const playlistId of ['library', SHARES_DOC_ID])
      await expect(
        engine.joinShare({
          playlistId,
          hostPeerId: 'h',
          relays: [],
          role: 'edit',
          secret: 'x'.repeat(43),
        }),
      ).rejects.toBeInstanceOf(ValidationError)
    expect(engine.listPlaylists()).toEqual([])
  })

  it('keeps share records across a restart, and lists only live playlists', async () => {
    const { documents, engine, id } = await host()
    const record = await engine.createShare(id, 'read')
    await engine.close()
    const again = await createEngine({ documents, clock })
    expect(again.getShare(id)).toEqual(record)
    await again.deletePlaylist(id)
    expect(again.listShares()).toEqual([])
    await again.undo()
    expect(again.listShares()).toHaveLength(1)
  })

  it('joins a shared playlist, refuses to join your own, and re-joins a left one', async () => {
    const a = await host()
    const secret =
      (await a.engine.createShare(a.id, 'edit')).kind === 'hosted' ? 'x'.repeat(43) : ''
    const b = await createEngine({ documents: new MemoryDocumentStore(), clock })
    const link = {
      playlistId: a.id,
      hostPeerId: '12D3KooWHost',
      relays: [],
      role: 'edit' as const,
      secret,
    }
    expect(await b.joinShare(link)).toEqual({ playlistId: a.id, rejoined: false })
    expect(b.listPlaylists()).toMatchObject([
      {
        id: a.id,
        trackCount: 0,
        shared: { kind: 'joined', role: 'edit', hostPeerId: '12D3KooWHost', received: false },
      },
    ])
    await expect(a.engine.joinShare(link)).rejects.toBeInstanceOf(ConflictError)
    await expect(b.createShare(a.id, 'edit')).rejects.toBeInstanceOf(PermissionError)

    await b.deletePlaylist(a.id)
    expect(b.listPlaylists()).toEqual([])
    expect(await b.joinShare({ ...link, role: 'read' })).toEqual({
      playlistId: a.id,
      rejoined: true,
    })
    expect(b.listPlaylists()[0]!.shared).toMatchObject({ kind: 'joined', role: 'read' })
  })

  it('bridges a shared playlist both ways: catch-up, live changes, no echo, no undo of peers', async () => {
    const a = await host()
    await a.engine.createShare(a.id, 'edit')
    const b = await createEngine({ documents: new MemoryDocumentStore(), clock })
    await joinFrom(b, a.id, 'edit')
    const fromA = updates(a.engine)
    const fromB = updates(b)

    await catchUp(a.engine, b, a.id)
    expect(titles(b, a.id)).toEqual(['A', 'B'])
    expect(b.listPlaylists()[0]!.shared).toMatchObject({ kind: 'joined', received: true })
    expect(b.listPlaylists()[0]).toMatchObject({ name: 'Shared mix', trackCount: 2 })
    expect(fromB).toEqual([]) // a peer's change is not sent back out
    expect(b.historyState()).toEqual({ canUndo: false, canRedo: false })

    await b.addTracks(a.id, [{ title: 'From B' }])
    expect(fromB).toHaveLength(1)
    await a.engine.applyPeerUpdate(a.id, fromB[0]!.update)
    await a.engine.moveTracks(a.id, [a.engine.getPlaylist(a.id).tracks[2]!.id], 0)
    for (const e of fromA) await b.applyPeerUpdate(e.id, e.update)
    expect(titles(a.engine, a.id)).toEqual(['From B', 'A', 'B'])
    expect(titles(b, a.id)).toEqual(titles(a.engine, a.id))
    // A's undo takes back A's own move only, not B's track.
    await a.engine.undo()
    expect(titles(a.engine, a.id)).toEqual(['A', 'B', 'From B'])
  })

  it('saves a peer’s update for good and shows it in other tabs; refuses garbage, changing nothing', async () => {
    const a = await host()
    await a.engine.createShare(a.id, 'edit')
    const documents = new MemoryDocumentStore()
    const hub = createBroadcastHub()
    const b = await createEngine({ documents, clock, broadcast: hub.join() })
    const otherTab = await createEngine({ documents, clock, broadcast: hub.join() })
    await joinFrom(b, a.id, 'edit')
    await catchUp(a.engine, b, a.id)
    await a.engine.addTracks(a.id, [{ title: 'C' }])
    await catchUp(a.engine, b, a.id)
    expect(titles(b, a.id)).toEqual(['A', 'B', 'C'])
    await vi.waitFor(() => expect(titles(otherTab, a.id)).toEqual(['A', 'B', 'C']))

    const before = Y.encodeStateVector(new Y.Doc())
    const state = b.syncDoc(a.id, before).update
    await expect(b.applyPeerUpdate(a.id, new Uint8Array([1, 1, 200, 7, 7]))).rejects.toThrow(
      new ValidationError('Malformed document update'),
    )
    // A cut-off update: its structs decode only in part.
    await expect(b.applyPeerUpdate(a.id, state.subarray(0, state.length >> 1))).rejects.toThrow(
      ValidationError,
    )
    expect(() => b.syncDoc(a.id, new Uint8Array([5, 255]))).toThrow(
      new ValidationError('Malformed state vector'),
    )
    expect(b.syncDoc(a.id, before).update).toEqual(state)

    // Restarted on the same store: the peer's tracks are there.
    await b.close()
    await otherTab.close()
    const again = await createEngine({ documents, clock })
    expect(titles(again, a.id)).toEqual(['A', 'B', 'C'])
    expect(again.stateVectorOf(a.id)).toEqual(Y.encodeStateVector(docOf(state)))
    await again.close()
  })

  it('refuses every edit of a read-only playlist and keeps it unchanged', async () => {
    const a = await host()
    await a.engine.createShare(a.id, 'read')
    const b = await createEngine({ documents: new MemoryDocumentStore(), clock })
    await joinFrom(b, a.id, 'read')
    await catchUp(a.engine, b, a.id)
    const [first] = b.getPlaylist(a.id).tracks
    const attempts = [
      () => b.addTracks(a.id, [{ title: 'X' }]),
      () => b.updateTrack(a.id, first!.id, { title: 'X' }),
      () => b.removeTracks(a.id, [first!.id]),
      () => b.moveTracks(a.id, [first!.id], 1),
      () => b.updatePlaylist({ id: a.id, name: 'Mine now' }),
    ]
    for (const attempt of attempts) await expect(attempt()).rejects.toBeInstanceOf(PermissionError)
    expect(titles(b, a.id)).toEqual(['A', 'B'])
    expect(b.listPlaylists()[0]!.name).toBe('Shared mix')
  })

  it('publishes only shared playlists and serves the bridge only for them', async () => {
    const a = await host()
    const seen = updates(a.engine)
    await a.engine.addTracks(a.id, [{ title: 'C' }])
    expect(seen).toEqual([])
    expect(() => a.engine.syncDoc(a.id, Y.encodeStateVector(new Y.Doc()))).toThrow(PermissionError)
    await expect(a.engine.applyPeerUpdate(a.id, new Uint8Array([0, 0]))).rejects.toBeInstanceOf(
      PermissionError,
    )
    await a.engine.createShare(a.id, 'edit')
    await a.engine.addTracks(a.id, [{ title: 'D' }])
    expect(seen.map((e) => e.id)).toEqual([a.id])
  })
})
