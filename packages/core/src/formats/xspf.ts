/**
 * XSPF (XML Shareable Playlist Format), with or without its namespace. WhatNext's own
 * fields that XSPF lacks (several artists, tags) travel in an `<extension>` so a
 * round trip loses nothing; other players ignore it.
 */
import type { TrackFields } from '../model/schemas.ts'
import {
  TrackCollector,
  fail,
  fileNameFor,
  normalizeSource,
  sourceToUri,
  xmlEscape,
  type ProgressCallback,
  type ReadResult,
} from './shared.ts'
import { child, childText, children, parseXml, textOf } from './xml.ts'

/**
 * Identifies WhatNext's XSPF/JSPF extension: the exact source when its URI form would
 * not read back to the same text, every artist, and tags (XSPF has no field for them).
 *
 * PERSISTED NAME: exported files carry it.
 */
export const WHATNEXT_NS = 'https://whatnext.app/ns/playlist/1'

/**
 * Reads XSPF text. The first non-empty `<location>` is the source; a track without one
 * but with an `<info>` page keeps that link as its source.
 */
export function parseXspf(
  text: string,
  fileName: string,
  onProgress?: ProgressCallback,
): ReadResult {
  const doc = parseXml(text, fileName, 'strict')
  const playlist = child(doc, 'playlist')
  if (!playlist) fail(fileName, 'it is not an XSPF playlist: there is no <playlist> element', 1)
  const list = child(playlist, 'trackList')
  const tracks = list ? children(list, 'track') : []
  const out = new TrackCollector(onProgress, tracks.length)
  for (const track of tracks) {
    const location = children(track, 'location').map(textOf).find(Boolean) ?? ''
    const ext = children(track, 'extension').find((e) => e.attrs.application === WHATNEXT_NS)
    const exact = ext ? childText(ext, 'source') : ''
    const extArtists = ext ? children(ext, 'artist').map(textOf) : []
    // Notes WhatNext wrote are exact; other files' are trimmed of their indentation.
    const annotation = child(track, 'annotation')
    out.add(
      {
        title: childText(track, 'title'),
        artists: extArtists.length ? extArtists : [childText(track, 'creator')],
        album: childText(track, 'album'),
        durationMs: Number.parseInt(childText(track, 'duration'), 10),
        source: exact || normalizeSource(location || childText(track, 'info')),
        notes: ext ? (annotation?.text ?? '') : textOf(annotation),
        tags: ext ? children(ext, 'tag').map(textOf) : [],
      },
      track.line,
    )
  }
  return out.result(childText(playlist, 'title'), childText(playlist, 'annotation'))
}

/** Writes XSPF version 1 with the namespace. */
export function writeXspf(
  name: string,
  description: string,
  tracks: TrackFields[],
): { content: string; fileName: string } {
  const e = xmlEscape
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<playlist version="1" xmlns="http://xspf.org/ns/0/">',
    `  <title>${e(name)}</title>`,
  ]
  if (description) lines.push(`  <annotation>${e(description)}</annotation>`)
  lines.push('  <trackList>')
  for (const t of tracks) {
    lines.push('    <track>')
    const uri = t.source ? sourceToUri(t.source) : ''
    if (uri) lines.push(`      <location>${e(uri)}</location>`)
    if (t.title) lines.push(`      <title>${e(t.title)}</title>`)
    if (t.artists.length) lines.push(`      <creator>${e(t.artists.join(', '))}</creator>`)
    if (t.album) lines.push(`      <album>${e(t.album)}</album>`)
    if (t.notes) lines.push(`      <annotation>${e(t.notes)}</annotation>`)
    if (t.durationMs !== null) lines.push(`      <duration>${t.durationMs}</duration>`)
    // The URI form of some paths (Windows, relative) does not read back to the same text.
    const exactSource = uri !== '' && normalizeSource(uri) !== t.source
    // Readers trim element text; the extension's presence says these notes are exact.
    const exactNotes = t.notes !== t.notes.trim()
    if (t.artists.length > 1 || t.tags.length || exactSource || exactNotes) {
      lines.push(`      <extension application="${WHATNEXT_NS}">`)
      if (exactSource) lines.push(`        <source>${e(t.source)}</source>`)
      for (const a of t.artists) lines.push(`        <artist>${e(a)}</artist>`)
      for (const tag of t.tags) lines.push(`        <tag>${e(tag)}</tag>`)
      lines.push('      </extension>')
    }
    lines.push('    </track>')
  }
  lines.push('  </trackList>', '</playlist>')
  return { content: `${lines.join('\n')}\n`, fileName: fileNameFor(name, '.xspf') }
}
