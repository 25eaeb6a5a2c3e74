/**
 * CSV (RFC 4180 via papaparse: quoted commas, quotes and newlines). A header row names
 * the columns; common spellings are recognised (Title/Track/Name, Artist(s)/Creator,
 * Duration/Length/Time, URL/Source/Location/Path/File, Notes/Comment, Tags/Genre).
 * Several artists or tags in one cell are separated by ';'.
 */
import Papa from 'papaparse'
import type { TrackFields } from '../model/schemas.ts'
import {
  TrackCollector,
  fail,
  fileNameFor,
  formatDuration,
  parseDuration,
  type ImportWarning,
} from './shared.ts'

const COLUMNS: Record<string, keyof TrackFields | 'durationExact'> = {
  title: 'title',
  track: 'title',
  name: 'title',
  song: 'title',
  'track name': 'title',
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

const splitList = (cell: string) =>
  cell
    .split(';')
    .map((s) => s.trim())
    .filter(Boolean)

/** Parses CSV text. */
export function parseCsv(
  text: string,
  fileName: string,
  onProgress?: (fraction: number) => void,
): { tracks: TrackFields[]; warnings: ImportWarning[] } {
  const parsed = Papa.parse<string[]>(text, { skipEmptyLines: 'greedy' })
  const fatal = parsed.errors.find((e) => e.type === 'Quotes')
  if (fatal)
    fail(
      fileName,
      `has a broken quoted field (record ${(fatal.row ?? 0) + 1})`,
      (fatal.row ?? 0) + 1,
    )
  const [header, ...rows] = parsed.data
  if (!header) fail(fileName, 'is empty', 1)
  const mapping = header.map((h) => COLUMNS[h.trim().toLowerCase()])
  if (!mapping.some((m) => m === 'title' || m === 'source')) {
    fail(
      fileName,
      `has no Title or Source column in its header (found: ${header.join(', ').slice(0, 200)})`,
      1,
    )
  }
  const out = new TrackCollector(onProgress, rows.length)
  rows.forEach((row, i) => {
    const cells: Partial<Record<string, string>> = {}
    mapping.forEach((field, c) => {
      if (field && cells[field] === undefined) cells[field] = row[c] ?? ''
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
      i + 2,
    )
  })
  return { tracks: out.tracks, warnings: out.warnings }
}

/** Writes CSV with a header; `duration_ms` keeps exact durations, `duration` is for people. */
export function writeCsv(
  name: string,
  tracks: TrackFields[],
): { content: string; fileName: string } {
  const rows = tracks.map((t) => [
    t.title,
    t.artists.join('; '),
    t.album,
    t.durationMs === null ? '' : formatDuration(t.durationMs),
    t.durationMs === null ? '' : String(t.durationMs),
    t.source,
    t.notes,
    t.tags.join('; '),
  ])
  const content = Papa.unparse(
    {
      fields: ['title', 'artists', 'album', 'duration', 'duration_ms', 'source', 'notes', 'tags'],
      data: rows,
    },
    { newline: '\r\n', quotes: false },
  )
  return { content: `${content}\r\n`, fileName: fileNameFor(name, '.csv') }
}
