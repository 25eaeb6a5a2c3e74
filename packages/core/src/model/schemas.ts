/**
 * The domain model's schemas: the one place that says what a valid track or playlist
 * is. Every write path (UI form, import, bus message, later peers) validates here.
 *
 * PERSISTED NAMES: the field names below are stored inside CRDT documents and in
 * exported files. Renaming one needs a document migration.
 */
import * as z from 'zod/mini'

/** Limits a user can read in error messages; kept generous but bounded. */
export const LIMITS = {
  titleChars: 500,
  albumChars: 500,
  artistChars: 200,
  artistsPerTrack: 50,
  sourceChars: 4096,
  notesChars: 10_000,
  tagChars: 64,
  tagsPerTrack: 50,
  playlistNameChars: 200,
  descriptionChars: 5000,
  /** A week; longer "durations" are garbage from a broken file. */
  durationMs: 7 * 24 * 3600 * 1000,
  tracksPerRequest: 100_000,
  /** Largest playlist file the importer reads. */
  importBytes: 50 * 1024 * 1024,
} as const

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/

const line = (max: number, what: string) =>
  z.string().check(
    z.maxLength(max, `${what} must be at most ${max} characters`),
    z.refine((s) => !CONTROL.test(s) && !/[\r\n]/.test(s), `${what} must be a single line of text`),
  )

const text = (max: number, what: string) =>
  z.string().check(
    z.maxLength(max, `${what} must be at most ${max} characters`),
    z.refine((s) => !CONTROL.test(s), `${what} must not contain control characters`),
  )

/** Trimmed, then at least one character. */
const nonEmpty = (message: string) => z.string().check(z.trim(), z.minLength(1, message))

/** Track id: opaque, URL-safe. */
export const TrackIdSchema = z.string().check(z.regex(/^[A-Za-z0-9_-]{1,64}$/, 'Invalid track id'))
/** Playlist id: opaque, URL-safe. */
export const PlaylistIdSchema = z
  .string()
  .check(z.regex(/^[A-Za-z0-9_-]{1,64}$/, 'Invalid playlist id'))

/** The editable fields of a track. */
export const TrackFieldsSchema = z.object({
  title: line(LIMITS.titleChars, 'Title'),
  artists: z
    .array(z.pipe(line(LIMITS.artistChars, 'Artist'), nonEmpty('Artist must not be empty')))
    .check(z.maxLength(LIMITS.artistsPerTrack, `At most ${LIMITS.artistsPerTrack} artists`)),
  album: line(LIMITS.albumChars, 'Album'),
  durationMs: z.nullable(
    z
      .int('Duration must be whole milliseconds')
      .check(
        z.minimum(0, 'Duration must not be negative'),
        z.maximum(LIMITS.durationMs, 'Duration is longer than a week'),
      ),
  ),
  source: line(LIMITS.sourceChars, 'Source'),
  notes: text(LIMITS.notesChars, 'Notes'),
  tags: z
    .array(z.pipe(line(LIMITS.tagChars, 'Tag'), nonEmpty('Tag must not be empty')))
    .check(z.maxLength(LIMITS.tagsPerTrack, `At most ${LIMITS.tagsPerTrack} tags`)),
})
export type TrackFields = z.infer<typeof TrackFieldsSchema>

/** What a caller gives to add a track: every field optional but at least a title or source. */
export const TrackInputSchema = z.partial(TrackFieldsSchema).check(
  z.refine((t) => Boolean(t.title?.trim() || t.source?.trim()), {
    message: 'A track needs a title or a source',
    path: ['title'],
  }),
)
export type TrackInput = z.infer<typeof TrackInputSchema>

/** A patch to an existing track. */
export const TrackPatchSchema = z.partial(TrackFieldsSchema)
export type TrackPatch = z.infer<typeof TrackPatchSchema>

/** A track as the UI sees it. */
export const TrackSchema = z.extend(TrackFieldsSchema, {
  id: TrackIdSchema,
  /** Fractional-index order key; tracks sort by (order, id). */
  order: z.string(),
  addedAt: z.number(),
  /** Peer id of whoever added it ('' before identity exists). */
  addedBy: z.string(),
})
export type Track = z.infer<typeof TrackSchema>

export const PlaylistNameSchema = z.pipe(
  line(LIMITS.playlistNameChars, 'Name'),
  nonEmpty('Name must not be empty'),
)
export const PlaylistDescriptionSchema = text(LIMITS.descriptionChars, 'Description')

/** Editable playlist metadata. */
export const PlaylistMetaSchema = z.object({
  name: PlaylistNameSchema,
  description: PlaylistDescriptionSchema,
})
export type PlaylistMeta = z.infer<typeof PlaylistMetaSchema>

/** A row of the library list. */
/** A capability secret on the bus: 32 random bytes, base64url (43 characters). */
export const CapabilitySecretSchema = z
  .string()
  .check(z.regex(/^[A-Za-z0-9_-]{43}$/, 'Invalid secret'))

/** Who may do what with a share link. PERSISTED NAMES. */
export const ShareRoleSchema = z.enum(['read', 'edit'])

/**
 * How a playlist is shared, as the library list shows it: one this user hosts (with the
 * roles that have a working link) or one joined from another peer (with its role).
 */
export const SharedSummarySchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('hosted'), roles: z.array(ShareRoleSchema) }),
  z.object({
    kind: z.literal('joined'),
    role: ShareRoleSchema,
    hostPeerId: z.string(),
    /** The host's copy has arrived at least once (it can be shown and edited offline). */
    received: z.boolean(),
  }),
])
export type SharedSummary = z.infer<typeof SharedSummarySchema>

export const PlaylistSummarySchema = z.object({
  id: PlaylistIdSchema,
  name: z.string(),
  description: z.string(),
  trackCount: z.number(),
  totalDurationMs: z.number(),
  createdAt: z.number(),
  updatedAt: z.number(),
  /** Absent: not shared. */
  shared: z.optional(SharedSummarySchema),
})
export type PlaylistSummary = z.infer<typeof PlaylistSummarySchema>

const isString = (v: unknown): v is string => typeof v === 'string'
const isStringList = (v: unknown) => Array.isArray(v) && v.every(isString)

/** Structural check of a track's editable fields (see {@link isTrackShape}). */
export function isTrackFieldsShape(value: unknown): value is TrackFields {
  if (typeof value !== 'object' || value === null) return false
  const t = value as Record<string, unknown>
  return (
    isString(t.title) &&
    isStringList(t.artists) &&
    isString(t.album) &&
    (t.durationMs === null || typeof t.durationMs === 'number') &&
    isString(t.source) &&
    isString(t.notes) &&
    isStringList(t.tags)
  )
}

/**
 * Structural check of one track as it crosses a boundary from the engine. The engine
 * only ever emits tracks it validated on the way in, so the receiving side checks shape
 * (types of every field) rather than re-running every content rule: a 10,000-track
 * playlist validates in about a millisecond instead of tens, keeping the page responsive.
 */
export function isTrackShape(value: unknown): value is Track {
  if (!isTrackFieldsShape(value)) return false
  const t = value as unknown as Record<string, unknown>
  return isString(t.id) && isString(t.order) && typeof t.addedAt === 'number' && isString(t.addedBy)
}

/** A list of tracks from the engine (shape-checked; see {@link isTrackShape}). */
export const TrackListSchema = z.custom<Track[]>(
  (value) => Array.isArray(value) && value.every(isTrackShape),
  'Invalid track list',
)

/** A whole playlist as the UI renders it, tracks in order. */
export const PlaylistViewSchema = z.extend(PlaylistSummarySchema, {
  tracks: TrackListSchema,
})
export type PlaylistView = z.infer<typeof PlaylistViewSchema>

/**
 * A window of a playlist's tracks (`tracks` are `offset…offset+tracks.length` of
 * `trackCount`). A big playlist crosses a boundary in pages, so no single message takes
 * long to deserialize on the receiving (UI) thread. `version` changes with every edit:
 * pages of different versions must not be stitched together.
 */
export const PlaylistPageSchema = z.extend(PlaylistViewSchema, {
  offset: z.int().check(z.nonnegative()),
  version: z.int().check(z.nonnegative()),
})
export type PlaylistPage = z.infer<typeof PlaylistPageSchema>

/** Tracks per page of `playlist/get` when the caller does not say. */
export const PLAYLIST_PAGE_TRACKS = 2000

/** An empty track with every field at its default. */
export function emptyTrackFields(): TrackFields {
  return { title: '', artists: [], album: '', durationMs: null, source: '', notes: '', tags: [] }
}

/** Fills the defaults of a validated {@link TrackInput}. */
export function normalizeTrackInput(input: TrackInput): TrackFields {
  const base = emptyTrackFields()
  return {
    title: (input.title ?? base.title).trim(),
    artists: (input.artists ?? base.artists).map((a) => a.trim()).filter(Boolean),
    album: (input.album ?? base.album).trim(),
    durationMs: input.durationMs ?? base.durationMs,
    source: (input.source ?? base.source).trim(),
    notes: input.notes ?? base.notes,
    tags: dedupe((input.tags ?? base.tags).map((t) => t.trim()).filter(Boolean)),
  }
}

function dedupe(values: string[]): string[] {
  return [...new Set(values)]
}
