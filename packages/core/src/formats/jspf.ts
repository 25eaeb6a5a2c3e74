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
  sourceToUri,
  type ProgressCallback,
  type ReadResult,
} from './shared.ts'
import { WHATNEXT_NS } from './xspf.ts'

type Json = Record<string, unknown>

/**
 * Reads JSPF text. Invalid JSON fails with its line and column. Spec files have
 * `{"playlist": {"track": [...]}}`; a JSPF-like object with a top-level `track`/`tracks`
 * list is read too, with a warning. Tracks without a location are kept (a title alone
 * is a track).
 */
export function parseJspf(
  text: string,
  fileName: string,
  onProgress?: ProgressCallback,
): ReadResult {
  let data: unknown
  try {
    data = JSON.parse(text)
  } catch (error) {
    const { reason, line, column } = jsonErrorPosition(text, error)
    fail(fileName, `it is not valid JSON: ${reason}`, line, column)
  }
  if (!isObject(data)) fail(fileName, 'it is not a JSPF playlist: expected a JSON object', 1)
  let playlist: Json
  let nonStandard = false
  if (isObject(data.playlist)) {
    playlist = data.playlist
  } else if (Array.isArray(data.track) || Array.isArray(data.tracks)) {
    playlist = data
    nonStandard = true
  } else {
    fail(
      fileName,
      'it is not a JSPF playlist: there is no "playlist" object with a "track" list',
      1,
    )
  }
  const rawTracks = playlist.track ?? playlist.tracks
  if (rawTracks !== undefined && !Array.isArray(rawTracks))
    fail(fileName, 'it is not a JSPF playlist: "track" must be a list', 1)
  const list = (rawTracks ?? []) as unknown[]
  const out = new TrackCollector(onProgress, list.length)
  if (nonStandard) out.warn('Not standard JSPF (no "playlist" object); read as a JSPF-like list')
  let stringLocation = false
  list.forEach((raw, i) => {
    if (!isObject(raw)) {
      out.warn(`Track ${i + 1} is not an object; skipped`)
      return
    }
    const locations: unknown[] = Array.isArray(raw.location) ? raw.location : [raw.location]
    if (typeof raw.location === 'string' && !stringLocation) {
      stringLocation = true
      out.warn('Not standard JSPF: "location" should be a list of URIs')
    }
    const location = locations.map(str).find((l) => l.trim() !== '') ?? ''
    const ext = extensionOf(raw)
    const duration = typeof raw.duration === 'string' ? Number(raw.duration) : raw.duration
    out.add({
      title: str(raw.title),
      artists: ext?.artists.length ? ext.artists : [str(raw.creator)],
      album: str(raw.album),
      durationMs: typeof duration === 'number' ? duration : null,
      source: ext?.source || normalizeSource(location || str(raw.info)),
      notes: str(raw.annotation),
      tags: ext?.tags ?? [],
    })
    out.progress(i + 1)
  })
  return out.result(str(playlist.title), str(playlist.annotation))
}

/** The reason, line and column of a `JSON.parse` error (V8 and SpiderMonkey messages). */
function jsonErrorPosition(
  text: string,
  error: unknown,
): { reason: string; line?: number; column?: number } {
  const message = error instanceof Error ? error.message : String(error)
  const reason = message.replace(/\s*(in JSON )?at (line|position) .*$/i, '').trim()
  const lc = /line (\d+) column (\d+)/.exec(message)
  if (lc) return { reason, line: Number(lc[1]), column: Number(lc[2]) }
  const pos = /position (\d+)/.exec(message)
  if (!pos) return { reason }
  const offset = Number(pos[1])
  const line = lineIndex(text)(offset)
  const lineStart = Math.max(text.lastIndexOf('\n', offset - 1), text.lastIndexOf('\r', offset - 1))
  return { reason, line, column: offset - lineStart }
}

/** Writes spec JSPF (2-space indented, stable key order). */
export function writeJspf(
  name: string,
  description: string,
  tracks: TrackFields[],
): { content: string; fileName: string } {
  const track = tracks.map((t) => {
    const entry: Json = {}
    const uri = t.source ? sourceToUri(t.source) : ''
    if (uri) entry.location = [uri]
    if (t.title) entry.title = t.title
    if (t.artists.length) entry.creator = t.artists.join(', ')
    if (t.album) entry.album = t.album
    if (t.notes) entry.annotation = t.notes
    if (t.durationMs !== null) entry.duration = t.durationMs
    // The URI form of some paths (Windows, relative) does not read back to the same text.
    const exactSource = uri !== '' && normalizeSource(uri) !== t.source
    if (t.artists.length > 1 || t.tags.length || exactSource) {
      const ext: Json = {}
      if (exactSource) ext.source = t.source
      if (t.artists.length > 1) ext.artists = t.artists
      if (t.tags.length) ext.tags = t.tags
      entry.extension = { [WHATNEXT_NS]: [ext] }
    }
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

function extensionOf(raw: Json): { artists: string[]; tags: string[]; source: string } | undefined {
  const ext = isObject(raw.extension) ? raw.extension[WHATNEXT_NS] : undefined
  const first: unknown = Array.isArray(ext) ? ext[0] : undefined
  if (!isObject(first)) return undefined
  const strings = (v: unknown) =>
    Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []
  return { artists: strings(first.artists), tags: strings(first.tags), source: str(first.source) }
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function str(value: unknown): string {
  return typeof value === 'string' ? value : ''
}
