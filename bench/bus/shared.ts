/**
 * Shared by the bench page and its worker: the modes under test, the payload, and the
 * passthrough contract the `no-validation` baseline uses.
 */
import { engineContract, request, type TrackPatch } from '@whatnext/core/client'
import { z } from 'zod'

/**
 * - `bus`: our endpoint with the real engine contract (`playlist/updateTrack` schemas)
 * - `bus-novalidate`: our endpoint, same channel, request/response schemas `z.any()`
 *   (the envelope is still checked: that is part of the bus, not of a contract)
 * - `comlink`: comlink's expose/wrap
 * - `raw`: bare postMessage ping/pong with an id → resolver map
 */
export const MODES = ['bus', 'bus-novalidate', 'comlink', 'raw'] as const
export type Mode = (typeof MODES)[number]

export const CHANNEL = 'playlist/updateTrack'

/** The validated contract: just the real engine channel under test. */
export const validatedContract = { [CHANNEL]: engineContract[CHANNEL] } as const

/** Same channel, schemas that accept anything and transform nothing. */
export const passthroughContract = { [CHANNEL]: request(z.any(), z.any()) } as const

export interface UpdateTrackPayload {
  playlistId: string
  trackId: string
  patch: TrackPatch
}

/** A realistic `playlist/updateTrack` request; `i` varies the ids so nothing is cached. */
export function payload(i: number): UpdateTrackPayload {
  return {
    playlistId: 'pl_6Xk2mR9qWz4T',
    trackId: `tr_${i.toString(36).padStart(8, '0')}`,
    patch: {
      title: 'Teardrop (Mad Professor Remix)',
      artists: ['Massive Attack', 'Elizabeth Fraser', 'Mad Professor'],
      tags: ['trip-hop', 'bristol', '1998', 'late night'],
    },
  }
}

/** What every worker answers. */
export const OK = { ok: true } as const

/** The comlink-exposed API. */
export interface ComlinkApi {
  updateTrack(p: UpdateTrackPayload): { ok: true }
}

/** Options of one measured pass (page side). */
export interface PassOptions {
  warmup: number
  sequential: number
  total: number
  inflight: number
}

/** What one pass returns to Node. */
export interface PassResult {
  mode: Mode
  /** Round-trip times of the sequential requests, ms. */
  rtt: number[]
  /** Wall time of `total` requests with `inflight` outstanding, ms. */
  throughputMs: number
  total: number
  /** An invalid request was refused (only meaningful for `bus`). */
  rejectedInvalid: boolean | null
}
