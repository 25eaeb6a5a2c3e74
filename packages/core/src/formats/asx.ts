/**
 * ASX / WAX / WVX (Windows Media metafiles). Read leniently, as players do: names are
 * case-insensitive and unbalanced tags are tolerated. Several `<ref>`s in one `<entry>`
 * are alternatives for one item; the first is kept.
 */
import type { TrackFields } from '../model/schemas.ts'
import {
  TrackCollector,
  fail,
  normalizeSource,
  parseDuration,
  titleFromSource,
  type ImportWarning,
} from './shared.ts'
import { child, childText, children, descendants, parseXml } from './xml.ts'

/** Parses ASX text. */
export function parseAsx(
  text: string,
  fileName: string,
  onProgress?: (fraction: number) => void,
): { name?: string; tracks: TrackFields[]; warnings: ImportWarning[] } {
  const doc = parseXml(text, fileName, 'lenient')
  const asx = child(doc, 'asx')
  if (!asx) fail(fileName, 'is not an ASX playlist: no <asx> element', 1)
  const entries = descendants(asx, 'entry')
  const out = new TrackCollector(onProgress, entries.length)
  for (const ref of descendants(asx, 'entryref'))
    out.warn('Nested playlist reference (ENTRYREF) not followed', ref.line)
  for (const entry of entries) {
    const refs = children(entry, 'ref')
      .map((r) => r.attrs.href ?? '')
      .filter(Boolean)
    const source = normalizeSource(refs[0] ?? '')
    const author = childText(entry, 'author')
    out.add(
      {
        title: childText(entry, 'title') || (source ? titleFromSource(source) : ''),
        artists: author ? [author] : [],
        durationMs: parseDuration(child(entry, 'duration')?.attrs.value),
        source,
        notes: childText(entry, 'abstract'),
      },
      entry.line,
    )
  }
  const name = childText(asx, 'title')
  return { ...(name ? { name } : {}), tracks: out.tracks, warnings: out.warnings }
}
