/**
 * Format detection: content first (a `.php` that holds XSPF is XSPF), the file name's
 * extension second. Binary files and prose are refused with a message that says what
 * WhatNext can read.
 */
import { fail } from './shared.ts'

/** Formats WhatNext imports. */
export type ImportFormat = 'm3u' | 'pls' | 'xspf' | 'jspf' | 'asx' | 'csv' | 'markdown'

const BY_EXTENSION: Record<string, ImportFormat> = {
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

/** Detects the format of `text` read from `fileName`; throws ImportError if it is none we read. */
export function detectFormat(fileName: string, text: string): ImportFormat {
  const head = text.slice(0, 4096)
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0008\u000e-\u001a]/.test(head)) fail(fileName, 'is a binary file, not a playlist')
  const start = head.trimStart()
  const lower = start.toLowerCase()
  const extension = /\.[^./\\]+$/.exec(fileName.toLowerCase())?.[0] ?? ''
  if (lower.startsWith('<')) {
    if (/<(\w+:)?playlist[\s>]/i.test(head)) return 'xspf'
    if (/<asx[\s>]/i.test(head)) return 'asx'
  }
  if (
    lower.startsWith('{') ||
    (lower.startsWith('[') && extension !== '.pls' && !lower.startsWith('[playlist]'))
  ) {
    return 'jspf'
  }
  if (lower.startsWith('[playlist]')) return 'pls'
  if (lower.startsWith('#extm3u') || /^#extinf:/im.test(head)) return 'm3u'
  if (lower.startsWith('---')) return 'markdown'
  const byExtension = BY_EXTENSION[extension]
  if (byExtension) return byExtension
  fail(
    fileName,
    'is not a playlist format WhatNext can read (M3U/M3U8, PLS, XSPF, JSPF, ASX, CSV or Markdown)',
  )
}
