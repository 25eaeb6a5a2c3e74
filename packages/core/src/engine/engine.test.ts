// Engine behaviour over real Yjs documents and the in-memory store from @whatnext/storage
// (a test-only dependency; core itself never imports storage).
import { MemoryDocumentStore } from '@whatnext/storage/memory'
import { describe, expect, it, vi } from 'vitest'
import { ImportError, NotFoundError } from '../errors.ts'
import { systemClock } from '../ports.ts'
import { createBroadcastHub } from '../test-support/broadcast-hub.ts'
import { createEngine, type Engine } from './engine.ts'

const clock = systemClock(globalThis)
const enc = new TextEncoder()
const titles = (engine: Engine, id: string) => engine.getPlaylist(id).tracks.map((t) => t.title)

async function withPlaylist(names: string[]) {
  const documents = new MemoryDocumentStore()
  const engine = await createEngine({ documents, clock })
  const { id } = await engine.createPlaylist({ name: 'Road trip' })
  const ids = await engine.addTracks(
    id,
    names.map((title) => ({ title })),
  )
  return { documents, engine, id, ids }
}

describe('engine', () => {
  it('keeps playlists and tracks across a restart', async () => {
    const { documents, engine, id } = await withPlaylist(['A', 'B', 'C'])
    await engine.updatePlaylist({ id, name: 'Summer', description: 'hot' })
    await engine.close()
    const again = await createEngine({ documents, clock })
    expect(again.listPlaylists()).toMatchObject([
      { id, name: 'Summer', description: 'hot', trackCount: 3 },
    ])
    expect(titles(again, id)).toEqual(['A', 'B', 'C'])
  })

  it('keeps an edit whose write failed and saves it with the next one', async () => {
    const { documents, engine, id } = await withPlaylist(['A'])
    const append = documents.append.bind(documents)
    let failures = 1
    documents.append = async (docId, update) => {
      if (failures-- > 0) throw new Error('disk full')
      return append(docId, update)
    }
    await expect(engine.addTracks(id, [{ title: 'B' }])).rejects.toThrow('disk full')
    await engine.addTracks(id, [{ title: 'C' }])
    await engine.close()
    const again = await createEngine({ documents, clock })
    expect(titles(again, id)).toEqual(['A', 'B', 'C'])
  })

  it('an edit that was saved but not passed to other tabs is saved once, not refused', async () => {
    const documents = new MemoryDocumentStore()
    const append = vi.spyOn(documents, 'append')
    const engine = await createEngine({
      documents,
      clock,
      broadcast: {
        post() {
          throw new Error('channel closed')
        },
        subscribe: () => () => undefined,
        close() {},
      },
    })
    const { id } = await engine.createPlaylist({ name: 'Road trip' })
    const writes = append.mock.calls.length
    await engine.addTracks(id, [{ title: 'A' }])
    await engine.addTracks(id, [{ title: 'B' }])
    expect(append.mock.calls.length - writes).toBe(2)
    await engine.close()
    const again = await createEngine({ documents, clock })
    expect(titles(again, id)).toEqual(['A', 'B'])
  })

  it('inserts at a position and moves a multi-selection keeping its order', async () => {
    const { engine, id, ids } = await withPlaylist(['A', 'B', 'C', 'D', 'E'])
    await engine.addTracks(id, [{ title: 'X' }], 1)
    expect(titles(engine, id)).toEqual(['A', 'X', 'B', 'C', 'D', 'E'])
    await engine.moveTracks(id, [ids[3]!, ids[0]!], 2) // D and A → after B,C? rest = X,B,C,E
    expect(titles(engine, id)).toEqual(['X', 'B', 'A', 'D', 'C', 'E'])
    await engine.moveTracks(id, [ids[4]!], 0)
    expect(titles(engine, id)).toEqual(['E', 'X', 'B', 'A', 'D', 'C'])
  })

  it('undoes and redoes every kind of edit, one step each', async () => {
    const { engine, id, ids } = await withPlaylist(['A', 'B'])
    await engine.updateTrack(id, ids[0]!, { title: 'A2', tags: ['x'] })
    await engine.moveTracks(id, [ids[1]!], 0)
    await engine.removeTracks(id, [ids[0]!])
    expect(titles(engine, id)).toEqual(['B'])
    await engine.undo()
    expect(titles(engine, id)).toEqual(['B', 'A2'])
    await engine.undo()
    expect(titles(engine, id)).toEqual(['A2', 'B'])
    await engine.undo()
    expect(titles(engine, id)).toEqual(['A', 'B'])
    await engine.redo()
    expect(titles(engine, id)).toEqual(['A2', 'B'])
    await engine.deletePlaylist(id)
    expect(engine.listPlaylists()).toEqual([])
    expect(() => engine.getPlaylist(id)).toThrow(NotFoundError)
    const undone = await engine.undo()
    expect(undone.done).toBe(true)
    expect(engine.listPlaylists().map((p) => p.id)).toEqual([id])
    // undo all the way: the addTracks, then the playlist's creation
    await engine.undo()
    await engine.undo()
    expect(titles(engine, id)).toEqual([])
    await engine.undo()
    expect(engine.listPlaylists()).toEqual([])
    expect(engine.historyState()).toEqual({ canUndo: false, canRedo: true })
  })

  it('shows one tab’s edits in another and merges concurrent edits without loss', async () => {
    const documents = new MemoryDocumentStore()
    const hub = createBroadcastHub()
    const a = await createEngine({ documents, clock, broadcast: hub.join() })
    const b = await createEngine({ documents, clock, broadcast: hub.join() })
    const { id } = await a.createPlaylist({ name: 'Shared' })
    await vi.waitFor(() => expect(b.listPlaylists().map((p) => p.id)).toEqual([id]))
    const [x] = await a.addTracks(id, [{ title: 'x' }])
    await vi.waitFor(() => expect(titles(b, id)).toEqual(['x']))
    // concurrent: both edit different fields of x and add a track each
    await Promise.all([
      a.updateTrack(id, x!, { title: 'x from a' }),
      b.updateTrack(id, x!, { album: 'album from b' }),
      a.addTracks(id, [{ title: 'a1' }]),
      b.addTracks(id, [{ title: 'b1' }]),
    ])
    await vi.waitFor(() => expect(titles(a, id)).toEqual(titles(b, id)))
    expect(a.getPlaylist(id).tracks).toHaveLength(3)
    const merged = a.getPlaylist(id).tracks.find((t) => t.id === x)!
    expect(merged).toMatchObject({ title: 'x from a', album: 'album from b' })
    // a third engine opening the store later sees the same
    const c = await createEngine({ documents, clock })
    expect(titles(c, id)).toEqual(titles(a, id))
  })

  it('never duplicates or drops a track under concurrent moves', async () => {
    const documents = new MemoryDocumentStore()
    const hub = createBroadcastHub()
    const a = await createEngine({ documents, clock, broadcast: hub.join() })
    const { id } = await a.createPlaylist({ name: 'm' })
    const ids = await a.addTracks(
      id,
      'ABCDEF'.split('').map((title) => ({ title })),
    )
    const b = await createEngine({ documents, clock, broadcast: hub.join() })
    await Promise.all([
      a.moveTracks(id, [ids[0]!], 5),
      b.moveTracks(id, [ids[0]!], 2),
      b.moveTracks(id, [ids[5]!], 0),
    ])
    await vi.waitFor(() => expect(titles(a, id)).toEqual(titles(b, id)))
    expect([...titles(a, id)].sort()).toEqual(['A', 'B', 'C', 'D', 'E', 'F'])
  })

  it('searches the whole library ignoring case and accents', async () => {
    const documents = new MemoryDocumentStore()
    const engine = await createEngine({ documents, clock })
    const one = await engine.createPlaylist({ name: 'One' })
    const two = await engine.createPlaylist({ name: 'Two' })
    await engine.addTracks(one.id, [
      { title: 'Jóga', artists: ['Björk'] },
      { title: 'Army of Me', artists: ['Björk'] },
    ])
    await engine.addTracks(two.id, [
      { title: 'Hyperballad', artists: ['Bjork'], tags: ['favourite'] },
      { title: 'Other' },
    ])
    expect(engine.search('bjork', 10).total).toBe(3)
    expect(engine.search('BJÖRK army', 10).hits.map((h) => h.track.title)).toEqual(['Army of Me'])
    expect(engine.search('favourite', 10).hits[0]).toMatchObject({ playlistName: 'Two' })
    await engine.updateTrack(two.id, (await engine.getPlaylist(two.id)).tracks[1]!.id, {
      title: 'Björk live',
    })
    expect(engine.search('bjork', 10).total).toBe(4)
  })

  it('imports a playlist file as a new playlist with progress, undone in one step', async () => {
    const documents = new MemoryDocumentStore()
    const engine = await createEngine({ documents, clock }, { importChunk: 10 })
    const lines = ['#EXTM3U', '#PLAYLIST:Imported']
    for (let i = 0; i < 25; i++)
      lines.push(`#EXTINF:${100 + i},Artist ${i} - Song ${i}`, `/music/${i}.mp3`)
    const phases: string[] = []
    const result = await engine.importFile('mix.m3u', enc.encode(lines.join('\n')), (p) =>
      phases.push(p.phase),
    )
    expect(result).toMatchObject({ name: 'Imported', added: 25, format: 'm3u' })
    const view = engine.getPlaylist(result.playlistId)
    expect(view.tracks[0]).toMatchObject({
      title: 'Song 0',
      artists: ['Artist 0'],
      durationMs: 100_000,
      source: '/music/0.mp3',
    })
    expect(view.tracks.map((t) => t.title)[24]).toBe('Song 24')
    expect(phases).toContain('saving')
    expect(phases.at(-1)).toBe('done')
    await engine.undo()
  })

  it('reports a big import in at most ~100 progress steps, not one per line', async () => {
    const engine = await createEngine({ documents: new MemoryDocumentStore(), clock })
    const lines = ['#EXTM3U']
    for (let i = 0; i < 5000; i++) lines.push(`#EXTINF:100,A - S${i}`, `/m/${i}.mp3`)
    const fractions: number[] = []
    await engine.importFile('big.m3u', enc.encode(lines.join('\n')), (p) =>
      fractions.push(p.fraction),
    )
    expect(fractions.length).toBeGreaterThan(10)
    expect(fractions.length).toBeLessThanOrEqual(110)
    expect(fractions.at(-1)).toBe(1)
    expect([...fractions].sort((a, b) => a - b)).toEqual(fractions)
    await engine.undo()
    expect(engine.listPlaylists()).toEqual([])
  })

  it('refuses a broken file and imports nothing', async () => {
    const documents = new MemoryDocumentStore()
    const engine = await createEngine({ documents, clock })
    const error = await engine
      .importFile('broken.xspf', enc.encode('<playlist><trackList><track>'), undefined)
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ImportError)
    expect((error as ImportError).message).toContain('broken.xspf')
    expect(engine.listPlaylists()).toEqual([])
    expect(await documents.list()).toEqual([])
  })

  it('exports what it imports', async () => {
    const { engine, id, ids } = await withPlaylist(['Ünïcode, "quoted"', 'Second'])
    await engine.updateTrack(id, ids[0]!, {
      artists: ['A', 'B'],
      album: 'Al',
      durationMs: 61_000,
      source: 'https://x.test/a',
      tags: ['t1'],
      notes: 'line1\nline2',
    })
    for (const format of ['markdown', 'jspf', 'xspf', 'csv'] as const) {
      const file = await engine.exportPlaylist(id, format)
      const back = await engine.importFile(file.fileName, enc.encode(file.content))
      const original = engine
        .getPlaylist(id)
        .tracks.map(({ title, artists, album, durationMs, source }) => ({
          title,
          artists,
          album,
          durationMs,
          source,
        }))
      const imported = engine
        .getPlaylist(back.playlistId)
        .tracks.map(({ title, artists, album, durationMs, source }) => ({
          title,
          artists,
          album,
          durationMs,
          source,
        }))
      expect(imported, format).toEqual(original)
    }
  })

  it('compacts a long update log without losing anything', async () => {
    const { documents, engine, id } = await withPlaylist(['A'])
    for (let i = 0; i < 150; i++) await engine.addTracks(id, [{ title: `t${i}` }])
    await engine.close()
    expect((await documents.load(id)).updates.length).toBeLessThan(100)
    const again = await createEngine({ documents, clock })
    expect(again.getPlaylist(id).trackCount).toBe(151)
  })
})
