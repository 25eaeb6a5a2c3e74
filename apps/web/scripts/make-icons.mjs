// Draws the app icons (PNG, no dependencies): a violet tile with a play mark and list
// lines. Run once; the PNGs are committed. `maskable` keeps the mark inside the 80% safe zone.
import { writeFileSync } from 'node:fs'
import { deflateSync } from 'node:zlib'

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
  return c >>> 0
})
const crc32 = (buf) => {
  let c = 0xffffffff
  for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8)
  return (c ^ 0xffffffff) >>> 0
}
const chunk = (type, data) => {
  const len = Buffer.alloc(4)
  len.writeUInt32BE(data.length)
  const td = Buffer.concat([Buffer.from(type), data])
  const crc = Buffer.alloc(4)
  crc.writeUInt32BE(crc32(td))
  return Buffer.concat([len, td, crc])
}

function icon(size, { maskable }) {
  const raw = Buffer.alloc((size * 4 + 1) * size)
  const inset = maskable ? 0.2 : 0.1
  const radius = maskable ? 0 : size * 0.22
  for (let y = 0; y < size; y++) {
    raw[y * (size * 4 + 1)] = 0
    for (let x = 0; x < size; x++) {
      const u = x / size
      const v = y / size
      // Rounded tile (full bleed when maskable).
      const dx = Math.max(radius - x, 0, x - (size - 1 - radius))
      const dy = Math.max(radius - y, 0, y - (size - 1 - radius))
      const inside = radius === 0 || dx * dx + dy * dy <= radius * radius
      let rgba = [0, 0, 0, 0]
      if (inside) {
        const t = (u + v) / 2
        rgba = [Math.round(91 + 40 * t), Math.round(33 + 20 * t), Math.round(182 + 40 * t), 255]
        // Mark, in the safe area: a play triangle and three list lines.
        const s = (p) => (p - inset) / (1 - 2 * inset)
        const mu = s(u)
        const mv = s(v)
        const inTriangle = mu > 0.08 && mu < 0.42 && Math.abs(mv - 0.5) < (0.42 - mu) * 0.75
        const inLines =
          mu > 0.52 && mu < 0.92 && [0.3, 0.5, 0.7].some((c) => Math.abs(mv - c) < 0.045)
        if (inTriangle || inLines) rgba = [255, 255, 255, 255]
      }
      raw.set(rgba, y * (size * 4 + 1) + 1 + x * 4)
    }
  }
  const ihdr = Buffer.alloc(13)
  ihdr.writeUInt32BE(size, 0)
  ihdr.writeUInt32BE(size, 4)
  ihdr[8] = 8
  ihdr[9] = 6
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ])
}

const out = new URL('../public/icons/', import.meta.url)
writeFileSync(new URL('icon-192.png', out), icon(192, { maskable: false }))
writeFileSync(new URL('icon-512.png', out), icon(512, { maskable: false }))
writeFileSync(new URL('maskable-512.png', out), icon(512, { maskable: true }))
writeFileSync(new URL('apple-touch-icon.png', out), icon(180, { maskable: true }))
writeFileSync(new URL('favicon-32.png', out), icon(32, { maskable: false }))
