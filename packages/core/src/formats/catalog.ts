/**
 * The formats WhatNext reads and writes, without the parsers: cheap to import from UI
 * code (menus, file pickers) without pulling parser libraries into the page.
 */

/** Formats WhatNext imports. */
export type ImportFormat = 'm3u' | 'pls' | 'xspf' | 'jspf' | 'asx' | 'csv' | 'markdown'

/** Import format by file extension (lower-case, with the dot); used when content does not tell. */
export const BY_EXTENSION: Record<string, ImportFormat> = {
  '.m3u': 'm3u',
  '.m3u8': 'm3u',
  '.pls': 'pls',
  '.xspf': 'xspf',
  '.jspf': 'jspf',
  '.json': 'jspf',
  '.asx': 'asx',
  '.wax': 'asx',
  '.wvx': 'asx',
  '.csv': 'csv',
  '.md': 'markdown',
  '.markdown': 'markdown',
}

/** File extensions the importer accepts (for file pickers). */
export const IMPORT_EXTENSIONS: readonly string[] = Object.keys(BY_EXTENSION)

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
