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
  titleFromSource,
  xmlEscape,
  type ImportWarning,
} from './shared.ts'
import { child, childText, children, descendants, parseXml, textOf } from './xml.ts'

/** Identifies WhatNext's XSPF/JSPF extension. */
export const WHATNEXT_NS = 'https://whatnext.app/ns/playlist/1'

/** Parses XSPF text. */
export function parseXspf(
  text: string,
  fileName: string,
  onProgress?: (fraction: number) => void,
): { name?: string; description?: string; tracks: TrackFields[]; warnings: ImportWarning[] } {
  const doc = parseXml(text, fileName, 'strict')
  const playlist = child(doc, 'playlist')
  if (!playlist) fail(fileName, 'is not an XSPF playlist: no <playlist> element', 1)
  const list = child(playlist, 'trackList')
  const tracks = list ? children(list, 'track') : []
  const out = new TrackCollector(onProgress, tracks.length)
  for (const track of tracks) {
    const location = children(track, 'location').map(textOf).find(Boolean) ?? ''
    const ext = children(track, 'extension').find((e) => e.attrs.application === WHATNEXT_NS)
    const exact = ext ? descendants(ext, 'source').map(textOf)[0] : undefined
    const source = exact || normalizeSource(location)
    const duration = Number.parseInt(childText(track, 'duration'), 10)
    const creator = childText(track, 'creator')
    out.add(
      {
        title: childText(track, 'title') || (source ? titleFromSource(source) : ''),
        artists: ext ? descendants(ext, 'artist').map(textOf) : creator ? [creator] : [],
        album: childText(track, 'album'),
        durationMs: Number.isFinite(duration) ? duration : null,
        source,
        notes: childText(track, 'annotation'),
        tags: ext ? descendants(ext, 'tag').map(textOf) : [],
      },
      track.line,
    )
  }
  const name = childText(playlist, 'title')
  const description = childText(playlist, 'annotation')
  return {
    ...(name ? { name } : {}),
    ...(description ? { description } : {}),
    tracks: out.tracks,
    warnings: out.warnings,
  }
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
    if (t.source) lines.push(`      <location>${e(toUri(t.source))}</location>`)
    if (t.title) lines.push(`      <title>${e(t.title)}</title>`)
    if (t.artists.length) lines.push(`      <creator>${e(t.artists.join(', '))}</creator>`)
    if (t.album) lines.push(`      <album>${e(t.album)}</album>`)
    if (t.notes) lines.push(`      <annotation>${e(t.notes)}</annotation>`)
    if (t.durationMs !== null) lines.push(`      <duration>${t.durationMs}</duration>`)
    // The URI form of some paths (Windows, relative) does not read back to the same text.
    const exactSource = t.source && normalizeSource(toUri(t.source)) !== t.source
    if (t.artists.length > 1 || t.tags.length || exactSource) {
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

/** XSPF locations are URIs: absolute paths become `file://` URIs. */
function toUri(source: string): string {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(source)) return source
  if (source.startsWith('/')) return `file://${encodeURI(source)}`
  if (/^[A-Za-z]:[\\/]/.test(source)) return `file:///${encodeURI(source.replace(/\\/g, '/'))}`
  return encodeURI(source)
}
