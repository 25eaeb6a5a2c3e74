/**
 * `createNode` for the browser page (workers have no RTCPeerConnection): WebRTC between
 * browsers, WebSockets to reach relays, and circuit relay as signalling and fallback.
 * Load it lazily (`await import('@whatnext/p2p/browser')`): libp2p is not app-shell code.
 *
 * @example
 * ```ts
 * const { createNode } = await import('@whatnext/p2p/browser')
 * const node = await createNode({ relays, allowPrivateAddresses: import.meta.env.DEV })
 * ```
 */
import { circuitRelayTransport } from '@libp2p/circuit-relay-v2'
import type { Libp2p } from '@libp2p/interface'
import { webRTC } from '@libp2p/webrtc'
import { webSockets } from '@libp2p/websockets'
import { createLibp2p } from 'libp2p'
import { baseOptions, relayListen, type CreateNodeInit } from './options.ts'

export { privateKeyFromSettings, type CreateNodeInit } from './options.ts'

/** Creates (and by default starts) a libp2p node for a browser page. */
export async function createNode(init: CreateNodeInit = {}): Promise<Libp2p> {
  const webrtc = init.webrtc ?? true
  const rtc = typeof webrtc === 'object' ? webrtc : {}
  return createLibp2p({
    ...baseOptions(init),
    start: init.start ?? true,
    addresses: {
      listen: [...(init.listen ?? []), ...(webrtc ? ['/webrtc'] : []), ...relayListen(init.relays)],
    },
    transports: [
      webSockets(),
      circuitRelayTransport(),
      ...(webrtc
        ? [webRTC(rtc.rtcConfiguration ? { rtcConfiguration: rtc.rtcConfiguration } : {})]
        : []),
    ],
  })
}
