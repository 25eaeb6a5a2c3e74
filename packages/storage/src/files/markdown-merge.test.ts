import { insertTracks, normalizeTrackInput, readTracks, type TrackInput } from '@whatnext/core'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import {
  frontMatterId,
  mergeEdit,
  readPlaintext,
  renderMarkdown,
  snapshotOf,
} from './markdown-merge.ts'

let n = 0
const init = { now: 1000, newId: () => `new${++n}` }

function docWith(titles: string[]): Y.Doc {
  const doc = new Y.Doc()
  doc.getMap('meta').set('name', 'P')
  insertTracks(
    doc,
    titles.map((title, i) => ({
      id: `t${i}`,
      fields: normalizeTrackInput({ title } as TrackInput),
      addedAt: 1,
      addedBy: 'me',
    })),
  )
  return doc
}

const fields = (...titles: string[]) => titles.map((title) => normalizeTrackInput({ title }))
const order = (doc: Y.Doc) => readTracks(doc).map((t) => `${t.id}:${t.title}`)

describe('markdown-merge', () => {
  it('round-trips a rendered playlist through the reader', () => {
    const doc = docWith(['a', 'b'])
    const { content, fileName } = renderMarkdown('doc-1', snapshotOf(doc))
    expect(fileName).toBe('P.md')
    expect(frontMatterId(content)).toBe('doc-1')
    const read = readPlaintext(content, fileName)
    expect(read).toMatchObject({ ok: true, id: 'doc-1', name: 'P' })
    if (read.ok) expect(read.tracks.map((t) => t.title)).toEqual(['a', 'b'])
  })

  it('changes nothing when the file equals the base', () => {
    const doc = docWith(['a', 'b', 'c'])
    const base = snapshotOf(doc)
    expect(mergeEdit(doc, base, { ...base, tracks: base.tracks }, init)).toBeNull()
  })

  it('moves only what moved, keeping ids', () => {
    const doc = docWith(['a', 'b', 'c', 'd'])
    const base = snapshotOf(doc)
    const update = mergeEdit(doc, base, { ...base, tracks: fields('d', 'a', 'b', 'c') }, init)
    expect(update).not.toBeNull()
    expect(order(doc)).toEqual(['t3:d', 't0:a', 't1:b', 't2:c'])
  })

  it('applies the edit to the current document, not to the base', () => {
    const doc = docWith(['a', 'b'])
    const base = snapshotOf(doc)
    // Since the base was written, the app added "x" after "a".
    insertTracks(doc, [{ id: 'x', fields: fields('x')[0]!, addedAt: 2, addedBy: 'me' }], 1)
    mergeEdit(doc, base, { ...base, tracks: fields('a (edited)', 'b', 'c') }, init)
    expect(order(doc)).toEqual([
      't0:a (edited)',
      'x:x',
      't1:b',
      expect.stringMatching(/^new\d+:c$/),
    ])
  })

  it('pairs a line rewritten in place with the track it replaced', () => {
    const doc = docWith(['a', 'b', 'c'])
    const base = snapshotOf(doc)
    mergeEdit(doc, base, { ...base, tracks: fields('a', 'totally new', 'c') }, init)
    expect(order(doc)).toEqual(['t0:a', 't1:totally new', 't2:c'])
  })

  it('produces an update that merges into another replica', () => {
    const doc = docWith(['a', 'b'])
    const replica = new Y.Doc()
    Y.applyUpdate(replica, Y.encodeStateAsUpdate(doc))
    const base = snapshotOf(doc)
    const update = mergeEdit(
      doc,
      base,
      { name: 'Q', description: '', tracks: fields('b', 'c') },
      init,
    )
    Y.applyUpdate(replica, update!)
    expect(snapshotOf(replica)).toEqual(snapshotOf(doc))
    expect(snapshotOf(replica).name).toBe('Q')
  })

  it('reads invalid files as reasons, never throwing', () => {
    expect(readPlaintext('---\nname: [x\n---\n', 'x.md')).toMatchObject({ ok: false })
    expect(readPlaintext('', 'x.md')).toMatchObject({ ok: false })
    expect(readPlaintext('#EXTM3U\nhttp://a/b.mp3\n', 'x.md')).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/not Markdown/),
    })
  })
})
