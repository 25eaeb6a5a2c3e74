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
import { Scalar, isNode, isSeq, parseDocument, stringify as stringifyYaml } from 'yaml'
import type { TrackFields } from '../model/schemas.ts'
import {
  TrackCollector,
  fail,
  fileNameFor,
  formatDuration,
  lineIndex,
  normalizeSource,
  parseDuration,
  splitLines,
  type ProgressCallback,
  type ReadResult,
} from './shared.ts'

const FORMAT_VERSION = 1

type Json = Record<string, unknown>

/**
 * Reads Markdown. With front matter that has `tracks`, those are the tracks and the body
 * is ignored; otherwise the body's list items are read leniently.
 */
export function parseMarkdown(
  text: string,
  fileName: string,
  onProgress?: ProgressCallback,
): ReadResult {
  const lines = splitLines(text)
  let front: Json = {}
  let trackLines: (number | undefined)[] = []
  let bodyStart = 0
  if (lines[0]?.trim() === '---') {
    // The closing fence is unindented: a `---` inside an indented block scalar is data.
    const end = lines.findIndex((l, i) => i > 0 && /^(---|\.\.\.)\s*$/.test(l))
    if (end < 0) fail(fileName, 'its front matter is never closed with a "---" line', 1)
    const yamlText = lines.slice(1, end).join('\n')
    // File line = YAML line + 1 (the opening fence).
    const yamlLineAt = lineIndex(yamlText)
    const doc = parseDocument(yamlText, { uniqueKeys: false })
    const error = doc.errors[0]
    if (error) {
      const pos = error.linePos?.[0]
      fail(
        fileName,
        `its YAML front matter is invalid: ${error.message.split('\n')[0]}`,
        pos ? pos.line + 1 : 2,
        pos?.col,
      )
    }
    let parsed: unknown
    try {
      parsed = doc.toJS({ maxAliasCount: 100 })
    } catch (e) {
      fail(fileName, `its YAML front matter is invalid: ${e instanceof Error ? e.message : ''}`, 2)
    }
    if (parsed !== null && parsed !== undefined) {
      if (typeof parsed !== 'object' || Array.isArray(parsed)) {
        fail(fileName, 'its front matter is not a mapping of keys to values', 2)
      }
      front = parsed as Json
    }
    const tracksNode = doc.get('tracks', true)
    if (front.tracks !== undefined && front.tracks !== null && !Array.isArray(front.tracks)) {
      const at = isNode(tracksNode) ? tracksNode.range?.[0] : undefined
      fail(
        fileName,
        '"tracks" in the front matter must be a list',
        at === undefined ? 2 : yamlLineAt(at) + 1,
      )
    }
    if (isSeq(tracksNode)) {
      trackLines = tracksNode.items.map((item) => {
        const at = isNode(item) ? item.range?.[0] : undefined
        return at === undefined ? undefined : yamlLineAt(at) + 1
      })
    }
    bodyStart = end + 1
  }
  let name = str(front.name) || str(front.title)
  const description = str(front.description)
  let out: TrackCollector
  if (Array.isArray(front.tracks)) {
    out = new TrackCollector(onProgress, front.tracks.length)
    front.tracks.forEach((raw: unknown, i) => {
      const line = trackLines[i]
      if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
        // A bare string is a title: `- Song name` is how a person would write it.
        if (typeof raw === 'string') out.add({ title: raw }, line)
        else out.warn(`Track ${i + 1} in the front matter is not a mapping; skipped`, line)
        return
      }
      const t = raw as Json
      const exact = typeof t.duration_ms === 'number' ? t.duration_ms : null
      out.add(
        {
          title: scalar(t.title),
          artists: list(t.artists ?? t.artist),
          album: scalar(t.album),
          durationMs: exact ?? parseDuration(scalar(t.duration)),
          source: scalar(t.source ?? t.url),
          notes: typeof t.notes === 'string' ? t.notes : '',
          tags: list(t.tags),
        },
        line,
      )
      out.progress(i + 1)
    })
  } else {
    const body = lines.slice(bodyStart)
    out = new TrackCollector(onProgress, body.length)
    let fence = false
    body.forEach((line, i) => {
      if (/^\s*(```|~~~)/.test(line)) fence = !fence
      if (fence) return
      const heading = /^#\s+(.+)$/.exec(line)
      if (heading && !name) name = unescapeMd(heading[1]!)
      const item = /^\s*(?:[-*+]|\d+[.)])\s+(.+)$/.exec(line)
      if (item) out.add(parseListItem(item[1]!), bodyStart + i + 1)
      out.progress(i + 1)
    })
  }
  if (front.whatnext !== undefined && front.whatnext !== FORMAT_VERSION) {
    out.warn(
      `Written by a newer WhatNext (format ${String(front.whatnext)}); read as format ${FORMAT_VERSION}`,
    )
  }
  return out.result(name, description)
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
      // Quoted: YAML 1.1 readers (PyYAML) would take a plain 3:25 as the number 205.
      if (t.durationMs % 1000 === 0) entry.duration = quoted(formatDuration(t.durationMs))
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
    const title = escapeMd(t.title || t.source)
    const head = t.source ? `**[${title}](<${linkTarget(t.source)}>)**` : `**${title}**`
    const bits = [t.artists.length ? `${head} — ${t.artists.map(escapeMd).join(', ')}` : head]
    if (t.album) bits.push(`*${escapeMd(t.album)}*`)
    if (t.durationMs !== null) bits.push(formatDuration(t.durationMs))
    body.push(`${i + 1}. ${bits.join(' · ')}`)
  })
  return { content: `---\n${yaml}---\n\n${body.join('\n')}\n`, fileName: fileNameFor(name, '.md') }
}

function quoted(text: string): Scalar<string> {
  const node = new Scalar(text)
  node.type = Scalar.QUOTE_DOUBLE
  return node
}

/** A link destination inside `<…>` may hold spaces but no angle brackets. */
function linkTarget(source: string): string {
  return source.replace(/[<>]/g, encodeURIComponent)
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
