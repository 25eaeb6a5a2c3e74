/**
 * Helpers every format shares: line splitting, durations, XML escaping, file names, and
 * the lenient track builder that turns whatever a file holds into valid track fields
 * (over-long values are cut with a warning instead of failing a whole import).
 */
import { ImportError } from '../errors.ts'
import { LIMITS, emptyTrackFields, type TrackFields } from '../model/schemas.ts'

/** Something the importer noticed but could work around. */
export interface ImportWarning {
  line?: number
  message: string
}

/** Splits on LF, CRLF or lone CR. */
export function splitLines(text: string): string[] {
  return text.split(/\r\n|\r|\n/)
}

/** Offsets of line starts, for turning a character index into a 1-based line. */
export function lineIndex(text: string): (offset: number) => number {
  const starts = [0]
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) starts.push(i + 1)
  }
  return (offset) => {
    let lo = 0
    let hi = starts.length - 1
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1
      if (starts[mid]! <= offset) lo = mid
      else hi = mid - 1
    }
    return lo + 1
  }
}

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g

/** Raw values a parser found for one entry. */
export interface RawTrack {
  title?: string | undefined
  artists?: (string | undefined)[] | undefined
  album?: string | undefined
  durationMs?: number | null | undefined
  source?: string | undefined
  notes?: string | undefined
  tags?: (string | undefined)[] | undefined
}

/** Collects tracks and warnings while a file is parsed. */
export class TrackCollector {
  readonly tracks: TrackFields[] = []
  readonly warnings: ImportWarning[] = []

  constructor(
    private readonly onProgress?: (fraction: number) => void,
    private readonly expected = 0,
  ) {}

  warn(message: string, line?: number) {
    if (this.warnings.length < 1000)
      this.warnings.push(line === undefined ? { message } : { line, message })
  }

  /** Adds one entry, cleaned to the model's limits. Returns false if it had nothing usable. */
  add(raw: RawTrack, line?: number): boolean {
    const base = emptyTrackFields()
    const clip = (value: string | undefined, max: number, what: string, singleLine = true) => {
      if (!value) return ''
      let v = value.replace(CONTROL, '')
      if (singleLine) v = v.replace(/[\r\n]+/g, ' ')
      v = v.trim()
      if (v.length > max) {
        this.warn(`${what} cut to ${max} characters`, line)
        v = v.slice(0, max)
      }
      return v
    }
    const list = (
      values: (string | undefined)[] | undefined,
      max: number,
      maxItems: number,
      what: string,
    ) => {
      const out = [...new Set((values ?? []).map((v) => clip(v, max, what)).filter(Boolean))]
      if (out.length > maxItems) {
        this.warn(`Only the first ${maxItems} ${what.toLowerCase()}s kept`, line)
        out.length = maxItems
      }
      return out
    }
    let durationMs = raw.durationMs ?? null
    if (durationMs !== null && (!Number.isFinite(durationMs) || durationMs <= 0)) durationMs = null
    if (durationMs !== null && durationMs > LIMITS.durationMs) {
      this.warn('Duration longer than a week ignored', line)
      durationMs = null
    }
    const track: TrackFields = {
      ...base,
      title: clip(raw.title, LIMITS.titleChars, 'Title'),
      artists: list(raw.artists, LIMITS.artistChars, LIMITS.artistsPerTrack, 'Artist'),
      album: clip(raw.album, LIMITS.albumChars, 'Album'),
      durationMs: durationMs === null ? null : Math.round(durationMs),
      source: clip(raw.source, LIMITS.sourceChars, 'Source'),
      notes: clip(raw.notes, LIMITS.notesChars, 'Notes', false),
      tags: list(raw.tags, LIMITS.tagChars, LIMITS.tagsPerTrack, 'Tag'),
    }
    if (!track.title && !track.source) {
      this.warn('Entry without a title or a location skipped', line)
      return false
    }
    this.tracks.push(track)
    if (this.onProgress && this.tracks.length % 1000 === 0) {
      this.onProgress(this.expected > 0 ? Math.min(0.99, this.tracks.length / this.expected) : 0.5)
    }
    return true
  }
}

/** Fails an import, naming the file and (where known) the line. */
export function fail(fileName: string, message: string, line?: number, column?: number): never {
  const where =
    line === undefined ? '' : ` (line ${line}${column === undefined ? '' : `, column ${column}`})`
  throw new ImportError(`${fileName}: ${message}${where}`, {
    fileName,
    ...(line === undefined ? {} : { line }),
    ...(column === undefined ? {} : { column }),
  })
}

/** `file://` URIs become decoded paths; everything else is kept as written. */
export function normalizeSource(location: string): string {
  const trimmed = location.trim()
  if (/^file:\/\//i.test(trimmed)) {
    try {
      const path = decodeURIComponent(trimmed.replace(/^file:\/\/(localhost)?/i, ''))
      return /^\/[A-Za-z]:[\\/]/.test(path) ? path.slice(1) : path
    } catch {
      return trimmed
    }
  }
  return trimmed
}

/** "Artist - Title" → parts; no separator → the whole text is the title. */
export function splitDisplay(display: string): { title: string; artists: string[] } {
  const text = display.trim()
  const at = text.indexOf(' - ')
  if (at <= 0) return { title: text, artists: [] }
  return { title: text.slice(at + 3).trim(), artists: [text.slice(0, at).trim()] }
}

/** The display text M3U and PLS carry: "Artist, Artist - Title". */
export function joinDisplay(track: TrackFields): string {
  const artists = track.artists.join(', ')
  return artists ? `${artists} - ${track.title}` : track.title
}

/** Last path segment without extension, percent-decoded: a title for a bare path. */
export function titleFromSource(source: string): string {
  const last = source.split(/[\\/]/).filter(Boolean).pop() ?? ''
  const dot = last.lastIndexOf('.')
  const stem = dot > 0 ? last.slice(0, dot) : last
  try {
    return decodeURIComponent(stem)
  } catch {
    return stem
  }
}

/** `m:ss` or `h:mm:ss`. */
export function formatDuration(ms: number): string {
  const total = Math.round(ms / 1000)
  const h = Math.floor(total / 3600)
  const m = Math.floor((total % 3600) / 60)
  const s = total % 60
  return h > 0
    ? `${h}:${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}`
    : `${m}:${String(s).padStart(2, '0')}`
}

/** Parses `m:ss`, `h:mm:ss` or plain seconds into ms; `null` if empty or unreadable. */
export function parseDuration(text: string | undefined): number | null {
  const t = (text ?? '').trim()
  if (!t) return null
  if (/^\d+(\.\d+)?$/.test(t)) return Math.round(Number(t) * 1000)
  const m = /^(?:(\d+):)?(\d{1,2}):(\d{1,2}(?:\.\d+)?)$/.exec(t)
  if (!m) return null
  return Math.round(((Number(m[1] ?? 0) * 60 + Number(m[2])) * 60 + Number(m[3])) * 1000)
}

/** Escapes text for XML content and attributes. */
export function xmlEscape(text: string): string {
  return text.replace(
    /[<>&"']/g,
    (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!,
  )
}

/** A file name from a playlist name: safe on every OS, never empty. */
export function fileNameFor(name: string, extension: string): string {
  const safe = name
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f<>:"/\\|?*]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^\.+|\.+$/g, '')
    .slice(0, 120)
  return `${safe || 'playlist'}${extension}`
}
