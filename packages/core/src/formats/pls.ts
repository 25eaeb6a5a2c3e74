/**
 * PLS (`[playlist]` INI): `FileN`, `TitleN`, `LengthN` in any case and any order; entries
 * are read in index order, gaps allowed. `NumberOfEntries` is checked, not trusted.
 */
import type { TrackFields } from '../model/schemas.ts'
import {
  TrackCollector,
  fail,
  fileNameFor,
  joinDisplay,
  normalizeSource,
  splitDisplay,
  splitLines,
  titleFromSource,
  type ImportWarning,
} from './shared.ts'

/** Parses PLS text. */
export function parsePls(
  text: string,
  fileName: string,
  onProgress?: (fraction: number) => void,
): { tracks: TrackFields[]; warnings: ImportWarning[] } {
  const entries = new Map<
    number,
    { file?: string; title?: string; length?: string; line: number }
  >()
  let declared: number | undefined
  let sawHeader = false
  splitLines(text).forEach((raw, i) => {
    const line = raw.trim()
    if (!line || line.startsWith('#') || line.startsWith(';')) return
    if (/^\[playlist\]$/i.test(line)) {
      sawHeader = true
      return
    }
    const eq = line.indexOf('=')
    if (eq < 0) return
    const key = line.slice(0, eq).trim().toLowerCase()
    const value = line.slice(eq + 1).trim()
    if (key === 'numberofentries') {
      declared = Number.parseInt(value, 10)
      return
    }
    const m = /^(file|title|length)(\d+)$/.exec(key)
    if (!m) return
    const index = Number(m[2])
    const entry = entries.get(index) ?? { line: i + 1 }
    entry[m[1] as 'file' | 'title' | 'length'] = value
    entries.set(index, entry)
  })
  if (!sawHeader) fail(fileName, 'is not a PLS playlist: the [playlist] header is missing', 1)
  const out = new TrackCollector(onProgress, entries.size)
  const ordered = [...entries.entries()].sort((a, b) => a[0] - b[0])
  for (const [index, entry] of ordered) {
    if (!entry.file) {
      out.warn(`Entry ${index} has a title or length but no File${index}; skipped`, entry.line)
      continue
    }
    const source = normalizeSource(entry.file)
    const display = splitDisplay(entry.title ?? '')
    const seconds = Number.parseFloat(entry.length ?? '')
    out.add(
      {
        title: display.title || titleFromSource(source),
        artists: display.artists,
        durationMs: Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : null,
        source,
      },
      entry.line,
    )
  }
  if (declared !== undefined && declared !== out.tracks.length) {
    out.warn(`NumberOfEntries says ${declared}, the file lists ${out.tracks.length}`)
  }
  return { tracks: out.tracks, warnings: out.warnings }
}

/** Writes PLS version 2. Tracks without a source are skipped. */
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
    lines.push(`File${n}=${t.source.replace(/[\r\n]+/g, ' ')}`)
    lines.push(`Title${n}=${joinDisplay(t).replace(/[\r\n]+/g, ' ')}`)
    lines.push(`Length${n}=${t.durationMs === null ? -1 : Math.round(t.durationMs / 1000)}`)
  }
  lines.push(`NumberOfEntries=${n}`, 'Version=2')
  return { content: `${lines.join('\n')}\n`, skipped, fileName: fileNameFor(name, '.pls') }
}
