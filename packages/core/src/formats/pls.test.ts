import { describe, expect, it } from 'vitest'
import { ImportError } from '../errors.ts'
import { exportPlaylist } from './index.ts'
import { parsePls } from './pls.ts'
import { thrown } from './test-support.ts'

describe('PLS import', () => {
  it('reads keys in any case, orders entries by index not file order, allows gaps and comments', () => {
    const p = parsePls(
      [
        '; a comment',
        '[Playlist]',
        '# another',
        'TITLE3=Third',
        'file3=/c.mp3',
        'File1=/a.mp3',
        'Title1=Artist - First',
        'length1=61',
        'FILE7=http://x/stream?a=1&b=2',
        'Length7=-1',
        'Genre7=Jazz',
        'NumberOfEntries=3',
        'Version=2',
      ].join('\r\n'),
      'x.pls',
    )
    expect(p.tracks.map((t) => [t.source, t.title, t.artists, t.durationMs, t.tags])).toEqual([
      ['/a.mp3', 'First', ['Artist'], 61_000, []],
      ['/c.mp3', 'Third', [], null, []],
      ['http://x/stream?a=1&b=2', '', [], null, ['Jazz']],
    ])
    expect(p.warnings).toEqual([])
  })

  it('warns when NumberOfEntries disagrees, and when a title has no FileN', () => {
    const p = parsePls('[playlist]\nFile1=/a.mp3\nTitle2=orphan\nNumberOfEntries=5\n', 'x.pls')
    expect(p.tracks).toHaveLength(1)
    expect(p.warnings).toEqual([
      { line: 3, message: 'Entry 2 has a title or length but no File2; skipped' },
      { line: 4, message: 'NumberOfEntries says 5, but the file lists 1' },
    ])
  })

  it('ignores keys outside the [playlist] section', () => {
    const p = parsePls('[other]\nFile1=/no.mp3\n[playlist]\nFile1=/yes.mp3\n', 'x.pls')
    expect(p.tracks.map((t) => t.source)).toEqual(['/yes.mp3'])
  })

  it('refuses a file without a [playlist] header, naming file and line', () => {
    const e = thrown(() => parsePls('File1=/a.mp3\n', 'headless.pls'))
    expect(e).toBeInstanceOf(ImportError)
    expect(e.message).toBe(
      'Cannot import headless.pls: it is not a PLS playlist: the [playlist] header is missing (line 1)',
    )
  })
})

describe('PLS export', () => {
  it('writes version 2 with FileN/TitleN/LengthN and NumberOfEntries, skipping tracks without a source', () => {
    const file = exportPlaylist(
      {
        name: 'Radio',
        description: '',
        tracks: [
          {
            title: 'T',
            artists: ['A', 'B'],
            album: '',
            durationMs: 1500,
            source: '/a.mp3',
            notes: '',
            tags: [],
          },
          {
            title: 'no source',
            artists: [],
            album: '',
            durationMs: null,
            source: '',
            notes: '',
            tags: [],
          },
          {
            title: '',
            artists: [],
            album: '',
            durationMs: null,
            source: 'http://s',
            notes: '',
            tags: [],
          },
        ],
      },
      'pls',
    )
    expect(file).toEqual({
      fileName: 'Radio.pls',
      mimeType: 'audio/x-scpls',
      skipped: 1,
      content:
        '[playlist]\nFile1=/a.mp3\nTitle1=A, B - T\nLength1=2\nFile2=http://s\nLength2=-1\nNumberOfEntries=2\nVersion=2\n',
    })
  })
})
