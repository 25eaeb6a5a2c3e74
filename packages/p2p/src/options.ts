/**
 * What every WhatNext libp2p node has in common, whichever host runs it: Noise for
 * encryption (end to end, so relays read nothing), yamux for streams, identify (circuit
 * relays need it) and ping, and a listen address on each configured relay.
 */
import { noise } from '@libp2p/noise'
import { yamux } from '@libp2p/yamux'
import { identify } from '@libp2p/identify'
import { ping } from '@libp2p/ping'
import { privateKeyFromProtobuf } from '@libp2p/crypto/keys'
import type { ConnectionGater, PrivateKey } from '@libp2p/interface'
import type { Libp2pOptions } from 'libp2p'

/** Options of `createNode` (Node and browser alike). */
export interface CreateNodeInit {
  /** The persisted identity; a new Ed25519 key when absent. */
  privateKey?: PrivateKey
  /** Listen addresses of this host's own transports (Node default: TCP and WS on 127.0.0.1). */
  listen?: string[]
  /** Relay multiaddrs (`…/p2p/<relay id>`) to keep a reservation on, to be reachable through. */
  relays?: string[]
  /**
   * WebRTC (browser default: on; Node: off, on uses node-datachannel).
   * `rtcConfiguration` carries the ICE servers (STUN/TURN), a user setting.
   */
  webrtc?: boolean | { rtcConfiguration?: RTCConfiguration }
  /**
   * Let the node dial `ws://` and private/loopback addresses. Browsers refuse them by
   * default; development builds and tests need them.
   */
  allowPrivateAddresses?: boolean
  /** A custom gater (tests use one to simulate a network partition). */
  connectionGater?: ConnectionGater
  /** Start the node before returning (default true). */
  start?: boolean
}

/** Listen addresses for the relays: `<relay>/p2p-circuit` makes a reservation on each. */
export function relayListen(relays: readonly string[] = []): string[] {
  return relays.map((r) => `${r}/p2p-circuit`)
}

/** The shared part of the libp2p options. */
export function baseOptions(
  init: CreateNodeInit,
): Pick<
  Libp2pOptions,
  'privateKey' | 'connectionEncrypters' | 'streamMuxers' | 'services' | 'connectionGater'
> {
  const gater: ConnectionGater = {
    ...(init.allowPrivateAddresses ? { denyDialMultiaddr: () => false } : {}),
    ...init.connectionGater,
  }
  return {
    ...(init.privateKey ? { privateKey: init.privateKey } : {}),
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    connectionGater: gater,
    services: { identify: identify(), ping: ping() },
  }
}

/** The libp2p key of an identity as the settings keep it (protobuf, base64). */
export function privateKeyFromSettings(encoded: string): PrivateKey {
  return privateKeyFromProtobuf(Uint8Array.from(atob(encoded), (c) => c.charCodeAt(0)))
}
