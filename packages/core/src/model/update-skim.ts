/**
 * A fast, allocation-free walk over a Yjs (v1) update, for the check that keeps a peer's
 * malformed update from being half-applied.
 *
 * Why a walk suffices: `Y.applyUpdate` reads every struct first and integrates them only
 * after; only then does it read the delete set. So a fault among the structs throws
 * before anything changes — the danger is only a delete set that cannot be read once the
 * structs are in. The walk reads the structs exactly as Yjs's reader does (the same
 * grammar, byte for byte) to find where the delete set starts, and checks the delete set.
 *
 * It answers `true` only when it is sure: anything it does not handle (JSON, embed,
 * format and subdocument contents, which this app never writes), anything out of bounds
 * and anything odd answers `false`, and the caller falls back to Yjs's own full decode
 * (`Y.decodeUpdate`, which builds every struct and costs 5–10x more).
 *
 * A view that stops before the end of its ArrayBuffer is never sure: Yjs reads strings
 * through the underlying ArrayBuffer, so it would read bytes past the view's end where
 * this walk stops. A view that ends where its buffer ends (the tail of a received
 * message) is read no further than a buffer of its own: past its end there is nothing.
 */

/** Deepest nesting of `any` values walked (deeper: not sure). */
const MAX_DEPTH = 64

class Out extends Error {}
const out = new Out()

/** Whether `update` surely has the structure `Y.applyUpdate` reads in full (see above). */
export function skimsClean(update: Uint8Array): boolean {
  if (!endsItsBuffer(update)) return false
  const bytes = update
  const end = bytes.length
  let pos = 0

  // lib0's readVarUint: little-endian base-128, an error past the end or above 2^53.
  const uint = (): number => {
    let num = 0
    let mult = 1
    while (pos < end) {
      const r = bytes[pos++] as number
      num += (r & 0x7f) * mult
      mult *= 128
      if (r < 0x80) return num
      if (num > Number.MAX_SAFE_INTEGER) throw out
    }
    throw out
  }
  const id = () => {
    uint()
    uint()
  }
  const skip = (n: number) => {
    if (n > end - pos) throw out
    pos += n
  }
  const string = () => skip(uint())
  // lib0's readVarInt: sign and 6 bits in the first byte, then base-128.
  const int = () => {
    if (pos >= end) throw out
    let r = bytes[pos++] as number
    while (r >= 0x80) {
      if (pos >= end) throw out
      r = bytes[pos++] as number
    }
  }
  const any = (depth: number): void => {
    if (pos >= end || depth > MAX_DEPTH) throw out
    const tag = bytes[pos++] as number
    switch (tag) {
      case 127: // undefined
      case 126: // null
      case 121: // false
      case 120: // true
        return
      case 125:
        return int()
      case 124:
        return skip(4)
      case 123:
      case 122:
        return skip(8)
      case 119:
        return string()
      case 118: {
        const n = uint()
        for (let i = 0; i < n; i++) {
          string()
          any(depth + 1)
        }
        return
      }
      case 117: {
        const n = uint()
        for (let i = 0; i < n; i++) any(depth + 1)
        return
      }
      case 116:
        return string() // a Uint8Array: length and bytes, like a string
      default:
        throw out
    }
  }

  try {
    const clients = uint()
    for (let c = 0; c < clients; c++) {
      const structs = uint()
      uint() // client
      uint() // first clock
      for (let s = 0; s < structs; s++) {
        if (pos >= end) throw out
        const info = bytes[pos++] as number
        const content = info & 0x1f
        if (content === 0) {
          uint() // GC: length
          continue
        }
        if (content === 10) {
          if (info !== 10) throw out // Yjs's two readers disagree about these: not sure
          uint() // Skip: length
          continue
        }
        if (info & 0x80) id() // origin
        if (info & 0x40) id() // right origin
        if ((info & 0xc0) === 0) {
          if (uint() === 1)
            string() // parent: a root type's name
          else id() // parent: an item's id
          if (info & 0x20) string() // key in a map
        }
        switch (content) {
          case 1: // deleted
            uint()
            break
          case 3: // binary
            string()
            break
          case 4: // string
            string()
            break
          case 7: {
            const type = uint()
            if (type === 3 || type === 5)
              string() // XML element / hook name
            else if (type > 6) throw out
            break
          }
          case 8: {
            const n = uint()
            for (let i = 0; i < n; i++) any(0)
            break
          }
          default:
            throw out // JSON, embed, format, subdocument, unknown: not sure
        }
      }
    }
    // The delete set: clients, then per client its id and (clock, length) pairs.
    const dsClients = uint()
    for (let c = 0; c < dsClients; c++) {
      uint()
      const deletes = uint()
      for (let d = 0; d < deletes; d++) id() // clock, length
    }
    return true
  } catch (error) {
    if (error === out) return false
    throw error
  }
}

/** Whether `bytes` runs to the end of its ArrayBuffer (Yjs cannot read past it unnoticed). */
export function endsItsBuffer(bytes: Uint8Array): boolean {
  return bytes.byteOffset + bytes.byteLength === bytes.buffer.byteLength
}
