/**
 * PLS (`[playlist]` INI): `FileN`, `TitleN`, `LengthN` in any case and any order; entries
 * are read in index order, gaps allowed; `#` and `;` lines are comments. `GenreN` (a
 * common extension) becomes a tag.
 * `NumberOfEntries` is checked, not trusted.
 */
import type { TrackFields } from '../model/schemas.ts'
import {
  TrackCollector,
  fail,
  fileNameFor,
  joinDisplay,
  msToSeconds,
  normalizeSource,
  oneLine,
  secondsToMs,
  splitDisplay,
  splitLines,
  type ProgressCallback,
  type ReadResult,
} from './shared.ts'

interface Entry {
  file?: string
  title?: string
  length?: string
  genre?: string
  line: number
}

/** Reads PLS text; throws ImportError without a `[playlist]` section. */
export function parsePls(
  text: string,
  fileName: string,
  onProgress?: ProgressCallback,
): ReadResult {
  const entries = new Map<number, Entry>()
  let declared: { count: number; line: number } | undefined
  let section: string | null = null
  let sawPlaylist = false
  const lines = splitLines(text)
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim()
    if (!line || line.startsWith('#') || line.startsWith(';')) continue
    const header = /^\[(.*)\]$/.exec(line)
    if (header) {
      section = header[1]!.trim().toLowerCase()
      if (section === 'playlist') sawPlaylist = true
      continue
    }
    if (section !== 'playlist') continue
    const eq = line.indexOf('=')
    if (eq < 0) continue
    const key = line.slice(0, eq).trim().toLowerCase()
    const value = line.slice(eq + 1).trim()
    if (key === 'numberofentries') {
      declared = { count: Number.parseInt(value, 10), line: i + 1 }
      continue
    }
    const m = /^(file|title|length|genre)(\d+)$/.exec(key)
    if (!m) continue
    const index = Number(m[2])
    let entry = entries.get(index)
    if (!entry) {
      entry = { line: i + 1 }
      entries.set(index, entry)
    }
    entry[m[1] as 'file' | 'title' | 'length' | 'genre'] = value
  }
  if (!sawPlaylist) fail(fileName, 'it is not a PLS playlist: the [playlist] header is missing', 1)

  const ordered = [...entries].sort((a, b) => a[0] - b[0])
  const out = new TrackCollector(onProgress, ordered.length)
  for (const [index, entry] of ordered) {
    if (!entry.file) {
      out.warn(`Entry ${index} has a title or length but no File${index}; skipped`, entry.line)
      continue
    }
    const { title, artists } = splitDisplay(entry.title ?? '')
    out.add(
      {
        title,
        artists,
        durationMs: secondsToMs(entry.length),
        source: normalizeSource(entry.file),
        tags: entry.genre ? [entry.genre] : [],
      },
      entry.line,
    )
  }
  if (declared && declared.count !== out.tracks.length) {
    out.warn(
      `NumberOfEntries says ${declared.count}, but the file lists ${out.tracks.length}`,
      declared.line,
    )
  }
  return out.result()
}

/**
 * Writes PLS version 2. PLS has no place for a track without a path (left out and
 * counted in `skipped`), nor for album, notes or tags, nor for artists without a title.
 */
export function writePls(
  name: string,
  tracks: TrackFields[],
): { content: string; skipped: number; fileName: string } {
  const lines = ['[playlist]']
  let n = 0
  let skipped = 0
  for (const t of tracks) {
    if (!t.source) {
      skipped++
      continue
    }
    n++
    lines.push(`File${n}=${t.source}`)
    if (t.title) lines.push(`Title${n}=${oneLine(joinDisplay(t))}`)
    lines.push(`Length${n}=${msToSeconds(t.durationMs)}`)
  }
  lines.push(`NumberOfEntries=${n}`, 'Version=2')
  return { content: `${lines.join('\n')}\n`, skipped, fileName: fileNameFor(name, '.pls') }
}
