/**
 * The contract of a parse worker: CPU-heavy reading of playlist files runs in a worker
 * pool (see `createWorkerPool`), so a big or hostile file never stalls the engine, and a
 * parser that hangs or crashes is replaced while the engine carries on. The parser
 * validated every track on the way in; the engine checks the answer's shape.
 */
import { z } from 'zod'
import { request } from '../bus/contract.ts'
import { LIMITS } from '../model/schemas.ts'
import type { ParsedPlaylist } from './index.ts'

const isString = (v: unknown): v is string => typeof v === 'string'
const isStringList = (v: unknown) => Array.isArray(v) && v.every(isString)

function isTrackFields(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false
  const t = value as Record<string, unknown>
  return (
    isString(t.title) &&
    isStringList(t.artists) &&
    isString(t.album) &&
    (t.durationMs === null || typeof t.durationMs === 'number') &&
    isString(t.source) &&
    isString(t.notes) &&
    isStringList(t.tags)
  )
}

/** Shape check of a parse result crossing back from a parse worker. */
export function isParsedPlaylist(value: unknown): value is ParsedPlaylist {
  if (typeof value !== 'object' || value === null) return false
  const p = value as Record<string, unknown>
  return (
    isString(p.format) &&
    isString(p.encoding) &&
    (p.name === undefined || isString(p.name)) &&
    (p.description === undefined || isString(p.description)) &&
    Array.isArray(p.tracks) &&
    p.tracks.every(isTrackFields) &&
    Array.isArray(p.warnings) &&
    p.warnings.every(
      (w: unknown) =>
        typeof w === 'object' && w !== null && isString((w as { message?: unknown }).message),
    )
  )
}

/** What a parse worker serves. */
export const parseContract = {
  'parse/playlist': request(
    z.object({
      fileName: z.string().min(1).max(1000),
      bytes: z.instanceof(Uint8Array).refine((b) => b.byteLength <= LIMITS.importBytes, {
        message: `over the import limit of ${LIMITS.importBytes / 1048576} MB`,
      }),
    }),
    z.custom<ParsedPlaylist>(isParsedPlaylist, 'Invalid parse result'),
    // A 50 MB file parses in a few seconds; a parser still busy after this is hung.
    { timeoutMs: 60_000 },
  ),
} as const

/** The parse contract's type. */
export type ParseContract = typeof parseContract
