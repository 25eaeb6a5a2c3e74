/**
 * The baseline page: the same Yjs edits over y-webrtc (simple-peer data channels,
 * signalling through a loopback y-webrtc signalling server), driven by the harness
 * through `window.ywBench`.
 */
import { WebrtcProvider } from 'y-webrtc'
import * as Y from 'yjs'
import { poll, stampedEditSoon, watchEdits } from './shared.ts'

let state:
  { doc: Y.Doc; provider: WebrtcProvider; watch: ReturnType<typeof watchEdits> } | undefined

function current() {
  if (!state) throw new Error('start() first')
  return state
}

/** Joins `room` through the signalling server at `url` (no password, host candidates only). */
function start(init: { url: string; room: string }): void {
  const doc = new Y.Doc()
  const watch = watchEdits(doc)
  const provider = new WebrtcProvider(init.room, doc, {
    signaling: [init.url],
    // simple-peer's default ICE servers are public STUN servers: none here.
    peerOpts: { config: { iceServers: [] } },
  })
  state = { doc, provider, watch }
}

/** Waits (≤ `timeoutMs`) until a WebRTC peer is connected and synced. */
function waitConnected(timeoutMs: number): Promise<boolean> {
  return poll(() => {
    const conns = state?.provider.room?.webrtcConns
    return conns !== undefined && [...conns.values()].some((c) => c.connected && c.synced)
  }, timeoutMs)
}

function editSoon(i: number, delayMs: number): void {
  stampedEditSoon(current().doc, i, delayMs)
}

function waitSeen(i: number, timeoutMs: number): Promise<number> {
  return current().watch.waitSeen(i, timeoutMs)
}

function stop(): void {
  state?.provider.destroy()
  state?.doc.destroy()
  state = undefined
}

const api = { start, waitConnected, editSoon, waitSeen, stop }
export type YwBenchApi = typeof api

declare global {
  interface Window {
    ywBench: YwBenchApi
  }
}
window.ywBench = api
