/**
 * `createNode` for Node and Electron's utility process: TCP and WebSockets, circuit relay
 * (to reach and be reached through relays), and optionally WebRTC via node-datachannel.
 *
 * @example
 * ```ts
 * import { createNode } from '@whatnext/p2p/node'
 * const node = await createNode({ relays: ['/ip4/127.0.0.1/tcp/4100/ws/p2p/12D3Koo…'] })
 * ```
 */
import { circuitRelayTransport } from '@libp2p/circuit-relay-v2'
import type { Libp2p } from '@libp2p/interface'
import { tcp } from '@libp2p/tcp'
import { webSockets } from '@libp2p/websockets'
import { createLibp2p } from 'libp2p'
import { baseOptions, relayListen, type CreateNodeInit } from './options.ts'

export { privateKeyFromSettings, type CreateNodeInit } from './options.ts'

/** Loopback listen addresses: reachable from this machine only. */
export const LOOPBACK_LISTEN = ['/ip4/127.0.0.1/tcp/0', '/ip4/127.0.0.1/tcp/0/ws']

/** Creates (and by default starts) a libp2p node for Node. */
export async function createNode(init: CreateNodeInit = {}): Promise<Libp2p> {
  const webrtc = init.webrtc ?? false
  const rtc = typeof webrtc === 'object' ? webrtc : {}
  // Loaded only when asked for: it brings node-datachannel, a native module that not
  // every install has (its binaries come from outside the npm registry).
  const webRTC = webrtc ? (await import('@libp2p/webrtc')).webRTC : null
  return createLibp2p({
    ...baseOptions(init),
    start: init.start ?? true,
    addresses: {
      listen: [
        ...(init.listen ?? LOOPBACK_LISTEN),
        ...(webrtc ? ['/webrtc'] : []),
        ...relayListen(init.relays),
      ],
    },
    transports: [
      tcp(),
      webSockets(),
      circuitRelayTransport(),
      ...(webRTC
        ? [webRTC(rtc.rtcConfiguration ? { rtcConfiguration: rtc.rtcConfiguration } : {})]
        : []),
    ],
  })
}
