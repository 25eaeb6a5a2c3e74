/**
 * JSPF (XSPF as JSON). Spec files have `{ "playlist": { "track": [...] } }`. Files that
 * are JSPF-like but not spec (a top-level `tracks` array, string locations) are read
 * too, with a warning: a user's file imports if its meaning is clear.
 */
import type { TrackFields } from '../model/schemas.ts'
import {
  TrackCollector,
  fail,
  fileNameFor,
  lineIndex,
  normalizeSource,
  titleFromSource,
  type ImportWarning,
} from './shared.ts'
import { WHATNEXT_NS } from './xspf.ts'

type Json = Record<string, unknown>

/** Parses JSPF text. */
export function parseJspf(
  text: string,
  fileName: string,
  onProgress?: (fraction: number) => void,
): { name?: string; description?: string; tracks: TrackFields[]; warnings: ImportWarning[] } {
  let data: unknown
  try {
    data = JSON.parse(text)
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error)
    const lc = /line (\d+) column (\d+)/.exec(message)
    const pos = /position (\d+)/.exec(message)
    const line = lc ? Number(lc[1]) : pos ? lineIndex(text)(Number(pos[1])) : undefined
    fail(fileName, 'is not valid JSON', line, lc ? Number(lc[2]) : undefined)
  }
  if (!isObject(data)) fail(fileName, 'is not a JSPF playlist: expected a JSON object', 1)
  const warnings: ImportWarning[] = []
  let playlist: Json
  let rawTracks: unknown
  if (isObject(data.playlist)) {
    playlist = data.playlist
    rawTracks = playlist.track
  } else if (Array.isArray(data.track) || Array.isArray(data.tracks)) {
    playlist = data
    rawTracks = data.track ?? data.tracks
    warnings.push({ message: 'Not standard JSPF (no "playlist" object); read as a JSPF-like list' })
  } else {
    fail(fileName, 'is not a JSPF playlist: no "playlist" object with a "track" list', 1)
  }
  if (rawTracks !== undefined && !Array.isArray(rawTracks))
    fail(fileName, '"track" must be a list', 1)
  const list = (rawTracks ?? []) as unknown[]
  const out = new TrackCollector(onProgress, list.length)
  list.forEach((raw, i) => {
    if (!isObject(raw)) {
      out.warn(`Track ${i + 1} is not an object; skipped`)
      return
    }
    const locations = Array.isArray(raw.location) ? raw.location : [raw.location]
    const location =
      locations.find((l): l is string => typeof l === 'string' && l.trim() !== '') ?? ''
    const source = normalizeSource(location)
    const ext = extensionOf(raw)
    out.add({
      title: str(raw.title) || (source ? titleFromSource(source) : ''),
      artists: ext?.artists ?? (str(raw.creator) ? [str(raw.creator)] : []),
      album: str(raw.album),
      durationMs: typeof raw.duration === 'number' ? raw.duration : null,
      source,
      notes: str(raw.annotation),
      tags: ext?.tags ?? [],
    })
  })
  const name = str(playlist.title)
  const description = str(playlist.annotation)
  return {
    ...(name ? { name } : {}),
    ...(description ? { description } : {}),
    tracks: out.tracks,
    warnings: [...warnings, ...out.warnings],
  }
}

/** Writes spec JSPF (2-space indented, stable key order). */
export function writeJspf(
  name: string,
  description: string,
  tracks: TrackFields[],
): { content: string; fileName: string } {
  const track = tracks.map((t) => {
    const entry: Json = {}
    if (t.source) entry.location = [t.source]
    if (t.title) entry.title = t.title
    if (t.artists.length) entry.creator = t.artists.join(', ')
    if (t.album) entry.album = t.album
    if (t.notes) entry.annotation = t.notes
    if (t.durationMs !== null) entry.duration = t.durationMs
    if (t.artists.length > 1 || t.tags.length)
      entry.extension = { [WHATNEXT_NS]: [{ artists: t.artists, tags: t.tags }] }
    return entry
  })
  const playlist: Json = { title: name }
  if (description) playlist.annotation = description
  playlist.track = track
  return {
    content: `${JSON.stringify({ playlist }, null, 2)}\n`,
    fileName: fileNameFor(name, '.jspf'),
  }
}

function extensionOf(raw: Json): { artists: string[]; tags: string[] } | undefined {
  const ext = isObject(raw.extension) ? raw.extension[WHATNEXT_NS] : undefined
  const first = Array.isArray(ext) ? ext[0] : undefined
  if (!isObject(first)) return undefined
  const strings = (v: unknown) =>
    Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []
  return { artists: strings(first.artists), tags: strings(first.tags) }
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function str(value: unknown): string {
  return typeof value === 'string' ? value : ''
}
