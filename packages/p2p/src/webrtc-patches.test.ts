/**
 * The installed @libp2p/webrtc carries scripts/patch-webrtc.mjs's fixes. Its transport
 * module needs node-datachannel (no binary here), so the method is taken from the installed
 * file and run against fakes: a browser RTCPeerConnection, which never fires 'close', and
 * a libp2p connection, which does.
 */
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { describe, expect, it } from 'vitest'

const entry = createRequire(import.meta.url).resolve('@libp2p/webrtc')
const source = readFileSync(join(dirname(entry), 'private-to-private', 'transport.js'), 'utf8')

/** `_closeOnShutdown` as installed, as a function of (pc, webRTCConn) with `this` the transport. */
function closeOnShutdown(): (this: unknown, pc: EventTarget, conn: EventTarget) => void {
  const found = /\n {4}_closeOnShutdown\(pc, webRTCConn\) \{\n([\s\S]*?)\n {4}\}\n/.exec(source)
  if (!found) throw new Error('_closeOnShutdown not found in @libp2p/webrtc')
  return new Function('pc', 'webRTCConn', found[1] as string) as never
}

describe('@libp2p/webrtc as installed', () => {
  it('lets go of a WebRTC connection once it closed (browsers fire no close on RTCPeerConnection)', () => {
    const shutdownController = new AbortController()
    const transport = { shutdownController, log: { error: () => undefined } }
    const closes: string[] = []
    const connection = (name: string) =>
      Object.assign(new EventTarget(), {
        close: async () => {
          closes.push(name)
        },
      })
    const closed = connection('closed earlier')
    const open = connection('still open')
    const run = closeOnShutdown()
    run.call(transport, new EventTarget(), closed)
    run.call(transport, new EventTarget(), open)
    closed.dispatchEvent(new Event('close'))
    // The node stops: only the connection still open is closed by the transport; the one
    // that closed earlier is no longer referenced from the shutdown signal.
    shutdownController.abort()
    expect(closes).toEqual(['still open'])
  })
})
