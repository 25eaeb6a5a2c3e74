import { describe, expect, it } from 'vitest'
import { ImportError, PayloadTooLargeError } from '../errors.ts'
import { emptyTrackFields, type TrackFields } from '../model/schemas.ts'
import { EXPORT_FORMATS, exportPlaylist, parsePlaylist, type ExportFormat } from './index.ts'

const enc = (s: string) => new TextEncoder().encode(s)
const parse = (name: string, text: string | Uint8Array) =>
  parsePlaylist(typeof text === 'string' ? enc(text) : text, name)
const utf16le = (s: string) => {
  const out = new Uint8Array(2 + s.length * 2)
  out.set([0xff, 0xfe])
  for (let i = 0; i < s.length; i++) {
    out[2 + i * 2] = s.charCodeAt(i) & 0xff
    out[3 + i * 2] = s.charCodeAt(i) >> 8
  }
  return out
}
const error = (fn: () => unknown) => {
  try {
    fn()
  } catch (e) {
    return e as ImportError
  }
  throw new Error('expected an error')
}

describe('M3U', () => {
  it('reads #EXTINF with artist, title, duration and attributes with commas in quotes', () => {
    const p = parse(
      'x.m3u',
      '#EXTM3U\n#EXTINF:123 tvg-name="a, b",Artist - Title, with comma\nhttp://h/1.mp3\n#EXTINF:-1,Only title\nrel/2.mp3\n',
    )
    expect(p.tracks).toEqual([
      {
        ...emptyTrackFields(),
        title: 'Title, with comma',
        artists: ['Artist'],
        durationMs: 123_000,
        source: 'http://h/1.mp3',
      },
      { ...emptyTrackFields(), title: 'Only title', source: 'rel/2.mp3' },
    ])
  })

  it('reads a plain list of relative and absolute paths and URLs, titled by file name', () => {
    const p = parse(
      'plain.m3u',
      'a/b/first%20song.mp3\r\n/abs/second.flac\r\nC:\\Music\\third.ogg\r\nhttps://x.test/4.mp3\r\n',
    )
    expect(p.tracks.map((t) => [t.title, t.source])).toEqual([
      ['first song', 'a/b/first%20song.mp3'],
      ['second', '/abs/second.flac'],
      ['third', 'C:\\Music\\third.ogg'],
      ['4', 'https://x.test/4.mp3'],
    ])
  })

  it('strips a UTF-8 BOM and reads UTF-16 without mangling', () => {
    expect(
      parse('b.m3u', new Uint8Array([0xef, 0xbb, 0xbf, ...enc('#EXTM3U\n#EXTINF:1,Ünï\n/x.mp3')]))
        .tracks[0]!.title,
    ).toBe('Ünï')
    expect(
      parse('u.m3u', utf16le('#EXTM3U\r\n#EXTINF:5,Zoë - Ça va\r\n/y.mp3\r\n')).tracks[0],
    ).toMatchObject({ title: 'Ça va', artists: ['Zoë'] })
  })
})

describe('XSPF', () => {
  it('reads a namespaced XSPF with prefixes, entities and a foreign extension', () => {
    const p = parse(
      'n.xspf',
      `<?xml version="1.0"?>
<x:playlist version="1" xmlns:x="http://xspf.org/ns/0/"><x:title>Tom &amp; Jerry</x:title><x:trackList>
<x:track><x:location>file:///music/a%20b.mp3</x:location><x:location>http://alt</x:location><x:title><![CDATA[<Cool>]]></x:title>
<x:creator>Me</x:creator><x:duration>61000</x:duration><x:extension application="http://other"><foo>bar</foo></x:extension></x:track>
</x:trackList></x:playlist>`,
    )
    expect(p.name).toBe('Tom & Jerry')
    expect(p.tracks[0]).toMatchObject({
      title: '<Cool>',
      artists: ['Me'],
      durationMs: 61_000,
      source: '/music/a b.mp3',
    })
  })

  it('refuses malformed XML naming the line', () => {
    const e = error(() =>
      parse(
        'bad.xspf',
        '<playlist>\n<trackList>\n<track><title>x</title>\n</trackList>\n</playlist>',
      ),
    )
    expect(e).toBeInstanceOf(ImportError)
    expect(e.message).toMatch(/bad\.xspf.*line \d+/)
  })
})

describe('JSPF, CSV, Markdown', () => {
  it('reads spec JSPF', () => {
    const p = parse(
      'a.jspf',
      JSON.stringify({
        playlist: {
          title: 'J',
          track: [{ title: 'T', creator: 'C', location: ['http://x'], duration: 1000 }],
        },
      }),
    )
    expect(p).toMatchObject({
      name: 'J',
      tracks: [{ title: 'T', artists: ['C'], source: 'http://x', durationMs: 1000 }],
    })
  })

  it('reports the line and column of broken JSON', () => {
    const e = error(() => parse('b.jspf', '{\n  "playlist": {\n    "title": "x",,\n  }\n}'))
    expect(e.message).toMatch(/b\.jspf.*line 3/)
  })

  it('reads CSV with quoted commas, quotes and newlines, and flexible headers', () => {
    const p = parse(
      'c.csv',
      'Track Name,Artist,Length,URL,Comment\n"Hello, World","A; B",3:25,http://x,"line1\nline2 ""quoted"""\nSecond,,61,,\n',
    )
    expect(p.tracks[0]).toMatchObject({
      title: 'Hello, World',
      artists: ['A', 'B'],
      durationMs: 205_000,
      source: 'http://x',
      notes: 'line1\nline2 "quoted"',
    })
    expect(p.tracks[1]).toMatchObject({ title: 'Second', durationMs: 61_000 })
  })

  it('refuses a CSV without a title or source column', () => {
    expect(error(() => parse('d.csv', 'foo,bar\n1,2\n')).message).toMatch(
      /d\.csv.*no Title or Source column.*line 1/,
    )
  })

  it('reads front matter with unicode and a hand-written Markdown list', () => {
    const p = parse(
      'm.md',
      '---\nname: Café ☕ 日本\ndescription: "Ünïcode: yes"\n---\n\n# ignored\n\n- [Jóga](https://x.test/j) — Björk · *Homogenic* · 5:05\n- Plain title\n',
    )
    expect(p.name).toBe('Café ☕ 日本')
    expect(p.description).toBe('Ünïcode: yes')
    expect(p.tracks[0]).toMatchObject({
      title: 'Jóga',
      artists: ['Björk'],
      album: 'Homogenic',
      durationMs: 305_000,
      source: 'https://x.test/j',
    })
    expect(p.tracks[1]!.title).toBe('Plain title')
  })

  it('reports invalid YAML front matter with its file line', () => {
    const e = error(() => parse('y.md', '---\nname: ok\ntracks: [unclosed\n---\n'))
    expect(e.message).toMatch(/y\.md.*line [34]/)
  })
})

describe('bad input', () => {
  it.each([
    ['empty.m3u', ''],
    ['comments.m3u', '#EXTM3U\n# nothing here\n'],
    ['prose.txt', 'Dear diary, today I made a playlist.'],
    [
      'image.m3u',
      new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48]),
    ],
    ['nothing.pls', 'NumberOfEntries=0\n'],
  ])('%s is refused with a message naming the file', (name, content) => {
    const e = error(() => parse(name, content))
    expect(e).toBeInstanceOf(ImportError)
    expect(e.message).toContain(name)
  })

  it('refuses a file over the size limit before reading it', () => {
    const e = error(() => parsePlaylist(new Uint8Array(11), 'big.m3u', { maxBytes: 10 }))
    expect(e).toBeInstanceOf(PayloadTooLargeError)
    expect(e.message).toContain('big.m3u')
  })

  it('cuts over-long fields with a warning instead of failing', () => {
    const p = parse('long.m3u', `#EXTINF:1,${'x'.repeat(600)}\n/a.mp3\n`)
    expect(p.tracks[0]!.title).toHaveLength(500)
    expect(p.warnings[0]!.message).toMatch(/cut/)
  })
})

describe('round trips', () => {
  const tricky: TrackFields[] = [
    {
      title: 'Ünïcode 日本 🎵',
      artists: ['Björk', 'Crosby, Stills & Nash'],
      album: 'A "quoted" album: with colon',
      durationMs: 305_000,
      source: 'https://x.test/a?b=1&c=2',
      notes: 'line 1\nline 2\n---\n# not a heading',
      tags: ['chill', 'late night'],
    },
    {
      title: 'Commas, "quotes" and <tags>',
      artists: ['Solo'],
      album: '',
      durationMs: 61_234,
      source: '/music/with space/ä.flac',
      notes: '',
      tags: [],
    },
    {
      title: 'No source, no duration',
      artists: [],
      album: 'X',
      durationMs: null,
      source: '',
      notes: 'only notes',
      tags: ['t'],
    },
    {
      title: `Long ${'y'.repeat(400)}`,
      artists: Array.from({ length: 12 }, (_, i) => `Artist ${i}`),
      album: '',
      durationMs: 3_600_000,
      source: 'C:\\Music\\x.mp3',
      notes: '',
      tags: [],
    },
  ]

  it.each(['markdown', 'jspf', 'xspf', 'csv'] as const)('%s keeps every field', (format) => {
    const file = exportPlaylist(
      { name: 'Trip: 日本 / "best"', description: 'Desc\nmore', tracks: tricky },
      format,
    )
    const back = parse(file.fileName, file.content)
    expect(back.tracks).toEqual(tricky)
    if (format !== 'csv') expect(back.name).toBe('Trip: 日本 / "best"')
  })

  it.each(['m3u8', 'pls'] as const)('%s keeps what the format carries', (format: ExportFormat) => {
    const file = exportPlaylist({ name: 'P', description: '', tracks: tricky }, format)
    expect(file.skipped).toBe(1)
    const back = parse(file.fileName, file.content)
    const withSource = tricky.filter((t) => t.source)
    expect(back.tracks.map((t) => t.source)).toEqual(withSource.map((t) => t.source))
    expect(back.tracks.map((t) => t.title)).toEqual(withSource.map((t) => t.title))
    expect(back.tracks.map((t) => t.artists.join(', '))).toEqual(
      withSource.map((t) => t.artists.join(', ')),
    )
    expect(back.tracks.map((t) => t.durationMs)).toEqual(
      withSource.map((t) =>
        t.durationMs === null ? null : Math.round(t.durationMs / 1000) * 1000,
      ),
    )
  })

  it('writes Markdown deterministically', () => {
    const a = exportPlaylist({ name: 'D', description: '', tracks: tricky }, 'markdown').content
    const b = exportPlaylist(
      { name: 'D', description: '', tracks: structuredClone(tricky) },
      'markdown',
    ).content
    expect(a).toBe(b)
    expect(a.startsWith('---\nwhatnext: 1\nname: D\n')).toBe(true)
  })

  it('offers every export format in the menu list', () => {
    expect(EXPORT_FORMATS.map((f) => f.format).sort()).toEqual([
      'csv',
      'jspf',
      'm3u8',
      'markdown',
      'pls',
      'xspf',
    ])
  })
})

describe('speed', () => {
  it('parses a 10,000-entry M3U with progress', () => {
    const lines = ['#EXTM3U']
    for (let i = 0; i < 10_000; i++)
      lines.push(`#EXTINF:${i % 600},Artist ${i} - Title ${i}`, `/music/${i}.mp3`)
    const fractions: number[] = []
    const p = parsePlaylist(enc(lines.join('\n')), 'big.m3u', {
      onProgress: (f) => fractions.push(f),
    })
    expect(p.tracks).toHaveLength(10_000)
    expect(fractions.length).toBeGreaterThanOrEqual(10)
    expect(fractions.at(-1)).toBe(1)
    expect([...fractions].sort((a, b) => a - b)).toEqual(fractions)
  })
})
