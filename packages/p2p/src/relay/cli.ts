/**
 * `whatnext-relay`: runs a relay until interrupted and prints its multiaddrs, one a line.
 *
 * Flags (each also an environment variable):
 *   --host H              WHATNEXT_RELAY_HOST              default 127.0.0.1
 *   --port N              WHATNEXT_RELAY_PORT              default 4100 (0: any free port)
 *   --max-reservations N  WHATNEXT_RELAY_MAX_RESERVATIONS  default 256
 *   --data-limit BYTES    WHATNEXT_RELAY_DATA_LIMIT        default 268435456 (256 MiB)
 *   --duration-limit MS   WHATNEXT_RELAY_DURATION_LIMIT    default 3600000 (1 h)
 *   --key-file PATH       WHATNEXT_RELAY_KEY_FILE          keep the relay's identity there
 *   --addr-file PATH      WHATNEXT_RELAY_ADDR_FILE         write its multiaddrs there (JSON array),
 *                                                          e.g. for a web server's /relays.json
 */
import { generateKeyPair, privateKeyFromProtobuf, privateKeyToProtobuf } from '@libp2p/crypto/keys'
import type { PrivateKey } from '@libp2p/interface'
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'
import { parseArgs } from 'node:util'
import { RELAY_DEFAULTS, createRelay, type RelayInit } from './relay.ts'

const USAGE = `Usage: whatnext-relay [--host 127.0.0.1] [--port 4100] [--max-reservations 256]
  [--data-limit BYTES] [--duration-limit MS] [--key-file PATH] [--addr-file PATH]`

/** Parses flags and environment into relay options (exported for tests). */
export function relayOptions(
  argv: string[],
  env: Record<string, string | undefined>,
): RelayInit & { keyFile?: string; addrFile?: string; help?: boolean } {
  const { values } = parseArgs({
    args: argv,
    options: {
      host: { type: 'string' },
      port: { type: 'string' },
      'max-reservations': { type: 'string' },
      'data-limit': { type: 'string' },
      'duration-limit': { type: 'string' },
      'key-file': { type: 'string' },
      'addr-file': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  })
  const num = (flag: string, value: string | undefined, fallback: number): number => {
    if (value === undefined || value === '') return fallback
    const n = Number(value)
    if (!Number.isSafeInteger(n) || n < 0)
      throw new Error(`--${flag} must be a whole number ≥ 0, got "${value}"`)
    return n
  }
  const keyFile = values['key-file'] ?? env.WHATNEXT_RELAY_KEY_FILE
  const addrFile = values['addr-file'] ?? env.WHATNEXT_RELAY_ADDR_FILE
  return {
    host: values.host ?? env.WHATNEXT_RELAY_HOST ?? RELAY_DEFAULTS.host,
    port: num('port', values.port ?? env.WHATNEXT_RELAY_PORT, 4100),
    maxReservations: num(
      'max-reservations',
      values['max-reservations'] ?? env.WHATNEXT_RELAY_MAX_RESERVATIONS,
      RELAY_DEFAULTS.maxReservations,
    ),
    dataLimitBytes: num(
      'data-limit',
      values['data-limit'] ?? env.WHATNEXT_RELAY_DATA_LIMIT,
      RELAY_DEFAULTS.dataLimitBytes,
    ),
    durationLimitMs: num(
      'duration-limit',
      values['duration-limit'] ?? env.WHATNEXT_RELAY_DURATION_LIMIT,
      RELAY_DEFAULTS.durationLimitMs,
    ),
    ...(keyFile ? { keyFile } : {}),
    ...(addrFile ? { addrFile } : {}),
    ...(values.help ? { help: true } : {}),
  }
}

async function loadKey(path: string): Promise<PrivateKey> {
  try {
    return privateKeyFromProtobuf(readFileSync(path))
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
  }
  const key = await generateKeyPair('Ed25519')
  mkdirSync(dirname(path), { recursive: true })
  writeFileSync(path, privateKeyToProtobuf(key), { mode: 0o600 })
  return key
}

/** Runs the command (the `whatnext-relay` bin calls this). */
export async function main(): Promise<void> {
  let options: ReturnType<typeof relayOptions>
  try {
    options = relayOptions(process.argv.slice(2), process.env)
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`)
    process.exit(2)
  }
  if (options.help) {
    console.log(USAGE)
    return
  }
  const { keyFile, addrFile, ...init } = options
  const relay = await createRelay({
    ...init,
    ...(keyFile ? { privateKey: await loadKey(keyFile) } : {}),
  })
  for (const addr of relay.multiaddrs()) console.log(addr)
  if (addrFile) {
    // Written whole and renamed, so a reader never sees half a file.
    mkdirSync(dirname(addrFile), { recursive: true })
    writeFileSync(`${addrFile}.tmp`, JSON.stringify(relay.multiaddrs()))
    renameSync(`${addrFile}.tmp`, addrFile)
  }
  console.error(
    `whatnext-relay: up (max ${init.maxReservations} reservations, ` +
      `${init.dataLimitBytes} bytes / ${init.durationLimitMs} ms per relayed connection)`,
  )
  const stop = () => {
    void relay.stop().then(() => process.exit(0))
  }
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)
}
