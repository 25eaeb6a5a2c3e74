/** Maps validation issues (from zod or an engine `ValidationError`) onto editor fields. */
import type { FieldIssue, TrackFields } from '@whatnext/core/client'

/** A field of the track editor, or `form` for problems no field owns. */
export type TrackFieldName = keyof TrackFields | 'form'

const FIELDS = new Set<string>([
  'title',
  'artists',
  'album',
  'durationMs',
  'source',
  'notes',
  'tags',
])

/**
 * The first message per field. Engine paths name the request (`patch.title`,
 * `tracks.0.durationMs`, `tracks.0.artists.2`): the first segment that is a field wins.
 */
export function issuesToFields(
  issues: readonly FieldIssue[],
): Partial<Record<TrackFieldName, string>> {
  const out: Partial<Record<TrackFieldName, string>> = {}
  for (const issue of issues) {
    const field = issue.path.split('.').find((p) => FIELDS.has(p)) as TrackFieldName | undefined
    out[field ?? 'form'] ??= issue.message
  }
  return out
}
