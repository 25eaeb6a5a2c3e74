/**
 * The p2p bench page: one WhatNext peer (our browser libp2p node + sync service), driven
 * by the harness through `window.p2pBench`. One page per Chromium profile.
 */
import type { Connection, Libp2p, PeerId } from '@libp2p/interface'
import { createNode } from '@whatnext/p2p/browser'
import {
  createSyncService,
  isRelayed,
  type HostedPlaylist,
  type JoinedPlaylist,
  type SyncService,
} from '@whatnext/p2p'
import { insertTracks, newCapabilitySecret, readTracks } from '@whatnext/core'
import * as Y from 'yjs'
import {
  bigTrack,
  clock,
  poll,
  stampedEditSoon,
  watchEdits,
  within,
  type ConnectionInfo,
  type JoinResult,
} from './shared.ts'

interface Joined {
  handle: JoinedPlaylist
  doc: Y.Doc
  watch: ReturnType<typeof watchEdits> | undefined
  resync?: Promise<number>
  /** State changes and syncs ([clock, what]) since the last armResync / join. */
  timeline: [number, string][]
  /** Initial-sync progress: clock of the first event, of the last, and the byte total. */
  progress: { first: number; last: number; total: number } | undefined
}

let node: Libp2p | undefined
let sync: SyncService | undefined
const hosted = new Map<string, { handle: HostedPlaylist; doc: Y.Doc }>()
const joined = new Map<string, Joined>()
/** Connections opened and closed ([clock, what]) since the last armResync. */
let netlog: [number, string][] = []

function started(): { node: Libp2p; sync: SyncService } {
  if (!node || !sync) throw new Error('start() first')
  return { node, sync }
}

function peerOf(id: string): PeerId | undefined {
  return started()
    .node.getConnections()
    .find((c) => c.remotePeer.toString() === id)?.remotePeer
}

/** Starts the node and waits (≤ 15 s) until it holds a reservation on the relay. */
async function start(init: { relays: string[]; webrtc: boolean }): Promise<string> {
  node = await createNode({
    relays: init.relays,
    allowPrivateAddresses: true,
    // No ICE servers: host candidates only (the default list names public STUN servers).
    webrtc: init.webrtc ? { rtcConfiguration: { iceServers: [] } } : false,
  })
  sync = await createSyncService({ node, webrtc: init.webrtc })
  const n = node
  const note = (what: string, c: Connection) =>
    netlog.push([clock(), `${what} ${isRelayed(c) ? 'relayed' : 'direct'}`])
  n.addEventListener('connection:open', (e) => note('open', e.detail))
  n.addEventListener('connection:close', (e) => note('close', e.detail))
  if (
    !(await poll(
      () => n.getMultiaddrs().some((m) => m.toString().includes('/p2p-circuit')),
      15_000,
    ))
  )
    throw new Error('no relay reservation within 15 s')
  return n.peerId.toString()
}

/** Hosts a playlist of `tracks` tracks with one edit grant; returns the grant's secret. */
function host(init: { playlistId: string; tracks: number }): number[] {
  const doc = new Y.Doc()
  if (init.tracks > 0)
    doc.transact(() =>
      insertTracks(
        doc,
        Array.from({ length: init.tracks }, (_, i) => bigTrack(i)),
      ),
    )
  const secret = newCapabilitySecret()
  hosted.set(init.playlistId, {
    handle: started().sync.host({
      playlistId: init.playlistId,
      doc,
      grants: [{ role: 'edit', secret }],
    }),
    doc,
  })
  return [...secret]
}

/** Edit `i` on a hosted playlist, made `delayMs` later (see stampedEditSoon). */
function hostEditSoon(playlistId: string, i: number, delayMs: number): void {
  const h = hosted.get(playlistId)
  if (!h) throw new Error(`not hosting ${playlistId}`)
  stampedEditSoon(h.doc, i, delayMs)
}

/**
 * Joins a playlist into a fresh doc and waits (≤ `timeoutMs`) for the first `synced`,
 * then reads the tracks (what the list would render).
 */
async function join(init: {
  playlistId: string
  hostPeerId: string
  relays: string[]
  secret: number[]
  timeoutMs: number
  watch: boolean
}): Promise<JoinResult> {
  const doc = new Y.Doc()
  const watch = init.watch ? watchEdits(doc) : undefined
  let error: string | undefined
  const t0 = clock()
  const handle = started().sync.join({
    playlistId: init.playlistId,
    doc,
    role: 'edit',
    secret: Uint8Array.from(init.secret),
    hostPeerId: init.hostPeerId,
    relays: init.relays,
  })
  const entry: Joined = { handle, doc, watch, timeline: [], progress: undefined }
  joined.set(init.playlistId, entry)
  handle.events.on('state', (state) => entry.timeline.push([clock(), state]))
  handle.events.on('synced', () => entry.timeline.push([clock(), 'synced']))
  handle.events.on('progress', (p) => {
    const now = clock()
    entry.progress = { first: entry.progress?.first ?? now, last: now, total: p.total }
  })
  const ok = await within((fire) => {
    const offSynced = handle.events.on('synced', fire)
    const offError = handle.events.on('error', (e) => {
      error = e.message
      fire()
    })
    return () => {
      offSynced()
      offError()
    }
  }, init.timeoutMs)
  const t1 = clock()
  const tracks = ok && !error ? readTracks(doc).length : 0
  const t2 = clock()
  const p = entry.progress
  return {
    ...(p ? { progress: { firstMs: p.first - t0, lastMs: p.last - t0, bytes: p.total } } : {}),
    ok: ok && !error,
    syncedMs: t1 - t0,
    readMs: t2 - t0,
    tracks,
    state: handle.state,
    ...(error ? { error } : ok ? {} : { error: `not synced within ${init.timeoutMs} ms` }),
  }
}

function joinedOf(playlistId: string): Joined {
  const j = joined.get(playlistId)
  if (!j) throw new Error(`not joined to ${playlistId}`)
  return j
}

/** Closes a join (the connection stays). */
function closeJoin(playlistId: string): void {
  joined.get(playlistId)?.handle.close()
  joined.delete(playlistId)
}

/**
 * Closes the join and hangs up on the host; waits (≤ 5 s) until no connection to it is
 * left. Returns whether none is.
 */
async function leave(playlistId: string, hostPeerId: string): Promise<boolean> {
  closeJoin(playlistId)
  return dropPeer(hostPeerId)
}

/** `node.hangUp(peer)`, then waits (≤ 5 s) until no connection to it is left. */
async function dropPeer(peerId: string): Promise<boolean> {
  const { node } = started()
  const peer = peerOf(peerId)
  if (peer) await node.hangUp(peer)
  return poll(() => !node.getConnections().some((c) => c.remotePeer.toString() === peerId), 5000)
}

/** The joiner's next `synced` on `playlistId` will be timed (stamp from `clock()`). */
function armResync(playlistId: string): void {
  const j = joinedOf(playlistId)
  j.timeline = []
  netlog = []
  j.resync = new Promise((resolve) => {
    const off = j.handle.events.on('synced', () => {
      off()
      resolve(clock())
    })
  })
}

/** Host side: hangs up on `peerId`; returns the clock just before. */
async function hangUp(peerId: string): Promise<number> {
  const peer = peerOf(peerId)
  if (!peer) throw new Error(`no connection to ${peerId}`)
  const t0 = clock()
  await started().node.hangUp(peer)
  return t0
}

/** Waits (≤ `timeoutMs`) for the armed re-sync; its clock and the join's state, or null. */
async function waitResync(
  playlistId: string,
  timeoutMs: number,
): Promise<{ at: number; state: string; timeline: [number, string][] } | null> {
  const j = joinedOf(playlistId)
  if (!j.resync) throw new Error('armResync() first')
  const at = await Promise.race([
    j.resync,
    new Promise<null>((r) => setTimeout(() => r(null), timeoutMs)),
  ])
  j.resync = undefined
  const timeline = [...j.timeline, ...netlog].sort((x, y) => x[0] - y[0])
  return at === null ? null : { at, state: j.handle.state, timeline }
}

/** Latency of edit `i` on a joined playlist, once seen (≤ `timeoutMs`). */
function waitSeen(playlistId: string, i: number, timeoutMs: number): Promise<number> {
  const watch = joinedOf(playlistId).watch
  if (!watch) throw new Error(`${playlistId} was joined without watching`)
  return watch.waitSeen(i, timeoutMs)
}

/** Connections opened and closed since the last call (or armResync). */
function takeNetlog(): [number, string][] {
  const out = netlog
  netlog = []
  return out
}

/** Waits (≤ `timeoutMs`) until the join is synced. */
async function waitSynced(playlistId: string, timeoutMs: number): Promise<boolean> {
  const { handle } = joinedOf(playlistId)
  if (handle.synced) return true
  return within((fire) => handle.events.on('synced', fire), timeoutMs)
}

function joinState(playlistId: string): string {
  return joinedOf(playlistId).handle.state
}

/** The open connections to `peerId`. */
function connections(peerId: string): ConnectionInfo[] {
  return started()
    .node.getConnections()
    .filter((c) => c.remotePeer.toString() === peerId)
    .map((c) => ({ status: c.status, relayed: isRelayed(c), remoteAddr: c.remoteAddr.toString() }))
}

async function stop(): Promise<void> {
  for (const j of joined.values()) j.handle.close()
  joined.clear()
  await sync?.stop()
  await node?.stop()
}

const api = {
  start,
  host,
  hostEditSoon,
  join,
  closeJoin,
  leave,
  dropPeer,
  armResync,
  hangUp,
  waitResync,
  waitSeen,
  joinState,
  waitSynced,
  takeNetlog,
  connections,
  stop,
  isolated: globalThis.crossOriginIsolated,
}
export type P2pBenchApi = typeof api

declare global {
  interface Window {
    p2pBench: P2pBenchApi
  }
}
window.p2pBench = api
