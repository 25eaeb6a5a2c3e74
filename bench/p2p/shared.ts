/**
 * What both bench pages share: the clock, the edit (a track appended with `insertTracks`
 * whose `notes` carry the sender's timestamp) and the observer that turns an edit seen on
 * the other peer into a latency. Also the result shapes the harness reads back.
 */
import { insertTracks, playlistMaps } from '@whatnext/core'
import type * as Y from 'yjs'

/**
 * Wall-clock milliseconds with sub-millisecond resolution: the same clock in every
 * browser process of this machine (timeOrigin is taken from the system clock), so a
 * stamp made on peer A can be subtracted from a reading on peer B.
 */
export function clock(): number {
  return performance.timeOrigin + performance.now()
}

/** The id of edit `i`. */
export function editId(i: number): string {
  return `edit-${i}`
}

/**
 * Edit `i` on `doc`, made `delayMs` later from a timer (the harness's call has returned
 * by then: its CDP reply and the next call to the other peer are not in the timed
 * interval): appends one track whose `notes` hold the clock at that moment.
 */
export function stampedEditSoon(doc: Y.Doc, i: number, delayMs: number): void {
  setTimeout(() => {
    const stamp = clock()
    insertTracks(doc, [
      {
        id: editId(i),
        fields: {
          title: `Edit ${i}`,
          artists: ['Bench'],
          album: '',
          durationMs: 180_000,
          source: '',
          notes: String(stamp),
          tags: [],
        },
        addedAt: Math.floor(stamp),
        addedBy: 'bench',
      },
    ])
  }, delayMs)
}

/** A track of the big playlist. */
export function bigTrack(i: number) {
  return {
    id: `t${i}`,
    fields: {
      title: `Track ${i}`,
      artists: [`Artist ${i % 500}`],
      album: `Album ${i % 1000}`,
      durationMs: 120_000 + (i % 240) * 1000,
      source: `file:///music/${i}.mp3`,
      notes: '',
      tags: i % 3 === 0 ? ['bench'] : [],
    },
    addedAt: 1_700_000_000_000 + i,
    addedBy: 'bench',
  }
}

/** Watches `doc` for stamped edits from another peer. */
export function watchEdits(doc: Y.Doc) {
  const { tracks } = playlistMaps(doc)
  const seen = new Map<string, number>()
  const waiters = new Map<string, (latency: number) => void>()
  tracks.observe((event) => {
    const now = clock()
    for (const [key, change] of event.changes.keys) {
      if (change.action !== 'add') continue
      const notes = tracks.get(key)?.get('notes')
      if (typeof notes !== 'string' || notes === '') continue
      const latency = now - Number(notes)
      seen.set(key, latency)
      waiters.get(key)?.(latency)
    }
  })
  return {
    /** Resolves with the latency of edit `i` once it is seen (rejects after `timeoutMs`). */
    waitSeen(i: number, timeoutMs: number): Promise<number> {
      const id = editId(i)
      const known = seen.get(id)
      if (known !== undefined) return Promise.resolve(known)
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(id)
          reject(new Error(`edit ${id} not seen within ${timeoutMs} ms`))
        }, timeoutMs)
        waiters.set(id, (latency) => {
          clearTimeout(timer)
          waiters.delete(id)
          resolve(latency)
        })
      })
    },
  }
}

/** Resolves true when `subscribe`'s callback fires, false after `timeoutMs`. */
export function within(
  subscribe: (fire: () => void) => () => void,
  timeoutMs: number,
): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      off()
      resolve(false)
    }, timeoutMs)
    const off = subscribe(() => {
      clearTimeout(timer)
      off()
      resolve(true)
    })
  })
}

/** Polls `cond` every 10 ms; false after `timeoutMs`. */
export async function poll(cond: () => boolean, timeoutMs: number): Promise<boolean> {
  const end = Date.now() + timeoutMs
  while (!cond()) {
    if (Date.now() > end) return false
    await new Promise((r) => setTimeout(r, 10))
  }
  return true
}

/** One join (dial + handshake + initial sync) as the joiner saw it. */
export interface JoinResult {
  ok: boolean
  /** join() → first `synced` (ms). */
  syncedMs: number
  /** join() → `readTracks` returned every track (ms). */
  readMs: number
  tracks: number
  /** The join handle's state once synced: 'direct' (WebRTC) or 'relayed'. */
  state: string
  /** Initial-sync progress events: first and last (ms after join()) and the update's size. */
  progress?: { firstMs: number; lastMs: number; bytes: number }
  error?: string
}

/** A connection between the two peers, as one of them sees it. */
export interface ConnectionInfo {
  status: string
  /** Limited (relayed) or not (WebRTC). */
  relayed: boolean
  remoteAddr: string
}
