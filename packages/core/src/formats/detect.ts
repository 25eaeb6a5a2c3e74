/**
 * Format detection: content first (a `.php` that holds XSPF is XSPF; a `.m3u` that holds
 * `[playlist]` is PLS), the file name's extension second. Binary files, web pages and
 * prose are refused with a message that says what WhatNext can read.
 */
import { BY_EXTENSION, type ImportFormat } from './catalog.ts'
import { fail } from './shared.ts'

const READABLE = 'M3U/M3U8, PLS, XSPF, JSPF, ASX/WAX/WVX, CSV or Markdown'

/** Detects the format of `text` read from `fileName`; throws ImportError if it is none we read. */
export function detectFormat(fileName: string, text: string): ImportFormat {
  const head = text.slice(0, 4096)
  // Text formats never hold these; a NUL or other C0 control means a binary file. (SUB,
  // 0x1A, is allowed: DOS editors ended text files with it.)
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0008\u000e-\u0019\u001b-\u001f]/.test(head)) {
    fail(fileName, `it is a binary file, not a playlist. WhatNext reads ${READABLE} files`)
  }
  const lower = head.trimStart().toLowerCase()
  const extension = /\.[^./\\]+$/.exec(fileName.toLowerCase())?.[0] ?? ''
  const byExtension = BY_EXTENSION[extension]

  if (lower.startsWith('<')) {
    if (/<([\w-]+:)?playlist[\s>/]/i.test(head)) return 'xspf'
    if (/<asx[\s>/]/i.test(head)) return 'asx'
    if (/^<(!doctype html|html)[\s>]/.test(lower)) {
      fail(fileName, `it is a web page, not a playlist. WhatNext reads ${READABLE} files`)
    }
    // Some other XML: let the reader its extension names explain what is missing.
    if (byExtension === 'xspf' || byExtension === 'asx') return byExtension
    fail(fileName, `it is an XML document but not an XSPF or ASX playlist`, 1)
  }
  if (lower.startsWith('{')) return 'jspf'
  if (/^\[playlist\]/.test(lower)) return 'pls'
  // A top-level JSON array is not JSPF, but its reader says so better than "unknown".
  if (lower.startsWith('[') && byExtension === 'jspf') return 'jspf'
  if (lower.startsWith('---')) return 'markdown'
  if (lower.startsWith('#extm3u') || /^[ \t]*#extinf:/im.test(head)) return 'm3u'
  if (byExtension) return byExtension
  fail(
    fileName,
    `${extension ? `"${extension}" files are` : 'this file is'} not a playlist format WhatNext can read. It reads ${READABLE} files`,
  )
}
