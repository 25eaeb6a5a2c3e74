/**
 * The on-disk form of one document's CRDT update log: a sequence of records
 *
 * ```
 * magic "WNU1" (4) | position float64 LE (8) | length u32 LE (4) | crc32 u32 LE (4) | bytes
 * ```
 *
 * where the CRC covers position, length and bytes. Appends add a record and fdatasync; a
 * record cut short by a crash (or damaged) ends the log: everything before it is intact,
 * and nothing after it was ever acknowledged.
 *
 * PERSISTED FORMAT: changing the layout needs a new magic and a reader for the old one.
 */
import { crc32 } from 'node:zlib'

const MAGIC = 0x3155_4e57 // "WNU1" read as u32 LE
/** Bytes before each record's payload. */
export const HEADER_BYTES = 20

/** One decoded record. */
export interface LogRecord {
  position: number
  update: Uint8Array
}

/** Encodes one record. */
export function encodeRecord(position: number, update: Uint8Array): Buffer {
  const out = Buffer.allocUnsafe(HEADER_BYTES + update.byteLength)
  out.writeUInt32LE(MAGIC, 0)
  out.writeDoubleLE(position, 4)
  out.writeUInt32LE(update.byteLength, 12)
  out.set(update, HEADER_BYTES)
  const crc = crc32(out.subarray(HEADER_BYTES), crc32(out.subarray(4, 16)))
  out.writeUInt32LE(crc, 16)
  return out
}

/**
 * Decodes every complete, intact record of `bytes`. `used` is the length of that intact
 * prefix; `damage` says why decoding stopped early (null when the whole input was read).
 */
export function decodeRecords(bytes: Uint8Array): {
  records: LogRecord[]
  used: number
  damage: string | null
} {
  const view = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const records: LogRecord[] = []
  let at = 0
  while (at < view.length) {
    if (view.length - at < HEADER_BYTES)
      return { records, used: at, damage: 'a record header cut short' }
    if (view.readUInt32LE(at) !== MAGIC)
      return { records, used: at, damage: 'bytes that are not a record' }
    const position = view.readDoubleLE(at + 4)
    const length = view.readUInt32LE(at + 12)
    const end = at + HEADER_BYTES + length
    if (end > view.length) return { records, used: at, damage: 'a record cut short' }
    const payload = view.subarray(at + HEADER_BYTES, end)
    const crc = crc32(payload, crc32(view.subarray(at + 4, at + 16)))
    if (crc !== view.readUInt32LE(at + 16))
      return { records, used: at, damage: 'a record whose checksum does not match' }
    // A copy that owns exactly its bytes (callers may keep or mutate it).
    records.push({ position, update: new Uint8Array(payload) })
    at = end
  }
  return { records, used: at, damage: null }
}
