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
import { detectFormat, type ImportFormat } from './detect.ts'
import { parseJspf, writeJspf } from './jspf.ts'
import { parseM3u, writeM3u8 } from './m3u.ts'
import { parseMarkdown, writeMarkdown } from './markdown.ts'
import { parsePls, writePls } from './pls.ts'
import { fail, type ImportWarning } from './shared.ts'
import { parseXspf, writeXspf } from './xspf.ts'

export { decodeText } from './decode.ts'
export { IMPORT_EXTENSIONS, detectFormat, type ImportFormat } from './detect.ts'
export { formatDuration, parseDuration, type ImportWarning } from './shared.ts'

/** Formats WhatNext exports. */
export type ExportFormat = 'm3u8' | 'pls' | 'xspf' | 'jspf' | 'csv' | 'markdown'

/** Export formats with their labels, as menus show them. */
export const EXPORT_FORMATS: readonly {
  format: ExportFormat
  label: string
  extension: string
  mimeType: string
}[] = [
  { format: 'm3u8', label: 'M3U8', extension: '.m3u8', mimeType: 'audio/x-mpegurl' },
  { format: 'pls', label: 'PLS', extension: '.pls', mimeType: 'audio/x-scpls' },
  { format: 'xspf', label: 'XSPF', extension: '.xspf', mimeType: 'application/xspf+xml' },
  { format: 'jspf', label: 'JSPF', extension: '.jspf', mimeType: 'application/jspf+json' },
  { format: 'csv', label: 'CSV', extension: '.csv', mimeType: 'text/csv' },
  { format: 'markdown', label: 'Markdown', extension: '.md', mimeType: 'text/markdown' },
]

/** A parsed playlist file. */
export interface ParsedPlaylist {
  format: ImportFormat
  name?: string
  description?: string
  tracks: TrackFields[]
  warnings: ImportWarning[]
  encoding: string
}

/** Options of {@link parsePlaylist}. */
export interface ParseOptions {
  /** Largest file accepted (default `LIMITS.importBytes`). */
  maxBytes?: number
  /** Called with a growing fraction 0..1 while large files are read. */
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
      `${fileName} is ${(bytes.byteLength / 1048576).toFixed(1)} MB; the import limit is ${(maxBytes / 1048576).toFixed(0)} MB`,
      { fileName, limitBytes: maxBytes },
    )
  }
  const { text, encoding } = decodeText(bytes)
  if (!text.trim()) fail(fileName, 'is empty')
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
    fail(fileName, 'contains no tracks', first?.line)
  }
  progress?.(1)
  return { format, encoding, ...result }
}

/** A playlist to export. */
export interface ExportablePlaylist {
  name: string
  description: string
  tracks: TrackFields[]
}

/** An exported file. `skipped` counts tracks the format cannot hold (no location in M3U/PLS). */
export interface ExportedFile {
  fileName: string
  mimeType: string
  content: string
  skipped: number
}

/** Writes `playlist` in `format`. */
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
