import { describe, expect, it } from 'vitest'
import { ImportError, PayloadTooLargeError } from '../errors.ts'
import { EXPORT_FORMATS, parsePlaylist } from './index.ts'
import { parseText, thrown, utf8 } from './test-support.ts'

const PNG = new Uint8Array([
  0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52,
])

describe('parsePlaylist refuses bad input with an error that names the file', () => {
  it.each([
    ['empty.m3u', '', 'Cannot import empty.m3u: the file is empty', undefined],
    ['blank.pls', ' \r\n\t\n', 'Cannot import blank.pls: the file is empty', undefined],
    [
      'comments.m3u',
      '#EXTM3U\n# nothing here\n',
      'Cannot import comments.m3u: it contains no tracks',
      undefined,
    ],
    [
      'dangling.m3u',
      '#EXTM3U\n#EXTINF:10,Lost\n',
      'Cannot import dangling.m3u: it contains no tracks: #EXTINF on line 2 has no path; ignored (line 2)',
      2,
    ],
    [
      'nothing.pls',
      '[playlist]\nNumberOfEntries=0\n',
      'Cannot import nothing.pls: it contains no tracks',
      undefined,
    ],
    [
      'empty.xspf',
      '<playlist><trackList/></playlist>',
      'Cannot import empty.xspf: it contains no tracks',
      undefined,
    ],
  ])('%s', (name, text, message, line) => {
    const e = thrown(() => parseText(name, text))
    expect(e).toBeInstanceOf(ImportError)
    expect(e.message).toBe(message)
    expect((e as ImportError).fileName).toBe(name)
    expect((e as ImportError).line).toBe(line)
  })

  it('refuses binary files: NUL bytes, and a PNG renamed to .m3u', () => {
    for (const [name, bytes] of [
      ['nul.m3u', utf8('/a.mp3\n\u0000\u0000\u0000')],
      ['image.m3u', PNG],
    ] as const) {
      const e = thrown(() => parsePlaylist(bytes, name))
      expect(e).toBeInstanceOf(ImportError)
      expect(e.message).toMatch(new RegExp(`^Cannot import ${name}: it is a binary file`))
    }
  })

  it('refuses prose in an unknown format instead of importing nothing', () => {
    const e = thrown(() => parseText('notes.txt', 'Dear diary,\ntoday I made a playlist.\n'))
    expect(e).toBeInstanceOf(ImportError)
    expect(e.message).toContain('Cannot import notes.txt: ".txt" files are not a playlist format')
  })

  it('refuses a file over the size limit before decoding it', () => {
    const e = thrown(() => parsePlaylist(PNG, 'big.m3u', { maxBytes: 10 }))
    expect(e).toBeInstanceOf(PayloadTooLargeError)
    expect(e.message).toBe(
      'Cannot import big.m3u: it is 16 bytes, larger than the 10 bytes a playlist file may be',
    )
    expect(e.details).toMatchObject({ fileName: 'big.m3u', bytes: 16, limitBytes: 10 })
  })

  it('never returns part of a playlist: a late fatal error throws, and progress never reaches 1', () => {
    const entries = Array.from({ length: 3000 }, (_, i) => `<track><title>${i}</title></track>`)
    const text = `<playlist><trackList>${entries.join('\n')}\n</trackList></oops>`
    const fractions: number[] = []
    const e = thrown(() => parseText('late.xspf', text, { onProgress: (f) => fractions.push(f) }))
    expect(e.message).toMatch(/late\.xspf.*line 3001/)
    expect(fractions).not.toContain(1)
  })
})

describe('parsePlaylist', () => {
  it('returns format, encoding, name, tracks and warnings', () => {
    expect(parseText('a.m3u', '#PLAYLIST:P\n#EXTINF:1,x\n/a\n#EXTINF:2,y\n')).toEqual({
      format: 'm3u',
      encoding: 'utf-8',
      name: 'P',
      tracks: [
        {
          title: 'x',
          artists: [],
          album: '',
          durationMs: 1000,
          source: '/a',
          notes: '',
          tags: [],
        },
      ],
      warnings: [{ line: 4, message: '#EXTINF on line 4 has no path; ignored' }],
    })
  })

  it('cuts over-long fields to the limits with a warning instead of failing the import', () => {
    const p = parseText(
      'long.csv',
      `title,artists,tags\n${'x'.repeat(600)},${Array.from({ length: 60 }, (_, i) => `a${i}`).join(';')},${'t'.repeat(70)}\n`,
    )
    expect(p.tracks[0]!.title).toHaveLength(500)
    expect(p.tracks[0]!.artists).toHaveLength(50)
    expect(p.tracks[0]!.tags).toEqual(['t'.repeat(64)])
    expect(p.warnings).toEqual([
      { line: 2, message: 'Title cut to 500 characters' },
      { line: 2, message: 'Only the first 50 artists kept' },
      { line: 2, message: 'Tag cut to 64 characters' },
    ])
  })

  it('does not split an emoji when cutting a field', () => {
    const p = parseText('e.m3u', `#EXTINF:1,${'x'.repeat(499)}🎵\n/a\n`)
    expect(p.tracks[0]!.title).toBe('x'.repeat(499))
  })

  it('reports progress in increasing fractions for every format, ending at 1', () => {
    const n = 3000
    const files: [string, string][] = [
      ['p.m3u', Array.from({ length: n }, (_, i) => `/${i}.mp3`).join('\n')],
      [
        'p.pls',
        `[playlist]\n${Array.from({ length: n }, (_, i) => `File${i + 1}=/${i}`).join('\n')}`,
      ],
      ['p.csv', `title\n${Array.from({ length: n }, (_, i) => `t${i}`).join('\n')}`],
      ['p.md', Array.from({ length: n }, (_, i) => `- t${i}`).join('\n')],
      [
        'p.jspf',
        JSON.stringify({
          playlist: { track: Array.from({ length: n }, (_, i) => ({ title: `${i}` })) },
        }),
      ],
      [
        'p.xspf',
        `<playlist><trackList>${'<track><title>t</title></track>'.repeat(n)}</trackList></playlist>`,
      ],
    ]
    for (const [name, text] of files) {
      const fractions: number[] = []
      expect(parseText(name, text, { onProgress: (f) => fractions.push(f) }).tracks).toHaveLength(n)
      expect(fractions.length, name).toBeGreaterThanOrEqual(3)
      expect(fractions.at(-1)).toBe(1)
      for (let i = 1; i < fractions.length; i++)
        expect(fractions[i]).toBeGreaterThan(fractions[i - 1]!)
    }
  })

  it('offers every export format with label, extension and MIME type', () => {
    expect(EXPORT_FORMATS.map((f) => [f.format, f.extension])).toEqual([
      ['m3u8', '.m3u8'],
      ['pls', '.pls'],
      ['xspf', '.xspf'],
      ['jspf', '.jspf'],
      ['csv', '.csv'],
      ['markdown', '.md'],
    ])
  })
})
