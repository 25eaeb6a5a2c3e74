/**
 * A QR code of a link, drawn as one SVG path. The encoder (uqr, ~13 KB) is imported on
 * first use so it stays out of the first page's bundle.
 */
import { useEffect, useState } from 'react'

/** Props of {@link QrCode}. */
export interface QrCodeProps {
  /** What the code holds. */
  value: string
  /** Accessible name, e.g. "QR code of the edit link". */
  label: string
}

/** The SVG path of the dark modules of `matrix`, one unit per module. */
export function qrPath(matrix: readonly (readonly boolean[])[]): string {
  let d = ''
  matrix.forEach((row, y) => {
    row.forEach((dark, x) => {
      if (dark) d += `M${x} ${y}h1v1h-1z`
    })
  })
  return d
}

/** The QR code, or a placeholder of the same size while the encoder loads. */
export function QrCode({ value, label }: QrCodeProps) {
  const [code, setCode] = useState<{ value: string; size: number; path: string } | null>(null)
  const [failed, setFailed] = useState(false)
  useEffect(() => {
    let live = true
    import('uqr').then(
      ({ encode }) => {
        if (!live) return
        try {
          // Medium error correction: still scans off a scratched or glare-y phone screen.
          const qr = encode(value, { ecc: 'M', border: 2 })
          setCode({ value, size: qr.size, path: qrPath(qr.data) })
          setFailed(false)
        } catch {
          setFailed(true)
        }
      },
      () => live && setFailed(true),
    )
    return () => {
      live = false
    }
  }, [value])
  if (failed) return <p className="muted qr-missing">The QR code could not be drawn.</p>
  if (!code || code.value !== value) return <div className="qr qr-loading" aria-hidden="true" />
  return (
    <svg
      className="qr"
      role="img"
      aria-label={label}
      viewBox={`0 0 ${code.size} ${code.size}`}
      shapeRendering="crispEdges"
      data-testid="qr-code"
    >
      {/* Dark on white in both themes: scanners expect it. */}
      <rect width={code.size} height={code.size} fill="#fff" />
      <path d={code.path} fill="#000" />
    </svg>
  )
}
