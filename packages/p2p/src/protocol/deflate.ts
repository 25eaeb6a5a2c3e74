/**
 * Large updates travel compressed (UPDATE-DEFLATED): a playlist's Yjs update repeats its
 * field names for every track, and deflate makes a 10,000-track initial sync about a
 * fifth of its size, so it crosses a slow link sooner. The platform's own zlib does the
 * work (`CompressionStream`, in browsers, Node and Electron alike). Inflating is bounded:
 * a peer's "zip bomb" is cut off at the limit, never held whole.
 */
import { PayloadTooLargeError, ValidationError } from '@whatnext/core'

/** Input is fed to the inflater in slices this large: deflate expands at most ~1032:1. */
const SLICE = 16 * 1024

/** Whether this platform can compress (else updates go as they are). */
export const canDeflate = (): boolean =>
  typeof CompressionStream === 'function' && typeof DecompressionStream === 'function'

/** Compresses `bytes` (zlib format). */
export async function deflate(bytes: Uint8Array): Promise<Uint8Array> {
  // Blob copies the bytes (so shared memory is fine).
  const stream = new Blob([bytes as Uint8Array<ArrayBuffer>])
    .stream()
    .pipeThrough(new CompressionStream('deflate'))
  return new Uint8Array(await new Response(stream).arrayBuffer())
}

/**
 * Decompresses a peer's `bytes`: a `ValidationError` if they are not zlib data, a
 * `PayloadTooLargeError` as soon as the output passes `limit` bytes.
 */
export async function inflate(bytes: Uint8Array, limit: number): Promise<Uint8Array> {
  const stream = new DecompressionStream('deflate')
  const written = feed(stream.writable, bytes)
  const reader = stream.readable.getReader()
  const parts: Uint8Array[] = []
  let size = 0
  try {
    for (;;) {
      const { done, value } = await reader.read()
      if (done) break
      size += value.length
      if (size > limit) {
        await reader.cancel().catch(() => undefined)
        throw new PayloadTooLargeError(`Update inflates past ${limit} bytes`, { size, limit })
      }
      parts.push(value)
    }
  } catch (error) {
    if (error instanceof PayloadTooLargeError) throw error
    throw new ValidationError('Malformed compressed update')
  } finally {
    await written
  }
  const out = new Uint8Array(size)
  let at = 0
  for (const part of parts) {
    out.set(part, at)
    at += part.length
  }
  return out
}

/** Feeds `bytes` to a decompressor in slices, so its output can be cut off (see SLICE). */
async function feed(writable: WritableStream<BufferSource>, bytes: Uint8Array): Promise<void> {
  const writer = writable.getWriter()
  try {
    for (let at = 0; at < bytes.length; at += SLICE) {
      // A copy of each slice: the stream may not read shared memory.
      await writer.write(bytes.slice(at, Math.min(bytes.length, at + SLICE)))
    }
    await writer.close()
  } catch {
    // The reading side failed or was cancelled; it reports why.
    await writer.abort().catch(() => undefined)
  }
}
