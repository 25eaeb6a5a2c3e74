/**
 * M3U and M3U8: plain lists of paths/URLs, or extended (`#EXTM3U`, `#EXTINF`). Every
 * non-empty line that does not start with `#` is one entry. Directives between an
 * `#EXTINF` and its path (`#EXTVLCOPT`, plain `# comments`, `#EXTALB`, `#EXTART`,
 * `#EXTGENRE`) belong to that next entry only. HLS media playlists read as plain M3U.
 */
import type { TrackFields } from '../model/schemas.ts'
import {
  TrackCollector,
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

interface Pending {
  durationMs: number | null
  display: string
  line: number
}

/** Reads M3U/M3U8 text. Never fails: a file without entries yields no tracks. */
export function parseM3u(text: string, onProgress?: ProgressCallback): ReadResult {
  const lines = splitLines(text)
  const out = new TrackCollector(onProgress)
  let name: string | undefined
  let info: Pending | null = null
  let album = ''
  let artist = ''
  let tags: string[] = []

  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim()
    if (!line) continue
    const lineNo = i + 1
    if (line.charCodeAt(0) === 35 /* # */) {
      const colon = line.indexOf(':')
      const directive = (colon > 0 ? line.slice(0, colon) : line).toUpperCase()
      const value = colon > 0 ? line.slice(colon + 1).trim() : ''
      switch (directive) {
        case '#EXTINF':
          if (info) out.warn(`#EXTINF on line ${info.line} has no path; ignored`, info.line)
          info = parseExtinf(value, lineNo)
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
          tags = tags.concat(value.split(/[,;]/))
          break
        default:
          break // #EXTM3U, #EXTVLCOPT, #EXT-X-*, #EXTALBUMARTURL, comments: not entries
      }
      continue
    }
    out.add(entry(line, info, album, artist, tags), lineNo)
    out.progress(i, lines.length)
    info = null
    album = ''
    artist = ''
    tags = []
  }
  if (info) out.warn(`#EXTINF on line ${info.line} has no path; ignored`, info.line)
  return out.result(name)
}

function entry(line: string, info: Pending | null, album: string, artist: string, tags: string[]) {
  let title = ''
  let artists: string[] = []
  if (info) {
    if (artist) {
      // #EXTART names the artist; drop it from "Artist - Title" if the display repeats it.
      const prefix = `${artist} - `
      title = info.display.startsWith(prefix) ? info.display.slice(prefix.length) : info.display
      artists = [artist]
    } else {
      const split = splitDisplay(info.display)
      title = split.title
      artists = split.artists
    }
  } else if (artist) {
    artists = [artist]
  }
  return {
    title,
    artists,
    album,
    durationMs: info?.durationMs ?? null,
    source: normalizeSource(line),
    tags,
  }
}

/** `#EXTINF:<seconds>[ key="value" …],<display>`; commas inside quotes are not the separator. */
function parseExtinf(value: string, line: number): Pending {
  let inQuotes = false
  let comma = -1
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i)
    if (c === 34 /* " */) inQuotes = !inQuotes
    else if (c === 44 /* , */ && !inQuotes) {
      comma = i
      break
    }
  }
  // An unbalanced quote must not swallow the separator: fall back to the first comma.
  if (comma < 0) comma = value.indexOf(',')
  // parseFloat stops at the first space, before any attributes.
  return {
    durationMs: secondsToMs(comma >= 0 ? value.slice(0, comma) : value),
    display: comma >= 0 ? value.slice(comma + 1).trim() : '',
    line,
  }
}

/**
 * Writes extended M3U8 (UTF-8). M3U has no place for a track without a path, nor for
 * notes or tags: such tracks are left out and counted in `skipped`.
 */
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
    // Readers split "Artist - Title" at the first " - ", and trim "Artist - " to
    // "Artist -": #EXTART says exactly where the artists end.
    const artists = t.artists.join(', ')
    if (artists && (!t.title || artists.includes(' - '))) lines.push(`#EXTART:${oneLine(artists)}`)
    const display = t.title ? oneLine(joinDisplay(t)) : ''
    lines.push(`#EXTINF:${msToSeconds(t.durationMs)},${display}`)
    if (t.album) lines.push(`#EXTALB:${oneLine(t.album)}`)
    lines.push(t.source)
  }
  return { content: `${lines.join('\n')}\n`, skipped, fileName: fileNameFor(name, '.m3u8') }
}
