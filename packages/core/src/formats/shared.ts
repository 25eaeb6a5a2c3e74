/**
 * Helpers every format shares: line splitting, line numbers, durations, XML escaping,
 * path ↔ URI conversion, file names, and the lenient track builder that turns whatever
 * a file holds into valid track fields (over-long values are cut with a warning instead
 * of failing a whole import).
 */
import { ImportError } from '../errors.ts'
import { LIMITS, normalizeTrackInput, type TrackFields, type TrackInput } from '../model/schemas.ts'

export { formatDuration, parseDuration } from '../model/duration.ts'

/** Something the importer noticed but could work around. */
export interface ImportWarning {
  /** 1-based line in the file, where known. */
  line?: number
  message: string
}

/** What every format's reader returns (the caller adds `format` and `encoding`). */
export interface ReadResult {
  name?: string
  description?: string
  tracks: TrackFields[]
  warnings: ImportWarning[]
}

/** Progress callback: a growing fraction 0..1. */
export type ProgressCallback = (fraction: number) => void

/** Splits on LF, CRLF or lone CR. */
export function splitLines(text: string): string[] {
  return text.split(/\r\n|\r|\n/)
}

/** Returns a function from a character offset to its 1-based line (LF, CRLF or CR). */
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
// eslint-disable-next-line no-control-regex
const HAS_CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/
const HAS_BREAK = /[\r\n]/
const BREAKS = /\s*[\r\n]+\s*/g
const MAX_WARNINGS = 1000
/** Progress is reported at least this often (in entries). */
const PROGRESS_EVERY = 500

/** Raw values a parser found for one entry; anything may be missing or too long. */
export interface RawTrack {
  title?: string | undefined
  artists?: (string | undefined)[] | undefined
  album?: string | undefined
  durationMs?: number | null | undefined
  source?: string | undefined
  notes?: string | undefined
  tags?: (string | undefined)[] | undefined
}

/**
 * Collects tracks and warnings while a file is read. {@link TrackCollector.add} is the
 * lenient field normaliser: it removes control characters, folds line breaks in
 * single-line fields, cuts over-long values to {@link LIMITS} with a warning, and drops
 * only entries with neither a title nor a source.
 */
export class TrackCollector {
  readonly tracks: TrackFields[] = []
  readonly warnings: ImportWarning[] = []
  private seen = 0
  private lastFraction = 0
  private readonly onProgress: ProgressCallback | undefined
  private readonly expected: number

  /** `expected` is how many entries the reader will offer (for progress fractions). */
  constructor(onProgress?: ProgressCallback, expected = 0) {
    // Plain fields, not parameter properties: Node's type stripping runs this file as is.
    this.onProgress = onProgress
    this.expected = expected
  }

  /** Records a warning (the first {@link MAX_WARNINGS} are kept). */
  warn(message: string, line?: number): void {
    if (this.warnings.length < MAX_WARNINGS)
      this.warnings.push(line === undefined ? { message } : { line, message })
  }

  /** Adds one entry, cleaned to the model's limits. Returns false if it had nothing usable. */
  add(raw: RawTrack, line?: number): boolean {
    this.seen++
    if (this.onProgress && this.seen % PROGRESS_EVERY === 0) this.progress(this.seen)
    let durationMs = raw.durationMs ?? null
    if (durationMs !== null && !(durationMs > 0)) durationMs = null // NaN, 0, negative
    if (durationMs !== null && durationMs > LIMITS.durationMs) {
      this.warn('Duration longer than a week ignored', line)
      durationMs = null
    }
    const input: TrackInput = {
      title: this.clip(raw.title, LIMITS.titleChars, 'Title', line),
      artists: this.list(raw.artists, LIMITS.artistChars, LIMITS.artistsPerTrack, 'Artist', line),
      album: this.clip(raw.album, LIMITS.albumChars, 'Album', line),
      durationMs: durationMs === null ? null : Math.round(durationMs),
      source: this.clip(raw.source, LIMITS.sourceChars, 'Source', line),
      notes: this.clip(raw.notes, LIMITS.notesChars, 'Notes', line, false),
      tags: this.list(raw.tags, LIMITS.tagChars, LIMITS.tagsPerTrack, 'Tag', line),
    }
    if (!input.title && !input.source) {
      this.warn('Entry without a title or a location skipped', line)
      return false
    }
    // The cleaning above satisfies every rule of TrackInputSchema (the tests check all
    // fixtures' tracks against it); running zod per entry would double the parse time.
    this.tracks.push(normalizeTrackInput(input))
    return true
  }

  private clip(
    value: string | undefined,
    max: number,
    what: string,
    line: number | undefined,
    singleLine = true,
  ): string {
    if (!value) return ''
    let v = value
    // Test before replacing: almost every value is clean, and test() allocates nothing.
    if (HAS_CONTROL.test(v)) v = v.replace(CONTROL, '')
    if (singleLine) {
      if (HAS_BREAK.test(v)) v = v.replace(BREAKS, ' ')
      v = v.trim()
    }
    if (v.length > max) {
      this.warn(`${what} cut to ${max} characters`, line)
      v = cut(v, max)
    }
    return v
  }

  private list(
    values: RawTrack['artists'],
    max: number,
    maxItems: number,
    what: string,
    line: number | undefined,
  ): string[] {
    const out: string[] = []
    for (const value of values ?? []) {
      const v = this.clip(value, max, what, line)
      if (v) out.push(v)
    }
    if (out.length > maxItems) {
      this.warn(`Only the first ${maxItems} ${what.toLowerCase()}s kept`, line)
      out.length = maxItems
    }
    return out
  }

  /** Reports progress as `done` of `expected` (or of `total` if given), never going back. */
  progress(done: number, total = this.expected): void {
    if (!this.onProgress || total <= 0) return
    const fraction = Math.min(0.99, done / total)
    if (fraction > this.lastFraction) {
      this.lastFraction = fraction
      this.onProgress(fraction)
    }
  }

  /** The collected playlist, with name and description if the file had them. */
  result(name?: string, description?: string): ReadResult {
    return {
      ...(name?.trim() ? { name: name.trim() } : {}),
      ...(description?.trim() ? { description: description.trim() } : {}),
      tracks: this.tracks,
      warnings: this.warnings,
    }
  }
}

/** Cuts `text` to at most `max` UTF-16 units without splitting a surrogate pair. */
function cut(text: string, max: number): string {
  const code = text.charCodeAt(max - 1)
  return text.slice(0, code >= 0xd800 && code <= 0xdbff ? max - 1 : max)
}

/** Fails an import with a message that names the file and, where known, the line. */
export function fail(fileName: string, message: string, line?: number, column?: number): never {
  const where =
    line === undefined ? '' : ` (line ${line}${column === undefined ? '' : `, column ${column}`})`
  throw new ImportError(`Cannot import ${fileName}: ${message}${where}`, {
    fileName,
    ...(line === undefined ? {} : { line }),
    ...(column === undefined ? {} : { column }),
  })
}

/** `file://` URIs become decoded paths (as Navidrome does); everything else is kept as written. */
export function normalizeSource(location: string): string {
  const trimmed = location.trim()
  if (!/^file:\/\//i.test(trimmed)) return trimmed
  try {
    const path = decodeURIComponent(trimmed.replace(/^file:\/\/(localhost)?/i, ''))
    // file:///C:/x → C:/x ; file://server/share → //server/share (UNC)
    if (/^\/[A-Za-z]:[\\/]/.test(path)) return path.slice(1)
    return path.startsWith('/') ? path : `//${path}`
  } catch {
    return trimmed
  }
}

/**
 * The URI form of a source for formats whose locations are URIs (XSPF, JSPF): absolute
 * paths become `file://` URIs; URLs and relative references are kept, percent-encoded.
 */
export function sourceToUri(source: string): string {
  if (/^[a-z][a-z0-9+.-]*:/i.test(source) && !/^[A-Za-z]:[\\/]/.test(source)) return source
  const encode = (path: string) => encodeURI(path).replace(/[?#]/g, encodeURIComponent)
  if (/^[A-Za-z]:[\\/]/.test(source)) return `file:///${encode(source.replace(/\\/g, '/'))}`
  if (source.startsWith('/')) return `file://${encode(source)}`
  return encode(source)
}

/** "Artist - Title" → parts; without the separator the whole text is the title. */
export function splitDisplay(display: string): { title: string; artists: string[] } {
  const text = display.trim()
  const at = text.indexOf(' - ')
  if (at <= 0) return { title: text, artists: [] }
  return { title: text.slice(at + 3).trim(), artists: [text.slice(0, at).trim()] }
}

/** The display text M3U and PLS carry: "Artist, Artist - Title". */
export function joinDisplay(track: Pick<TrackFields, 'artists' | 'title'>): string {
  const artists = track.artists.join(', ')
  return artists ? `${artists} - ${track.title}` : track.title
}

/** Folds line breaks for single-line formats. */
export function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, ' ')
}

/** Parses a count of seconds (as M3U/PLS write it) into ms; `null` if absent or not positive. */
export function secondsToMs(text: string | undefined): number | null {
  const seconds = Number.parseFloat(text ?? '')
  return Number.isFinite(seconds) && seconds > 0 ? Math.round(seconds * 1000) : null
}

/** Whole seconds for M3U/PLS, `-1` for unknown. */
export function msToSeconds(durationMs: number | null): number {
  return durationMs === null ? -1 : Math.round(durationMs / 1000)
}

const XML_ESCAPES: Record<string, string> = {
  '<': '&lt;',
  '>': '&gt;',
  '&': '&amp;',
  '"': '&quot;',
  "'": '&apos;',
  '\r': '&#13;',
}

/** Escapes text for XML content and attributes (CR too, which XML readers would drop). */
export function xmlEscape(text: string): string {
  return text.replace(/[<>&"'\r]/g, (c) => XML_ESCAPES[c]!)
}

const RESERVED_WINDOWS_NAME = /^(con|prn|aux|nul|com\d|lpt\d)$/i

/** A file name from a playlist name: safe on Windows, macOS and Linux; never empty. */
export function fileNameFor(name: string, extension: string): string {
  let safe = name
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f<>:"/\\|?*]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^\.+|[. ]+$/g, '')
  safe = cut(safe, 120).trim()
  if (RESERVED_WINDOWS_NAME.test(safe)) safe = `${safe} playlist`
  return `${safe || 'playlist'}${extension}`
}
