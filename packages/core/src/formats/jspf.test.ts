import { describe, expect, it } from 'vitest'
import { ImportError } from '../errors.ts'
import { emptyTrackFields } from '../model/schemas.ts'
import { exportPlaylist } from './index.ts'
import { parseJspf } from './jspf.ts'
import { thrown } from './test-support.ts'

describe('JSPF import', () => {
  it('reads spec JSPF: first non-empty location, creator, album, duration in ms, annotation', () => {
    const p = parseJspf(
      JSON.stringify({
        playlist: {
          title: 'J',
          annotation: 'D',
          track: [
            {
              title: 'T',
              creator: 'C',
              album: 'Al',
              annotation: 'N\nmore',
              location: ['', 'file:///m/%C3%A9.mp3', 'http://alt'],
              duration: 1000,
              identifier: ['not-a-uri'],
            },
            { title: 'Title only' },
            { location: ['http://x'], duration: '2500' },
          ],
        },
      }),
      'a.jspf',
    )
    expect(p).toEqual({
      name: 'J',
      description: 'D',
      warnings: [],
      tracks: [
        {
          title: 'T',
          artists: ['C'],
          album: 'Al',
          durationMs: 1000,
          source: '/m/é.mp3',
          notes: 'N\nmore',
          tags: [],
        },
        { ...emptyTrackFields(), title: 'Title only' },
        { ...emptyTrackFields(), source: 'http://x', durationMs: 2500 },
      ],
    })
  })

  // Policy: a JSPF-like file (top-level "tracks", string locations, as Lizzy writes) is
  // imported with a warning rather than refused: the user's intent is clear.
  it('reads non-standard JSPF-like JSON leniently, with a warning', () => {
    const p = parseJspf(
      '{"title":"L","tracks":[{"title":"a","location":"http://a"},{"location":"/b"}]}',
      'l.json',
    )
    expect(p.name).toBe('L')
    expect(p.tracks.map((t) => t.source)).toEqual(['http://a', '/b'])
    expect(p.warnings.map((w) => w.message)).toEqual([
      'Not standard JSPF (no "playlist" object); read as a JSPF-like list',
      'Not standard JSPF: "location" should be a list of URIs',
    ])
  })

  it('reports the line and column of broken JSON', () => {
    const e = thrown(() => parseJspf('{\n  "playlist": {\n    "title": "x",,\n  }\n}', 'b.jspf'))
    expect(e).toBeInstanceOf(ImportError)
    expect(e.message).toMatch(
      /^Cannot import b\.jspf: it is not valid JSON: .+ \(line 3, column 18\)$/,
    )
    expect(e.details).toMatchObject({ fileName: 'b.jspf', line: 3, column: 18 })
  })

  it.each([
    ['[1, 2]', 'expected a JSON object'],
    ['{"name": "no playlist"}', 'no "playlist" object'],
    ['{"playlist": {"track": {"title": "x"}}}', '"track" must be a list'],
  ])('refuses JSON that is not a playlist: %s', (text, reason) => {
    const e = thrown(() => parseJspf(text, 'x.jspf'))
    expect(e).toBeInstanceOf(ImportError)
    expect(e.message).toContain(reason)
  })
})

describe('JSPF export', () => {
  it('writes spec JSPF with URI locations and the WhatNext extension only where needed', () => {
    const file = exportPlaylist(
      {
        name: 'N',
        description: '',
        tracks: [
          { ...emptyTrackFields(), title: 'T', artists: ['A'], source: '/m/a b.mp3' },
          { ...emptyTrackFields(), title: 'U', source: 'rel/x.mp3', tags: ['t'] },
        ],
      },
      'jspf',
    )
    expect(file.mimeType).toBe('application/jspf+json')
    expect(JSON.parse(file.content)).toEqual({
      playlist: {
        title: 'N',
        track: [
          { location: ['file:///m/a%20b.mp3'], title: 'T', creator: 'A' },
          {
            location: ['rel/x.mp3'],
            title: 'U',
            extension: { 'https://whatnext.app/ns/playlist/1': [{ tags: ['t'] }] },
          },
        ],
      },
    })
  })
})
