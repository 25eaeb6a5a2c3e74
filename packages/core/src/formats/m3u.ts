/**
 * M3U and M3U8: plain lists of paths/URLs, or extended (`#EXTM3U`, `#EXTINF`). Directives
 * between an `#EXTINF` and its path (`#EXTVLCOPT`, comments, `#EXTALB`, `#EXTART`,
 * `#EXTGENRE`) belong to that next entry. HLS media playlists read as plain M3U.
 */
import type { TrackFields } from '../model/schemas.ts'
import {
  TrackCollector,
  fileNameFor,
  joinDisplay,
  normalizeSource,
  splitDisplay,
  splitLines,
  titleFromSource,
  type ImportWarning,
} from './shared.ts'

/** What the M3U reader found. */
export interface M3uResult {
  name?: string
  tracks: TrackFields[]
  warnings: ImportWarning[]
}

/** Parses M3U/M3U8 text. Entry count = non-empty, non-`#` lines. */
export function parseM3u(text: string, onProgress?: (fraction: number) => void): M3uResult {
  const lines = splitLines(text)
  const out = new TrackCollector(onProgress, lines.length / 2)
  let name: string | undefined
  let pending: { durationMs: number | null; display: string; line: number } | null = null
  let album: string | undefined
  let artist: string | undefined
  const tags: string[] = []

  lines.forEach((rawLine, i) => {
    const line = rawLine.trim()
    if (!line) return
    const lineNo = i + 1
    if (line.startsWith('#')) {
      const colon = line.indexOf(':')
      const directive = (colon > 0 ? line.slice(0, colon) : line).toUpperCase()
      const value = colon > 0 ? line.slice(colon + 1).trim() : ''
      switch (directive) {
        case '#EXTINF':
          pending = { ...parseExtinf(value), line: lineNo }
          break
        case '#PLAYLIST':
          name = value || name
          break
        case '#EXTALB':
          album = value
          break
        case '#EXTART':
          artist = value
          break
        case '#EXTGENRE':
          tags.push(...value.split(/[,;]/))
          break
        default:
          break // #EXTM3U, #EXTVLCOPT, #EXT-X-*, comments: not entries
      }
      return
    }
    const source = normalizeSource(line)
    const info = pending as { durationMs: number | null; display: string; line: number } | null
    const display = info ? splitDisplay(info.display) : { title: '', artists: [] as string[] }
    out.add(
      {
        title: display.title || titleFromSource(source),
        artists: artist ? [artist] : display.artists,
        album,
        durationMs: info?.durationMs ?? null,
        source,
        tags,
      },
      lineNo,
    )
    pending = null
    album = undefined
    artist = undefined
    tags.length = 0
  })
  return { ...(name ? { name } : {}), tracks: out.tracks, warnings: out.warnings }
}

/** `#EXTINF:<seconds>[ key="value" …],<display>`; commas inside quotes are not the separator. */
function parseExtinf(value: string): { durationMs: number | null; display: string } {
  let inQuotes = false
  let comma = -1
  for (let i = 0; i < value.length; i++) {
    const c = value[i]
    if (c === '"') inQuotes = !inQuotes
    else if (c === ',' && !inQuotes) {
      comma = i
      break
    }
  }
  const head = comma >= 0 ? value.slice(0, comma) : value
  const display = comma >= 0 ? value.slice(comma + 1) : ''
  const seconds = Number.parseFloat(head.trim().split(/\s+/)[0] ?? '')
  return {
    durationMs: Number.isFinite(seconds) && seconds > 0 ? Math.round(seconds * 1000) : null,
    display,
  }
}

/** Writes extended M3U8 (UTF-8). Tracks without a source cannot be represented and are skipped. */
export function writeM3u8(
  name: string,
  tracks: TrackFields[],
): { content: string; skipped: number; fileName: string } {
  const lines = ['#EXTM3U', `#PLAYLIST:${oneLine(name)}`]
  let skipped = 0
  for (const t of tracks) {
    if (!t.source) {
      skipped++
      continue
    }
    const seconds = t.durationMs === null ? -1 : Math.round(t.durationMs / 1000)
    lines.push(`#EXTINF:${seconds},${oneLine(joinDisplay(t))}`)
    if (t.album) lines.push(`#EXTALB:${oneLine(t.album)}`)
    lines.push(oneLine(t.source))
  }
  return { content: `${lines.join('\n')}\n`, skipped, fileName: fileNameFor(name, '.m3u8') }
}

function oneLine(text: string): string {
  return text.replace(/[\r\n]+/g, ' ')
}
