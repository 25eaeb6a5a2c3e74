// The fast update check against Yjs itself: every real update passes; for thousands of
// damaged ones, whatever the check lets through either applies whole or changes nothing.
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { ValidationError } from '../errors.ts'
import { MemoryDocumentStore } from '@whatnext/storage/memory'
import { createEngine } from '../engine/engine.ts'
import { systemClock } from '../ports.ts'
import { applyChecked, checkedUpdate } from './doc-updates.ts'
import { insertTracks, moveTracks, patchTrack, removeTracks } from './playlist-doc.ts'
import { skimsClean } from './update-skim.ts'
import { seededRandom } from '../test-support/random.ts'

const track = (i: number) => ({
  id: `t${i}`,
  fields: {
    title: `Title ${i} — ünïcødé 🎵`,
    artists: [`Artist ${i % 7}`, 'Featuring'],
    album: i % 2 ? `Album ${i}` : '',
    durationMs: i % 3 ? 120_000 + i : null,
    source: `https://example.org/${i}.mp3`,
    notes: i % 5 ? '' : 'a note\nover two lines',
    tags: i % 4 ? [] : ['x', 'y'],
  },
  addedAt: 1_700_000_000_000 + i,
  addedBy: '12D3KooWPeer',
})

/** Updates of every shape a playlist (and Yjs generally) produces. */
function corpus(): { name: string; update: Uint8Array; ours: boolean }[] {
  const out: { name: string; update: Uint8Array; ours: boolean }[] = []
  const doc = new Y.Doc()
  const updates: Uint8Array[] = []
  doc.on('update', (u: Uint8Array) => updates.push(u))
  insertTracks(
    doc,
    Array.from({ length: 40 }, (_, i) => track(i)),
  )
  patchTrack(doc, 't3', { title: 'Renamed', tags: ['new'] })
  moveTracks(doc, ['t1', 't2'], 30)
  removeTracks(doc, ['t5', 't6'])
  doc.getMap('meta').set('name', 'Road trip')
  doc.getMap('meta').set('nested', { a: [1, 2.5, -3, 2 ** 40, null, true, false], b: 'ü' })
  doc.getMap('meta').set('bytes', new Uint8Array([1, 2, 3]))
  doc.getMap('meta').set('big', BigInt(2) ** BigInt(60))
  doc.getMap('meta').set('undef', undefined)
  const text = doc.getText('text')
  text.insert(0, 'hello wörld')
  text.delete(2, 3)
  const list = doc.getArray<unknown>('list')
  list.insert(0, [1, 'two', { three: 3 }, new Y.Map(), new Y.Array()])
  list.delete(1, 1)
  updates.forEach((u, i) => out.push({ name: `ours ${i}`, update: u, ours: true }))
  out.push({ name: 'whole state', update: Y.encodeStateAsUpdate(doc), ours: true })
  out.push({ name: 'merged', update: Y.mergeUpdates(updates.slice(3)), ours: true })
  out.push({
    name: 'diff from the middle',
    update: Y.diffUpdate(Y.encodeStateAsUpdate(doc), Y.encodeStateVector(docFrom(updates[0]!))),
    ours: true,
  })
  // Shapes the app never writes: the check must still accept them (through Yjs's decode).
  const other = new Y.Doc()
  const t = other.getText('t')
  t.insert(0, 'bold', { bold: true })
  t.insertEmbed(4, { image: 'x.png' })
  const frag = other.getXmlFragment('xml')
  const el = new Y.XmlElement('p')
  el.setAttribute('class', 'c')
  el.insert(0, [new Y.XmlText('x')])
  frag.insert(0, [el])
  other.getMap('hooks').set('h', new Y.XmlHook('hook'))
  other.getMap('subdocs').set('d', new Y.Doc())
  out.push({ name: 'text formats, xml, subdoc', update: Y.encodeStateAsUpdate(other), ours: false })
  out.push({ name: 'empty', update: Y.encodeStateAsUpdate(new Y.Doc()), ours: true })
  return out
}

/**
 * Whether two updates make the same document: the same items and deletions (snapshot),
 * the same content. Bytes may differ in order after a reload.
 */
function sameDoc(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length === b.length && a.every((x, i) => x === b[i])) return true
  const [da, db] = [docFrom(a), docFrom(b)]
  const json = (d: Y.Doc) =>
    JSON.stringify([...d.share.keys()].sort().map((k) => [k, d.get(k).toJSON()]))
  return Y.equalSnapshots(Y.snapshot(da), Y.snapshot(db)) && json(da) === json(db)
}

function docFrom(update: Uint8Array): Y.Doc {
  const doc = new Y.Doc()
  Y.applyUpdate(doc, update)
  return doc
}

/** `update` truncated, with a bit flipped, a byte replaced or a byte inserted. */
function damage(update: Uint8Array, rand: () => number): Uint8Array {
  const i = Math.floor(rand() * update.length)
  switch (Math.floor(rand() * 4)) {
    case 0:
      return update.slice(0, i)
    case 1: {
      const bad = update.slice()
      bad[i] = bad[i]! ^ (1 << Math.floor(rand() * 8))
      return bad
    }
    case 2: {
      const bad = update.slice()
      bad[i] = Math.floor(rand() * 256)
      return bad
    }
    default: {
      const bad = new Uint8Array(update.length + 1)
      bad.set(update.subarray(0, i))
      bad[i] = Math.floor(rand() * 256)
      bad.set(update.subarray(i), i + 1)
      return bad
    }
  }
}

async function joinedEngine() {
  const documents = new MemoryDocumentStore()
  const clock = systemClock(globalThis)
  const engine = await createEngine({ documents, clock })
  const { playlistId: id } = await engine.joinShare({
    playlistId: 'pl-fuzz',
    hostPeerId: '12D3KooWHost',
    relays: [],
    role: 'edit',
    secret: 'y'.repeat(43),
  })
  const state = () => engine.syncDoc(id, new Uint8Array([0])).update
  const restarted = async () => {
    await engine.close()
    const again = await createEngine({ documents, clock })
    const saved = again.syncDoc(id, new Uint8Array([0])).update
    await again.close()
    return saved
  }
  return { engine, id, state, restarted }
}

describe('checking a peer update', () => {
  it('accepts every real update, and walks the ones this app writes without a full decode', () => {
    for (const { name, update, ours } of corpus()) {
      expect(() => checkedUpdate(update), name).not.toThrow()
      if (ours) expect(skimsClean(update), name).toBe(true)
    }
  })

  it('is never sure about a view that stops before its buffer ends (Yjs would read past it)', () => {
    const update = Y.encodeStateAsUpdate(docFrom(corpus()[0]!.update))
    const big = new Uint8Array(update.length + 10)
    big.set(update, 5)
    expect(skimsClean(big.subarray(5, 5 + update.length))).toBe(false)
    expect(() => checkedUpdate(big.subarray(5, 5 + update.length))).not.toThrow()
  })

  it('takes the tail of a received message as it is, and refuses a damaged tail as it would a copy', () => {
    const update = Y.encodeStateAsUpdate(docFrom(corpus()[0]!.update))
    const message = new Uint8Array(update.length + 7)
    message.set(update, 7)
    const tail = message.subarray(7)
    expect(skimsClean(tail)).toBe(true)
    expect(checkedUpdate(tail)).toBe(tail) // no copy
    const doc = new Y.Doc()
    applyChecked(doc, tail, null)
    expect(Y.encodeStateAsUpdate(doc)).toEqual(Y.encodeStateAsUpdate(docFrom(update)))
    // Cut short: as the tail of a message, the same verdict as on its own.
    const cut = update.subarray(0, update.length - 3).slice()
    const cutTail = new Uint8Array(cut.length + 7)
    cutTail.set(cut, 7)
    expect(skimsClean(cutTail.subarray(7))).toBe(skimsClean(cut))
    const verdict = (bytes: Uint8Array) => {
      try {
        checkedUpdate(bytes)
        return 'ok'
      } catch (error) {
        return (error as Error).name
      }
    }
    expect(verdict(cut)).toBe('ValidationError')
    expect(verdict(cutTail.subarray(7))).toBe(verdict(cut))
  })

  it('drops what a faulty update left half-integrated and reads the saved state again', async () => {
    // Find a damaged update that passes the byte check and that Yjs applies in part.
    const base = new Y.Doc()
    insertTracks(base, [track(1000), track(1001)])
    const baseState = Y.encodeStateAsUpdate(base)
    const sources = corpus().filter((c) => c.update.length > 4)
    const rand = seededRandom(0xbadc0de)
    let partial: Uint8Array | undefined
    for (let n = 0; n < 20_000 && !partial; n++) {
      const bad = damage(sources[Math.floor(rand() * sources.length)]!.update, rand)
      const doc = docFrom(baseState)
      try {
        applyChecked(doc, bad, 'peer')
      } catch {
        if (!sameDoc(Y.encodeStateAsUpdate(doc), baseState)) partial = bad
      }
    }
    expect(partial).toBeDefined()

    const { engine, id, state, restarted } = await joinedEngine()
    await engine.applyPeerUpdate(id, baseState)
    const before = state()
    await expect(engine.applyPeerUpdate(id, partial!)).rejects.toThrow(
      new ValidationError('Document update could not be applied'),
    )
    expect(sameDoc(state(), before)).toBe(true)
    expect(engine.getPlaylist(id).tracks.map((t) => t.id)).toEqual(['t1000', 't1001'])
    expect(sameDoc(await restarted(), before)).toBe(true)
  })

  it('never lets a damaged update leave part of itself in the engine, in memory or saved', async () => {
    const rand = seededRandom(0xbadc0de)
    const sources = corpus().filter((c) => c.update.length > 4)
    const { engine, id, state, restarted } = await joinedEngine()
    // The playlist holds what the damaged updates were made from, so their references
    // point into it (a fault while integrating needs that).
    for (const { update } of sources) await engine.applyPeerUpdate(id, update)
    let before = state()
    let applied = 0
    let refused = 0
    for (let n = 0; n < 300; n++) {
      const { update } = sources[Math.floor(rand() * sources.length)]!
      const bad = damage(update, rand)
      try {
        await engine.applyPeerUpdate(id, bad)
        applied++
        before = state()
      } catch (error) {
        expect(error).toBeInstanceOf(ValidationError)
        refused++
        expect(sameDoc(state(), before)).toBe(true)
      }
    }
    expect(applied + refused).toBe(300)
    expect(refused).toBeGreaterThan(80)
    // What is saved is what was shown: a restart finds the same document.
    expect(sameDoc(await restarted(), before)).toBe(true)
  }, 30_000)
})
