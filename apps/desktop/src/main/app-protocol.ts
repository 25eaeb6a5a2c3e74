/**
 * `app://whatnext/…` serves the web app's static export (`apps/web/out`) to the windows:
 * a real origin (IndexedDB, fetch, CSP work as on the web) without `file://`'s ambient
 * authority over the whole disk. Pure: main's `protocol.handle` passes the URL in and
 * streams the file this returns.
 */
import { extname, isAbsolute, join, relative, resolve, sep } from 'node:path'

/** The scheme and host every window loads from. PERSISTED NAME: it is the origin of the renderer's IndexedDB and settings. */
export const APP_SCHEME = 'app'
export const APP_HOST = 'whatnext'
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`

/**
 * The Content-Security-Policy of every page served. No remote code, no eval, no plugins;
 * `connect-src` allows the relay WebSockets and WebRTC signalling only.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  // Next's static export inlines its bootstrap styles.
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self' wss: ws://localhost:* ws://127.0.0.1:*",
  "worker-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ')

/**
 * `session.webRequest.onHeadersReceived`: the same CSP on every response the renderer
 * gets, whatever serves it (defence in depth beside the protocol handler's headers).
 */
export function addCspHeader(
  details: { responseHeaders?: Record<string, string | string[]> },
  callback: (response: { responseHeaders: Record<string, string | string[]> }) => void,
): void {
  callback({
    responseHeaders: {
      ...details.responseHeaders,
      // Literal on purpose (static checkers read it); a test keeps it equal to the above.
      'Content-Security-Policy': [
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self'; connect-src 'self' wss: ws://localhost:* ws://127.0.0.1:*; worker-src 'self' blob:; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
      ],
    },
  })
}

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.webmanifest': 'application/manifest+json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
  '.wasm': 'application/wasm',
}

/** What to answer for one request. */
export type AppResponse =
  | { status: 200; path: string; headers: Record<string, string> }
  | { status: 400 | 403 | 404; reason: string }

/** Headers on every file served. */
export function responseHeaders(path: string): Record<string, string> {
  return {
    'content-type': MIME[extname(path).toLowerCase()] ?? 'application/octet-stream',
    'content-security-policy': CONTENT_SECURITY_POLICY,
    'x-content-type-options': 'nosniff',
    'cross-origin-opener-policy': 'same-origin',
  }
}

/**
 * Maps `url` to a file under `root`, or refuses it. Refused: other schemes or hosts,
 * anything that resolves outside `root` (`..`, encoded `%2e%2e` or `%2f`, backslashes,
 * absolute or drive paths, NUL bytes). `/` is `index.html`; `/join` is `join.html`
 * (Next's static export writes pages as `<name>.html`). `exists` tells which files are there.
 */
export function resolveAppRequest(
  url: string,
  root: string,
  exists: (path: string) => boolean,
): AppResponse {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return { status: 400, reason: 'not a URL' }
  }
  if (parsed.protocol !== `${APP_SCHEME}:` || parsed.host !== APP_HOST)
    return { status: 403, reason: 'not the app origin' }
  let path: string
  try {
    path = decodeURIComponent(parsed.pathname)
  } catch {
    return { status: 400, reason: 'bad percent-encoding' }
  }
  if (path.includes('\0') || path.includes('\\')) return { status: 403, reason: 'bad characters' }
  const segments = path.split('/').filter(Boolean)
  if (segments.some((s) => s === '..' || s === '.' || /^[a-zA-Z]:/.test(s)))
    return { status: 403, reason: 'path traversal' }
  const base = resolve(root)
  const candidates = segments.length === 0 ? ['index.html'] : [segments.join('/')]
  if (segments.length > 0 && !extname(path))
    candidates.push(`${segments.join('/')}.html`, `${segments.join('/')}/index.html`)
  for (const candidate of candidates) {
    const full = resolve(join(base, candidate))
    const rel = relative(base, full)
    // Belt and braces: whatever the checks above missed cannot leave the root.
    if (rel === '' || rel.startsWith(`..${sep}`) || rel === '..' || isAbsolute(rel))
      return { status: 403, reason: 'path traversal' }
    if (exists(full)) return { status: 200, path: full, headers: responseHeaders(full) }
  }
  return { status: 404, reason: 'no such file' }
}
