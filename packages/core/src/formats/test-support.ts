/**
 * Helpers for the format tests (not exported from the package): text to bytes in the
 * encodings players write, and catching the error an import throws.
 */
import { parsePlaylist, type ParsedPlaylist, type ParseOptions } from './index.ts'

/** UTF-8 bytes of `text`, with a BOM if asked. */
export function utf8(text: string, bom = false): Uint8Array {
  const body = new TextEncoder().encode(text)
  if (!bom) return body
  const out = new Uint8Array(body.length + 3)
  out.set([0xef, 0xbb, 0xbf])
  out.set(body, 3)
  return out
}

/** UTF-16 bytes of `text` with a BOM, little- or big-endian. */
export function utf16(text: string, endian: 'le' | 'be'): Uint8Array {
  const out = new Uint8Array(2 + text.length * 2)
  out.set(endian === 'le' ? [0xff, 0xfe] : [0xfe, 0xff])
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i)
    const [lo, hi] = [code & 0xff, code >> 8]
    out[2 + i * 2] = endian === 'le' ? lo : hi
    out[3 + i * 2] = endian === 'le' ? hi : lo
  }
  return out
}

/** Windows-1252 bytes of Latin-1 `text` (every char below U+0100). */
export function latin1(text: string): Uint8Array {
  return Uint8Array.from(text, (c) => c.charCodeAt(0))
}

/** Parses `content` (text is UTF-8 encoded) as the file `fileName`. */
export function parseText(
  fileName: string,
  content: string | Uint8Array,
  options?: ParseOptions,
): ParsedPlaylist {
  return parsePlaylist(typeof content === 'string' ? utf8(content) : content, fileName, options)
}

/** Runs `fn`, which must throw, and returns what it threw. */
export function thrown(fn: () => unknown): Error & { details?: Record<string, unknown> } {
  let result: unknown
  try {
    result = fn()
  } catch (error) {
    return error as Error
  }
  throw new Error(`expected an error, got ${JSON.stringify(result)?.slice(0, 200)}`)
}
