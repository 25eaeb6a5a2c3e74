import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { relayOptions } from './cli.ts'

describe('whatnext-relay options', () => {
  it('defaults to loopback, port 4100 and limits high enough for a sync', () => {
    expect(relayOptions([], {})).toEqual({
      host: '127.0.0.1',
      port: 4100,
      maxReservations: 256,
      dataLimitBytes: 256 * 1024 * 1024,
      durationLimitMs: 3_600_000,
    })
  })

  it('reads flags before environment variables', () => {
    const env = { WHATNEXT_RELAY_PORT: '5000', WHATNEXT_RELAY_MAX_RESERVATIONS: '9' }
    expect(relayOptions(['--port', '0', '--data-limit', '1024'], env)).toMatchObject({
      port: 0,
      maxReservations: 9,
      dataLimitBytes: 1024,
    })
    expect(relayOptions(['--key-file', '/tmp/k'], {})).toMatchObject({ keyFile: '/tmp/k' })
    expect(relayOptions([], { WHATNEXT_RELAY_ADDR_FILE: '/tmp/a.json' })).toMatchObject({
      addrFile: '/tmp/a.json',
    })
  })

  it('writes its addresses to --addr-file for the web server to hand out', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'relay-cli-'))
    const addrFile = join(dir, 'relays.json')
    const child = spawn(
      process.execPath,
      [
        fileURLToPath(new URL('../../bin/whatnext-relay.mjs', import.meta.url)),
        '--port',
        '0',
        '--addr-file',
        addrFile,
      ],
      { stdio: 'ignore' },
    )
    try {
      const end = Date.now() + 15_000
      while (!existsSync(addrFile) && Date.now() < end) await new Promise((r) => setTimeout(r, 50))
      const addrs = JSON.parse(readFileSync(addrFile, 'utf8')) as string[]
      expect(addrs.length).toBeGreaterThan(0)
      for (const a of addrs)
        expect(a).toMatch(/^\/ip4\/127\.0\.0\.1\/tcp\/\d+\/ws\/p2p\/12D3Koo\w+$/)
    } finally {
      child.kill('SIGTERM')
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('refuses bad numbers and unknown flags', () => {
    expect(() => relayOptions(['--port', 'abc'], {})).toThrow(/--port must be a whole number/)
    expect(() => relayOptions(['--bogus'], {})).toThrow()
  })
})
