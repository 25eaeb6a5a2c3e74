/**
 * Playlist files in and out: M3U/M3U8, PLS, XSPF, JSPF, ASX (import only), CSV and
 * Markdown with YAML front matter. Import decodes any common encoding, detects the
 * format from content, and either returns every track or throws an `ImportError`
 * that names the file and line — never a partial playlist.
 *
 * @example
 * ```ts
 * const parsed = parsePlaylist(bytes, 'mix.m3u')
 * const file = exportPlaylist({ name, description, tracks }, 'xspf')
 * ```
 */
import { PayloadTooLargeError } from '../errors.ts'
import { LIMITS, type TrackFields } from '../model/schemas.ts'
import { parseAsx } from './asx.ts'
import { parseCsv, writeCsv } from './csv.ts'
import { decodeText } from './decode.ts'
import { EXPORT_FORMATS, type ExportFormat, type ImportFormat } from './catalog.ts'
import { detectFormat } from './detect.ts'
import { parseJspf, writeJspf } from './jspf.ts'
import { parseM3u, writeM3u8 } from './m3u.ts'
import { parseMarkdown, writeMarkdown } from './markdown.ts'
import { parsePls, writePls } from './pls.ts'
import { fail, type ImportWarning } from './shared.ts'
import { parseXspf, writeXspf } from './xspf.ts'

export { decodeText } from './decode.ts'
export {
  EXPORT_FORMATS,
  IMPORT_EXTENSIONS,
  type ExportFormat,
  type ImportFormat,
} from './catalog.ts'
export { detectFormat } from './detect.ts'
export { formatDuration, parseDuration, type ImportWarning } from './shared.ts'
export { WHATNEXT_NS } from './xspf.ts'

/** A parsed playlist file. */
export interface ParsedPlaylist {
  /** The format the content was read as (detected from content first, then extension). */
  format: ImportFormat
  /** The playlist's own title, if the file has one. */
  name?: string
  description?: string
  /** Normalised tracks, each valid per `TrackFieldsSchema`, in file order. */
  tracks: TrackFields[]
  /** What was worked around: skipped entries, cut fields, count mismatches. */
  warnings: ImportWarning[]
  /** 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252'. */
  encoding: string
}

/** Options of {@link parsePlaylist}. */
export interface ParseOptions {
  /** Largest file accepted (default `LIMITS.importBytes`). */
  maxBytes?: number
  /** Called with a growing fraction 0..1 while the file is read (every ~500 entries), and 1 at the end. */
  onProgress?: (fraction: number) => void
}

/** Reads a playlist file. Throws `ImportError` or `PayloadTooLargeError`; never returns partial data. */
export function parsePlaylist(
  bytes: Uint8Array,
  fileName: string,
  options: ParseOptions = {},
): ParsedPlaylist {
  const maxBytes = options.maxBytes ?? LIMITS.importBytes
  if (bytes.byteLength > maxBytes) {
    throw new PayloadTooLargeError(
      `Cannot import ${fileName}: it is ${formatBytes(bytes.byteLength)}, larger than the ${formatBytes(maxBytes)} a playlist file may be`,
      { fileName, bytes: bytes.byteLength, limitBytes: maxBytes },
    )
  }
  const { text, encoding } = decodeText(bytes)
  if (!text.trim()) fail(fileName, 'the file is empty')
  const format = detectFormat(fileName, text)
  const progress = options.onProgress
  const result = (() => {
    switch (format) {
      case 'm3u':
        return parseM3u(text, progress)
      case 'pls':
        return parsePls(text, fileName, progress)
      case 'xspf':
        return parseXspf(text, fileName, progress)
      case 'jspf':
        return parseJspf(text, fileName, progress)
      case 'asx':
        return parseAsx(text, fileName, progress)
      case 'csv':
        return parseCsv(text, fileName, progress)
      case 'markdown':
        return parseMarkdown(text, fileName, progress)
    }
  })()
  if (result.tracks.length === 0) {
    const first = result.warnings.find((w) => w.line !== undefined)
    fail(fileName, `it contains no tracks${first ? `: ${first.message}` : ''}`, first?.line)
  }
  progress?.(1)
  return { format, encoding, ...result }
}

function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${+(n / 1048576).toFixed(1)} MB`
  if (n >= 1024) return `${+(n / 1024).toFixed(1)} KB`
  return `${n} bytes`
}

/** A playlist to export. */
export interface ExportablePlaylist {
  name: string
  description: string
  tracks: TrackFields[]
}

/** An exported file. */
export interface ExportedFile {
  /** A safe file name from the playlist name, with the format's extension. */
  fileName: string
  mimeType: string
  content: string
  /**
   * Tracks the format cannot hold and that were left out: M3U and PLS entries are
   * paths, so a track without a source has no place there. 0 for every other format.
   */
  skipped: number
}

/**
 * Writes `playlist` in `format`. XSPF, JSPF, CSV and Markdown keep every field; M3U8
 * keeps source, duration (whole seconds), "Artists - Title" and album; PLS keeps source,
 * duration and "Artists - Title". Output is deterministic.
 */
export function exportPlaylist(playlist: ExportablePlaylist, format: ExportFormat): ExportedFile {
  const { name, description, tracks } = playlist
  const mimeType = EXPORT_FORMATS.find((f) => f.format === format)!.mimeType
  switch (format) {
    case 'm3u8':
      return { mimeType, ...writeM3u8(name, tracks) }
    case 'pls':
      return { mimeType, ...writePls(name, tracks) }
    case 'xspf':
      return { mimeType, skipped: 0, ...writeXspf(name, description, tracks) }
    case 'jspf':
      return { mimeType, skipped: 0, ...writeJspf(name, description, tracks) }
    case 'csv':
      return { mimeType, skipped: 0, ...writeCsv(name, tracks) }
    case 'markdown':
      return { mimeType, skipped: 0, ...writeMarkdown(name, description, tracks) }
  }
}
