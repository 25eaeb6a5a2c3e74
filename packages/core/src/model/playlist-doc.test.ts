import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { insertTracks, keysAt, moveTracks, readTracks, removeTracks } from './playlist-doc.ts'
import { emptyTrackFields } from './schemas.ts'

const item = (id: string) => ({
  id,
  fields: { ...emptyTrackFields(), title: id },
  addedAt: 0,
  addedBy: 'p',
})
const sync = (a: Y.Doc, b: Y.Doc) => {
  Y.applyUpdate(a, Y.encodeStateAsUpdate(b))
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a))
}
const order = (doc: Y.Doc) => readTracks(doc).map((t) => t.id)

describe('playlist document', () => {
  it('converges when two peers insert at the same spot, with a stable order', () => {
    const a = new Y.Doc()
    const b = new Y.Doc()
    insertTracks(a, [item('x'), item('z')])
    sync(a, b)
    insertTracks(a, [item('a1')], 1)
    insertTracks(b, [item('b1')], 1)
    sync(a, b)
    expect(order(a)).toEqual(order(b))
    expect(order(a)[0]).toBe('x')
    expect(order(a).at(-1)).toBe('z')
  })

  it('can still insert between tracks whose keys collided', () => {
    const ordered = [{ order: 'a0' }, { order: 'a1' }, { order: 'a1' }, { order: 'a2' }]
    const [key] = keysAt(ordered, 2, 1)
    expect(key! > 'a1' && key! < 'a2').toBe(true)
  })

  it('appends after every track, also after two peers appended at once', () => {
    const a = new Y.Doc()
    const b = new Y.Doc()
    insertTracks(a, [item('x')])
    sync(a, b)
    // Concurrent appends: both get the same key after 'x'.
    insertTracks(a, [item('a1')])
    insertTracks(b, [item('b1')])
    sync(a, b)
    insertTracks(a, [item('last1'), item('last2')])
    insertTracks(a, [item('first')], 0)
    insertTracks(a, [item('end')], 99)
    expect(order(a)).toEqual(['first', 'x', 'a1', 'b1', 'last1', 'last2', 'end'])
    moveTracks(a, ['x'], 5)
    expect(order(a)).toEqual(['first', 'a1', 'b1', 'last1', 'last2', 'x', 'end'])
  })

  it('keeps every track exactly once when peers move the same tracks concurrently', () => {
    const a = new Y.Doc()
    const b = new Y.Doc()
    insertTracks(a, ['1', '2', '3', '4', '5'].map(item))
    sync(a, b)
    moveTracks(a, ['1', '2'], 3)
    moveTracks(b, ['2', '5'], 0)
    removeTracks(b, ['3'])
    sync(a, b)
    expect(order(a)).toEqual(order(b))
    expect([...order(a)].sort()).toEqual(['1', '2', '4', '5'])
  })
})
