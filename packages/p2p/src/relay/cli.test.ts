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
  })

  it('refuses bad numbers and unknown flags', () => {
    expect(() => relayOptions(['--port', 'abc'], {})).toThrow(/--port must be a whole number/)
    expect(() => relayOptions(['--bogus'], {})).toThrow()
  })
})
