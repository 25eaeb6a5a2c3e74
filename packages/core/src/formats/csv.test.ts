import { describe, expect, it } from 'vitest'
import { ImportError } from '../errors.ts'
import { emptyTrackFields } from '../model/schemas.ts'
import { parseCsv } from './csv.ts'
import { exportPlaylist } from './index.ts'
import { parseText, thrown, utf8 } from './test-support.ts'

describe('CSV import', () => {
  it('reads quoted commas, doubled quotes and newlines, with flexible header names', () => {
    const p = parseCsv(
      'Track Name,Artist,Length,URL,Comment,Genre\n' +
        '"Hello, World","A; B",3:25,http://x,"line1\nline2 ""quoted""",rock;pop\n' +
        'Second,,61,,,\n' +
        'Third,,1:02:03,,,\n',
      'c.csv',
    )
    expect(p.tracks).toEqual([
      {
        title: 'Hello, World',
        artists: ['A', 'B'],
        album: '',
        durationMs: 205_000,
        source: 'http://x',
        notes: 'line1\nline2 "quoted"',
        tags: ['rock', 'pop'],
      },
      { ...emptyTrackFields(), title: 'Second', durationMs: 61_000 },
      { ...emptyTrackFields(), title: 'Third', durationMs: 3_723_000 },
    ])
  })

  it('prefers duration_ms over duration, and reads semicolon-separated files', () => {
    const p = parseCsv('title;duration;duration_ms;path\nA;0:01;1234;/a\n', 's.csv')
    expect(p.tracks[0]).toMatchObject({ title: 'A', durationMs: 1234, source: '/a' })
  })

  it('strips a BOM and reports warnings with the file line of the row', () => {
    const p = parseText('b.csv', utf8('title,notes\n"multi\nline",x\n,only notes\n', true))
    expect(p.tracks).toHaveLength(1)
    expect(p.warnings).toEqual([
      { line: 4, message: 'Entry without a title or a location skipped' },
    ])
  })

  it('refuses a CSV whose header names no title or source column, at line 1', () => {
    const e = thrown(() => parseCsv('foo,bar\n1,2\n', 'd.csv'))
    expect(e).toBeInstanceOf(ImportError)
    expect(e.message).toMatch(
      /^Cannot import d\.csv: its first row names no Title or Source column.*\(line 1\)$/,
    )
  })

  it('refuses a broken quoted field, naming its line', () => {
    const e = thrown(() => parseCsv('title,notes\nok,fine\n"never closed,x\n', 'q.csv'))
    expect(e.message).toMatch(/q\.csv: a quoted field is never closed or is broken \(line 3\)/)
  })
})

describe('CSV export', () => {
  it('writes a header, m:ss and exact ms durations, "; "-joined lists, and escapes formulas', () => {
    const file = exportPlaylist(
      {
        name: 'C',
        description: '',
        tracks: [
          {
            title: '=HYPERLINK("x")',
            artists: ['A', 'B'],
            album: "'-quoted",
            durationMs: 61_500,
            source: '/a, b.mp3',
            notes: 'x\ny',
            tags: ['t1', 't2'],
          },
        ],
      },
      'csv',
    )
    expect(file.mimeType).toBe('text/csv')
    expect(file.content).toBe(
      'title,artists,album,duration,duration_ms,source,notes,tags\r\n' +
        `"'=HYPERLINK(""x"")",A; B,''-quoted,1:02,61500,"/a, b.mp3","x\ny",t1; t2\r\n`,
    )
    expect(parseText(file.fileName, file.content).tracks[0]).toMatchObject({
      title: '=HYPERLINK("x")',
      album: "'-quoted",
    })
  })
})
