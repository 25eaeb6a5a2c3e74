/**
 * Markdown with YAML front matter: the plaintext form of a playlist that a person can
 * read, back up and keep in git. The front matter is the data (every field, lossless);
 * the body is a readable rendering that import ignores when the front matter has
 * `tracks`. A hand-written Markdown list (no `tracks` in front matter) imports too:
 * `- Title — Artist` or `1. [Title](url) - Artist`.
 *
 * PERSISTED NAMES: the front-matter keys are a file format users keep; `whatnext: 1`
 * is its version.
 */
import { YAMLParseError, parse as parseYaml, stringify as stringifyYaml } from 'yaml'
import type { TrackFields } from '../model/schemas.ts'
import {
  TrackCollector,
  fail,
  fileNameFor,
  formatDuration,
  normalizeSource,
  parseDuration,
  splitLines,
  type ImportWarning,
} from './shared.ts'

const FORMAT_VERSION = 1

type Json = Record<string, unknown>

/** Parses Markdown (with or without front matter). */
export function parseMarkdown(
  text: string,
  fileName: string,
  onProgress?: (fraction: number) => void,
): { name?: string; description?: string; tracks: TrackFields[]; warnings: ImportWarning[] } {
  const lines = splitLines(text)
  let front: Json = {}
  let bodyStart = 0
  if (lines[0]?.trim() === '---') {
    // The closing fence is unindented: a `---` inside an indented block scalar is data.
    const end = lines.findIndex((l, i) => i > 0 && /^(---|\.\.\.)\s*$/.test(l))
    if (end < 0) fail(fileName, 'has front matter that is never closed with ---', 1)
    try {
      const parsed: unknown = parseYaml(lines.slice(1, end).join('\n'), { uniqueKeys: false })
      if (
        parsed !== null &&
        parsed !== undefined &&
        (typeof parsed !== 'object' || Array.isArray(parsed))
      ) {
        fail(fileName, 'has front matter that is not a mapping of keys to values', 2)
      }
      front = (parsed ?? {}) as Json
    } catch (error) {
      if (error instanceof YAMLParseError) {
        const pos = error.linePos?.[0]
        fail(
          fileName,
          `has invalid YAML front matter: ${error.message.split('\n')[0]}`,
          pos ? pos.line + 1 : 2,
          pos?.col,
        )
      }
      throw error
    }
    bodyStart = end + 1
  }
  const out = new TrackCollector(onProgress)
  let name = str(front.name) || str(front.title)
  const description = str(front.description)
  if (Array.isArray(front.tracks)) {
    front.tracks.forEach((raw, i) => {
      if (typeof raw !== 'object' || raw === null) {
        out.warn(`Track ${i + 1} in the front matter is not a mapping; skipped`)
        return
      }
      const t = raw as Json
      const exact = typeof t.duration_ms === 'number' ? t.duration_ms : null
      out.add({
        title: scalar(t.title),
        artists: list(t.artists ?? t.artist),
        album: scalar(t.album),
        durationMs: exact ?? parseDuration(scalar(t.duration)),
        source: scalar(t.source),
        notes: typeof t.notes === 'string' ? t.notes : '',
        tags: list(t.tags),
      })
    })
  } else {
    lines.slice(bodyStart).forEach((line, i) => {
      const heading = /^#\s+(.+)$/.exec(line)
      if (heading && !name) name = heading[1]!.trim()
      const item = /^\s*(?:[-*+]|\d+[.)])\s+(.+)$/.exec(line)
      if (item) out.add(parseListItem(item[1]!), bodyStart + i + 1)
    })
  }
  if (front.whatnext !== undefined && front.whatnext !== FORMAT_VERSION) {
    out.warn(
      `Written by a newer WhatNext (format ${String(front.whatnext)}); read as format ${FORMAT_VERSION}`,
    )
  }
  return {
    ...(name ? { name } : {}),
    ...(description ? { description } : {}),
    tracks: out.tracks,
    warnings: out.warnings,
  }
}

/** `**Title** — Artist · *Album* · 3:25` / `[Title](url) - Artist` / `Title`. */
function parseListItem(text: string) {
  let rest = text.trim()
  let source = ''
  const link = /\[([^\]]+)\]\((?:<([^>]+)>|([^)\s]+))\)/.exec(rest)
  if (link) {
    source = normalizeSource(link[2] ?? link[3]!)
    rest = rest.replace(link[0], link[1]!)
  }
  const parts = rest.split(/\s+·\s+/)
  const head = parts[0]!.replace(/\*\*|__/g, '')
  const sep = /\s+[—–-]\s+/.exec(head)
  const title = (sep ? head.slice(0, sep.index) : head).trim()
  const artists = sep ? head.slice(sep.index + sep[0].length).split(/,\s*/) : []
  let album = ''
  let durationMs: number | null = null
  for (const part of parts.slice(1)) {
    const d = parseDuration(part)
    if (d !== null) durationMs = d
    else if (/^\*.*\*$/.test(part.trim())) album = part.trim().replace(/^\*|\*$/g, '')
    else if (!source && /^<.*>$/.test(part.trim())) source = part.trim().slice(1, -1)
  }
  return {
    title: unescapeMd(title),
    artists: artists.map(unescapeMd),
    album: unescapeMd(album),
    durationMs,
    source,
  }
}

/** Writes the playlist as Markdown with complete front matter. Deterministic output. */
export function writeMarkdown(
  name: string,
  description: string,
  tracks: TrackFields[],
): { content: string; fileName: string } {
  const front: Json = { whatnext: FORMAT_VERSION, name }
  if (description) front.description = description
  front.tracks = tracks.map((t) => {
    const entry: Json = { title: t.title }
    if (t.artists.length) entry.artists = t.artists
    if (t.album) entry.album = t.album
    if (t.durationMs !== null) {
      if (t.durationMs % 1000 === 0) entry.duration = formatDuration(t.durationMs)
      else entry.duration_ms = t.durationMs
    }
    if (t.source) entry.source = t.source
    if (t.tags.length) entry.tags = t.tags
    if (t.notes) entry.notes = t.notes
    return entry
  })
  const yaml = stringifyYaml(front, {
    lineWidth: 0,
    defaultStringType: 'PLAIN',
    defaultKeyType: 'PLAIN',
  })
  const body: string[] = [`# ${escapeMd(name)}`, '']
  if (description) body.push(escapeMd(description), '')
  tracks.forEach((t, i) => {
    const head = t.source
      ? `[${escapeMd(t.title || t.source)}](<${t.source}>)`
      : `**${escapeMd(t.title)}**`
    const bits = [t.artists.length ? `${head} — ${t.artists.map(escapeMd).join(', ')}` : head]
    if (t.album) bits.push(`*${escapeMd(t.album)}*`)
    if (t.durationMs !== null) bits.push(formatDuration(t.durationMs))
    body.push(`${i + 1}. ${bits.join(' · ')}`)
  })
  return { content: `---\n${yaml}---\n\n${body.join('\n')}\n`, fileName: fileNameFor(name, '.md') }
}

function escapeMd(text: string): string {
  return text.replace(/[\\`*_[\]<>#|]/g, (c) => `\\${c}`).replace(/[\r\n]+/g, ' ')
}

function unescapeMd(text: string): string {
  return text.replace(/\\([\\`*_[\]<>#|])/g, '$1').trim()
}

function scalar(value: unknown): string {
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : ''
}

function list(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(scalar).filter(Boolean)
  const one = scalar(value)
  return one ? [one] : []
}

function str(value: unknown): string {
  return typeof value === 'string' ? value : ''
}
