/**
 * ASX / WAX / WVX (Windows Media metafiles), import only. Read leniently, as players
 * do: names are case-insensitive and unbalanced tags are tolerated (Clementine's
 * `secretagent.asx` closes `<Abstract>` with `</abstract>`). Several `<ref>`s in one
 * `<entry>` are alternatives for one item; the first is kept. The playlist `<title>`
 * may come after the entries.
 */
import {
  TrackCollector,
  fail,
  normalizeSource,
  parseDuration,
  type ProgressCallback,
  type ReadResult,
} from './shared.ts'
import { child, childText, children, descendants, parseXml } from './xml.ts'

/** Reads ASX text; throws ImportError without an `<asx>` element. */
export function parseAsx(
  text: string,
  fileName: string,
  onProgress?: ProgressCallback,
): ReadResult {
  const doc = parseXml(text, fileName, 'lenient')
  const asx = descendants(doc, 'asx')[0]
  if (!asx) fail(fileName, 'it is not an ASX playlist: there is no <asx> element', 1)
  const entries = descendants(asx, 'entry')
  const out = new TrackCollector(onProgress, entries.length)
  for (const ref of descendants(asx, 'entryref')) {
    out.warn('A reference to another playlist (ENTRYREF) was not followed', ref.line)
  }
  for (const entry of entries) {
    const href = children(entry, 'ref')
      .map((r) => (r.attrs.href ?? '').trim())
      .find(Boolean)
    out.add(
      {
        title: childText(entry, 'title'),
        artists: [childText(entry, 'author')],
        durationMs: parseDuration(child(entry, 'duration')?.attrs.value),
        source: normalizeSource(href ?? ''),
        notes: childText(entry, 'abstract'),
      },
      entry.line,
    )
  }
  return out.result(childText(asx, 'title'), childText(asx, 'abstract'))
}
