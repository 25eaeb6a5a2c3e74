/**
 * The contract of a parse worker: CPU-heavy reading of playlist files runs in a worker
 * pool (see `createWorkerPool`), so a big or hostile file never stalls the engine, and a
 * parser that hangs or crashes is replaced while the engine carries on. The parser
 * validated every track on the way in; the engine checks the answer's shape.
 */
import * as z from 'zod/mini'
import { request } from '../bus/contract.ts'
import { LIMITS, isTrackFieldsShape } from '../model/schemas.ts'
import type { ParsedPlaylist } from './index.ts'

/** Shape check of a parse result crossing back from a parse worker. */
export function isParsedPlaylist(value: unknown): value is ParsedPlaylist {
  if (typeof value !== 'object' || value === null) return false
  const p = value as Record<string, unknown>
  const optionalString = (v: unknown) => v === undefined || typeof v === 'string'
  return (
    typeof p.format === 'string' &&
    typeof p.encoding === 'string' &&
    optionalString(p.name) &&
    optionalString(p.description) &&
    Array.isArray(p.tracks) &&
    p.tracks.every(isTrackFieldsShape) &&
    Array.isArray(p.warnings) &&
    p.warnings.every(
      (w: unknown) =>
        typeof w === 'object' &&
        w !== null &&
        typeof (w as { message?: unknown }).message === 'string',
    )
  )
}

/** What a parse worker serves. */
export const parseContract = {
  'parse/playlist': request(
    z.object({
      fileName: z.string().check(z.minLength(1), z.maxLength(1000)),
      bytes: z.instanceof(Uint8Array).check(
        z.refine((b) => b.byteLength <= LIMITS.importBytes, {
          message: `over the import limit of ${LIMITS.importBytes / 1048576} MB`,
        }),
      ),
    }),
    z.custom<ParsedPlaylist>(isParsedPlaylist, 'Invalid parse result'),
    // A 50 MB file parses in a few seconds; a parser still busy after this is hung.
    { timeoutMs: 60_000 },
  ),
} as const

/** The parse contract's type. */
export type ParseContract = typeof parseContract
