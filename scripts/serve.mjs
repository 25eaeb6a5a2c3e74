// A small static server for the exported web app (apps/web/out): correct MIME types,
// no caching of the service worker script, and `/path` → `/path.html` like a static host.
// With --relays-file, `/relays.json` answers with that file (the relay writes it with
// --addr-file): the relays this deployment recommends, used when Settings names none.
// Usage: node scripts/serve.mjs [--port 3000] [--host 127.0.0.1] [--root apps/web/out]
//          [--relays-file .relays.json]
import { createReadStream, readFileSync, statSync } from 'node:fs'
import { createServer } from 'node:http'
import { extname, join, normalize, resolve, sep } from 'node:path'
import { parseArgs } from 'node:util'

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: process.env.PORT ?? '3000' },
    host: { type: 'string', default: '127.0.0.1' },
    root: { type: 'string', default: 'apps/web/out' },
    'relays-file': { type: 'string' },
  },
})
const root = resolve(values.root)
const types = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.webmanifest': 'application/manifest+json',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.woff2': 'font/woff2',
}

function resolveFile(urlPath) {
  const clean = normalize(decodeURIComponent(urlPath)).replace(/^(\.\.[/\\])+/, '')
  const full = join(root, clean)
  if (full !== root && !full.startsWith(root + sep)) return null
  for (const candidate of [full, `${full}.html`, join(full, 'index.html')]) {
    try {
      if (statSync(candidate).isFile()) return candidate
    } catch {
      // try the next form
    }
  }
  return null
}

function relaysJson() {
  if (!values['relays-file']) return null
  try {
    const addrs = JSON.parse(readFileSync(values['relays-file'], 'utf8'))
    return Array.isArray(addrs) ? JSON.stringify(addrs.filter((a) => typeof a === 'string')) : '[]'
  } catch {
    return '[]' // the relay has not written it yet
  }
}

const server = createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://localhost')
  const relays = url.pathname === '/relays.json' ? relaysJson() : null
  if (relays !== null) {
    res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' })
    res.end(relays)
    return
  }
  let file
  try {
    file = resolveFile(url.pathname)
  } catch {
    file = null
  }
  const status = file ? 200 : 404
  file ??= join(root, '404.html')
  const headers = {
    'content-type': types[extname(file)] ?? 'application/octet-stream',
    'x-content-type-options': 'nosniff',
    'cache-control': url.pathname.startsWith('/_next/static/')
      ? 'public, max-age=31536000, immutable'
      : 'no-cache',
  }
  res.writeHead(status, headers)
  createReadStream(file)
    .on('error', () => res.end())
    .pipe(res)
})
server.listen(Number(values.port), values.host, () => {
  const { port } = server.address()
  console.log(`WhatNext is running at http://localhost:${port}/`)
})
for (const signal of ['SIGINT', 'SIGTERM'])
  process.on(signal, () => server.close(() => process.exit(0)))
