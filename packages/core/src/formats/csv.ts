/**
 * CSV (RFC 4180 via papaparse: quoted commas, quotes and newlines). A header row names
 * the columns; common spellings are recognised (Title/Track/Name, Artist(s)/Creator,
 * Duration/Length/Time, URL/Source/Location/Path/File, Notes/Comment, Tags/Genre).
 * Several artists or tags in one cell are separated by ';' (never ',', which is common
 * inside band names). `duration_ms` wins over `duration` when both are present.
 */
import Papa from 'papaparse'
import type { TrackFields } from '../model/schemas.ts'
import {
  TrackCollector,
  fail,
  fileNameFor,
  formatDuration,
  lineIndex,
  parseDuration,
  type ProgressCallback,
  type ReadResult,
} from './shared.ts'

type Field = keyof TrackFields | 'durationExact'

/** Header names (lower-cased) and the field each fills; the first matching column wins. */
const COLUMNS: Record<string, Field> = {
  title: 'title',
  track: 'title',
  name: 'title',
  song: 'title',
  'track name': 'title',
  'song name': 'title',
  artist: 'artists',
  artists: 'artists',
  creator: 'artists',
  'artist name': 'artists',
  'artist name(s)': 'artists',
  album: 'album',
  'album name': 'album',
  duration: 'durationMs',
  length: 'durationMs',
  time: 'durationMs',
  'duration (s)': 'durationMs',
  duration_ms: 'durationExact',
  durationms: 'durationExact',
  'duration (ms)': 'durationExact',
  'track duration (ms)': 'durationExact',
  source: 'source',
  url: 'source',
  uri: 'source',
  location: 'source',
  path: 'source',
  file: 'source',
  link: 'source',
  'track uri': 'source',
  'spotify uri': 'source',
  notes: 'notes',
  note: 'notes',
  comment: 'notes',
  comments: 'notes',
  annotation: 'notes',
  tags: 'tags',
  tag: 'tags',
  genre: 'tags',
  genres: 'tags',
}

/** The header WhatNext writes; files with exactly this header get formula escapes undone. */
const EXPORT_HEADER = [
  'title',
  'artists',
  'album',
  'duration',
  'duration_ms',
  'source',
  'notes',
  'tags',
]

/**
 * Spreadsheets run cells that start with = + - @ (or tab/CR) as formulas, so exported
 * cells that do get a leading apostrophe (OWASP "CSV injection"). One more apostrophe
 * is added to cells that already start with apostrophes before such a character, which
 * keeps the escape reversible.
 */
const FORMULA = /^'*[=+\-@\t\r]/
const ESCAPED_FORMULA = /^'+[=+\-@\t\r]/

const splitList = (cell: string) =>
  cell
    .split(';')
    .map((s) => s.trim())
    .filter(Boolean)

/** Reads CSV text with a header row; throws ImportError if no column is recognised. */
export function parseCsv(
  text: string,
  fileName: string,
  onProgress?: ProgressCallback,
): ReadResult {
  const lineAt = lineIndex(text)
  const out = new TrackCollector(onProgress)
  let mapping: (Field | undefined)[] | null = null
  let unescape = false
  let rowStart = 0
  Papa.parse<string[]>(text, {
    skipEmptyLines: 'greedy',
    step(result) {
      // The row begins after the previous row's line break.
      while (rowStart < text.length && /[\r\n]/.test(text[rowStart]!)) rowStart++
      const line = lineAt(rowStart)
      rowStart = result.meta.cursor
      const quoteError = result.errors.find((e) => e.type === 'Quotes')
      if (quoteError) fail(fileName, `a quoted field is never closed or is broken`, line)
      const row = result.data
      if (!mapping) {
        const header = row.map((h) =>
          h
            .replace(/^\uFEFF/, '')
            .trim()
            .toLowerCase(),
        )
        mapping = header.map((h) => COLUMNS[h])
        if (!mapping.some((m) => m === 'title' || m === 'source')) {
          fail(
            fileName,
            `its first row names no Title or Source column (found: ${row.join(', ').slice(0, 200)}). ` +
              'WhatNext needs a header row such as "title,artists,album,duration,source"',
            line,
          )
        }
        unescape = header.join(',') === EXPORT_HEADER.join(',')
        return
      }
      const cells: Partial<Record<Field, string>> = {}
      mapping.forEach((field, c) => {
        if (!field || cells[field] !== undefined) return
        const cell = row[c] ?? ''
        cells[field] = unescape && ESCAPED_FORMULA.test(cell) ? cell.slice(1) : cell
      })
      const exact = Number.parseInt(cells.durationExact ?? '', 10)
      out.add(
        {
          title: cells.title,
          artists: splitList(cells.artists ?? ''),
          album: cells.album,
          durationMs: Number.isFinite(exact) ? exact : parseDuration(cells.durationMs),
          source: cells.source,
          notes: cells.notes,
          tags: splitList(cells.tags ?? ''),
        },
        line,
      )
      out.progress(rowStart, text.length)
    },
  })
  if (!mapping) fail(fileName, 'it is empty', 1)
  return out.result()
}

/**
 * Writes CSV with a header row. `duration` (m:ss) is for people, `duration_ms` keeps
 * the exact value; several artists or tags are joined with "; ".
 */
export function writeCsv(
  name: string,
  tracks: TrackFields[],
): { content: string; fileName: string } {
  const escape = (cell: string) => (FORMULA.test(cell) ? `'${cell}` : cell)
  const rows = tracks.map((t) =>
    [
      t.title,
      t.artists.join('; '),
      t.album,
      t.durationMs === null ? '' : formatDuration(t.durationMs),
      t.durationMs === null ? '' : String(t.durationMs),
      t.source,
      t.notes,
      t.tags.join('; '),
    ].map(escape),
  )
  const content = Papa.unparse({ fields: EXPORT_HEADER, data: rows }, { newline: '\r\n' })
  return { content: `${content}\r\n`, fileName: fileNameFor(name, '.csv') }
}
