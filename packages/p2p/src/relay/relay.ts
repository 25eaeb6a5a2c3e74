/**
 * The WhatNext relay: a libp2p circuit-relay-v2 server over WebSockets. It lets browsers
 * reach each other (signalling for WebRTC, and a relayed fallback when WebRTC cannot be
 * established). It can read nothing: peers' connections are Noise-encrypted end to end.
 *
 * Relayed connections get generous limits by default so that a whole sync can run
 * through the relay when a direct connection is impossible.
 */
import { circuitRelayServer } from '@libp2p/circuit-relay-v2'
import { identify } from '@libp2p/identify'
import type { Libp2p, PrivateKey } from '@libp2p/interface'
import { noise } from '@libp2p/noise'
import { ping } from '@libp2p/ping'
import { webSockets } from '@libp2p/websockets'
import { yamux } from '@libp2p/yamux'
import { createLibp2p } from 'libp2p'

/** Options of {@link createRelay}. */
export interface RelayInit {
  /** Interface to listen on (default 127.0.0.1: this machine only). */
  host?: string
  /** TCP port for WebSockets (default 0: any free port). */
  port?: number
  /** Most peers holding a reservation at once (default 256). */
  maxReservations?: number
  /** Bytes one relayed connection may carry, both ways together (default 256 MiB). */
  dataLimitBytes?: number
  /** How long one relayed connection may last (ms, default 1 hour). */
  durationLimitMs?: number
  /** A persisted identity, so that links keep naming the same relay across restarts. */
  privateKey?: PrivateKey
}

/** Defaults of {@link RelayInit}. */
export const RELAY_DEFAULTS = {
  host: '127.0.0.1',
  port: 0,
  maxReservations: 256,
  dataLimitBytes: 256 * 1024 * 1024,
  durationLimitMs: 60 * 60 * 1000,
} as const

/** A running relay. */
export interface Relay {
  node: Libp2p
  /** Its dialable multiaddrs, each ending in `/p2p/<relay peer id>`. */
  multiaddrs(): string[]
  stop(): Promise<void>
}

/** Starts a relay. */
export async function createRelay(init: RelayInit = {}): Promise<Relay> {
  const host = init.host ?? RELAY_DEFAULTS.host
  const port = init.port ?? RELAY_DEFAULTS.port
  const family = host.includes(':') ? 'ip6' : 'ip4'
  const node = await createLibp2p({
    ...(init.privateKey ? { privateKey: init.privateKey } : {}),
    addresses: { listen: [`/${family}/${host}/tcp/${port}/ws`] },
    transports: [webSockets()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    connectionManager: {
      maxConnections: (init.maxReservations ?? RELAY_DEFAULTS.maxReservations) * 2 + 64,
    },
    services: {
      identify: identify(),
      ping: ping(),
      relay: circuitRelayServer({
        reservations: {
          maxReservations: init.maxReservations ?? RELAY_DEFAULTS.maxReservations,
          applyDefaultLimit: true,
          defaultDataLimit: BigInt(init.dataLimitBytes ?? RELAY_DEFAULTS.dataLimitBytes),
          defaultDurationLimit: init.durationLimitMs ?? RELAY_DEFAULTS.durationLimitMs,
        },
      }),
    },
  })
  return {
    node,
    multiaddrs: () => node.getMultiaddrs().map((ma) => ma.toString()),
    stop: async () => {
      await node.stop()
    },
  }
}
