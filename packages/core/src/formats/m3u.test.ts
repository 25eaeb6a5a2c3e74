import { describe, expect, it } from 'vitest'
import { emptyTrackFields } from '../model/schemas.ts'
import { exportPlaylist } from './index.ts'
import { parseM3u } from './m3u.ts'
import { parseText, utf16, utf8 } from './test-support.ts'

const track = (fields: Partial<ReturnType<typeof emptyTrackFields>>) => ({
  ...emptyTrackFields(),
  ...fields,
})

describe('M3U import', () => {
  it('reads #EXTM3U + #EXTINF as duration, artist and title, splitting on the first comma', () => {
    const p = parseM3u(
      '#EXTM3U\n#EXTINF:123 tvg-name="a, b" tvg-id="x",Artist - Title, with comma\nhttp://h/1.mp3\n' +
        '#EXTINF:-1,Only title\nrel/2.mp3\n#EXTINF:-5,A - B - C\n/3.mp3\n',
    )
    expect(p.tracks).toEqual([
      track({
        title: 'Title, with comma',
        artists: ['Artist'],
        durationMs: 123_000,
        source: 'http://h/1.mp3',
      }),
      track({ title: 'Only title', source: 'rel/2.mp3' }),
      track({ title: 'B - C', artists: ['A'], source: '/3.mp3' }),
    ])
  })

  it('reads a plain list: relative and absolute paths and URLs kept as written, no invented titles', () => {
    const p = parseM3u(
      'a/b/first%20song.mp3\n/abs/second.flac\nC:\\Music\\third.ogg\n..\\up.mp3\nhttps://x.test/4.mp3?a=1&b=2\nsmb://nas/share/5.mp3\n',
    )
    expect(p.tracks.map((t) => [t.title, t.source])).toEqual([
      ['', 'a/b/first%20song.mp3'],
      ['', '/abs/second.flac'],
      ['', 'C:\\Music\\third.ogg'],
      ['', '..\\up.mp3'],
      ['', 'https://x.test/4.mp3?a=1&b=2'],
      ['', 'smb://nas/share/5.mp3'],
    ])
  })

  it('turns file:// URIs into decoded paths (Unix, Windows drive, localhost, UNC)', () => {
    const p = parseM3u(
      'file:///music/a%20b%23c.mp3\nfile:///C:/Music/%C3%A9t%C3%A9.mp3\nfile://localhost/srv/x.mp3\nfile://nas/share/y.mp3\nfile:///bad%zz.mp3\n',
    )
    expect(p.tracks.map((t) => t.source)).toEqual([
      '/music/a b#c.mp3',
      'C:/Music/été.mp3',
      '/srv/x.mp3',
      '//nas/share/y.mp3',
      'file:///bad%zz.mp3',
    ])
  })

  it('keeps a pending #EXTINF across comments and directives, and gives #EXTALB/#EXTART/#EXTGENRE to the next entry only', () => {
    const p = parseM3u(
      [
        '#EXTM3U',
        '#PLAYLIST:My list',
        '# a comment',
        '#EXTINF:200,Someone - Song #1',
        '#EXTVLCOPT:network-caching=1000',
        '# another comment',
        '#EXTALB:The Album',
        '#EXTART:The Artist',
        '#EXTGENRE:rock;pop',
        '#EXT-X-SOMETHING:1',
        '/one.mp3',
        '#EXTINF:100,The Artist - Two',
        '/two.mp3',
      ].join('\n'),
    )
    expect(p.name).toBe('My list')
    expect(p.tracks[0]).toEqual(
      track({
        title: 'Someone - Song #1',
        artists: ['The Artist'],
        album: 'The Album',
        durationMs: 200_000,
        source: '/one.mp3',
        tags: ['rock', 'pop'],
      }),
    )
    expect(p.tracks[1]).toEqual(
      track({ title: 'Two', artists: ['The Artist'], durationMs: 100_000, source: '/two.mp3' }),
    )
  })

  it('drops the #EXTART artist from the display text when it repeats it', () => {
    const p = parseM3u('#EXTART:Andrea Bocelli\n#EXTINF:-1,Andrea Bocelli - E Chiove\n/x.mp3\n')
    expect(p.tracks[0]).toMatchObject({ title: 'E Chiove', artists: ['Andrea Bocelli'] })
  })

  it('trims lines (tabs before #EXTINF, spaces after the comma) and splits LF, CRLF and CR', () => {
    const text = '\t\t#EXTINF:5, Artist - Title  \r\n  /a.mp3  \r/b.mp3\n\n\n'
    const p = parseM3u(text)
    expect(p.tracks).toEqual([
      track({ title: 'Title', artists: ['Artist'], durationMs: 5000, source: '/a.mp3' }),
      track({ source: '/b.mp3' }),
    ])
  })

  it('reads fractional durations and treats 0, -1 and garbage as unknown', () => {
    const p = parseM3u('#EXTINF:1.5,a\n/1\n#EXTINF:0,b\n/2\n#EXTINF:-1,c\n/3\n#EXTINF:abc,d\n/4\n')
    expect(p.tracks.map((t) => t.durationMs)).toEqual([1500, null, null, null])
  })

  it('warns about an #EXTINF that has no path and does not give it to a later entry', () => {
    const p = parseM3u('#EXTINF:1,lost\n#EXTINF:2,kept\n/a.mp3\n#EXTINF:3,dangling\n')
    expect(p.tracks).toEqual([track({ title: 'kept', durationMs: 2000, source: '/a.mp3' })])
    expect(p.warnings).toEqual([
      { line: 1, message: '#EXTINF on line 1 has no path; ignored' },
      { line: 4, message: '#EXTINF on line 4 has no path; ignored' },
    ])
  })

  it('reads an HLS media playlist as plain M3U (one entry per URI)', () => {
    const p = parseM3u(
      '#EXTM3U\n#EXT-X-TARGETDURATION:10\n#EXTINF:9.5,\nseg1.ts\n#EXTINF:9.5,\nseg2.ts\n#EXT-X-ENDLIST\n',
    )
    expect(p.tracks.map((t) => t.source)).toEqual(['seg1.ts', 'seg2.ts'])
  })

  it('reads a UTF-8 BOM file, and UTF-16 LE and BE files, through parsePlaylist', () => {
    const text = '#EXTM3U\r\n#EXTINF:5,Zoë - Ça va 🎵\r\n/y.mp3\r\n'
    for (const bytes of [utf8(text, true), utf16(text, 'le'), utf16(text, 'be')]) {
      const p = parseText('u.m3u', bytes)
      expect(p.format).toBe('m3u')
      expect(p.tracks).toEqual([
        track({ title: 'Ça va 🎵', artists: ['Zoë'], durationMs: 5000, source: '/y.mp3' }),
      ])
    }
  })

  // Its speed is a benchmark's figure (import.m3u_10k.*), not a timed test.
  it('parses a 10,000-entry #EXTINF playlist, reporting progress', () => {
    const lines = ['#EXTM3U']
    for (let i = 0; i < 10_000; i++)
      lines.push(`#EXTINF:${(i % 600) + 1},Artist ${i} - Title ${i}`, `/music/${i}.mp3`)
    const bytes = utf8(lines.join('\n'))
    const fractions: number[] = []
    const p = parseText('big.m3u', bytes, { onProgress: (f) => fractions.push(f) })
    expect(p.tracks).toHaveLength(10_000)
    expect(p.tracks[9999]).toEqual(
      track({
        title: 'Title 9999',
        artists: ['Artist 9999'],
        durationMs: 400_000,
        source: '/music/9999.mp3',
      }),
    )
    expect(fractions.length).toBeGreaterThanOrEqual(10)
    expect(fractions.at(-1)).toBe(1)
    for (let i = 1; i < fractions.length; i++) {
      expect(fractions[i]).toBeGreaterThan(fractions[i - 1]!)
    }
  })
})

describe('M3U8 export', () => {
  const tracks = [
    track({
      title: 'Title, "quoted"',
      artists: ['A', 'B'],
      album: 'Al',
      durationMs: 61_400,
      source: '/m/a.mp3',
      notes: 'lost in M3U',
      tags: ['lost'],
    }),
    track({ title: 'No source' }),
    track({ source: 'http://x/stream' }),
  ]

  it('writes #EXTM3U, #PLAYLIST, #EXTINF with whole seconds or -1, #EXTALB and the path', () => {
    const file = exportPlaylist({ name: 'Mix: 1/2', description: '', tracks }, 'm3u8')
    expect(file.fileName).toBe('Mix 1 2.m3u8')
    expect(file.mimeType).toBe('audio/x-mpegurl')
    expect(file.content).toBe(
      '#EXTM3U\n#PLAYLIST:Mix: 1/2\n#EXTINF:61,A, B - Title, "quoted"\n#EXTALB:Al\n/m/a.mp3\n#EXTINF:-1,\nhttp://x/stream\n',
    )
  })

  it('leaves out tracks without a source, which M3U cannot hold, and counts them', () => {
    expect(exportPlaylist({ name: 'x', description: '', tracks }, 'm3u8').skipped).toBe(1)
  })
})
