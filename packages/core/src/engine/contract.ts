/**
 * The engine's bus contract: every request the UI can make of the engine (in a Web
 * Worker today, a utility process on desktop) and every event the engine publishes.
 */
import { z } from 'zod'
import { event, request } from '../bus/contract.ts'
import { diagnosticsChannels } from '../bus/diagnostics.ts'
import {
  LIMITS,
  PlaylistDescriptionSchema,
  PlaylistIdSchema,
  PlaylistNameSchema,
  PlaylistSummarySchema,
  PlaylistPageSchema,
  CapabilitySecretSchema,
  ShareRoleSchema,
  TrackIdSchema,
  TrackInputSchema,
  TrackPatchSchema,
  TrackSchema,
} from '../model/schemas.ts'

const Empty = z.object({})
const Ok = z.object({ ok: z.literal(true) })

/** Export formats the engine can write (mirrors `formats/ExportFormat`). */
export const ExportFormatSchema = z.enum(['m3u8', 'pls', 'xspf', 'jspf', 'csv', 'markdown'])

/** Where undo/redo leaves the user. */
export const HistoryStateSchema = z.object({ canUndo: z.boolean(), canRedo: z.boolean() })

const HistoryResult = HistoryStateSchema.extend({
  done: z.boolean(),
  /** The playlist the undone/redone edit touched; null for library-level edits. */
  playlistId: PlaylistIdSchema.nullable(),
})

/** A search hit. */
export const SearchHitSchema = z.object({
  playlistId: PlaylistIdSchema,
  playlistName: z.string(),
  track: TrackSchema,
})

/**
 * How a playlist is shared, with its secrets (kept in the library document, which never
 * leaves this device). `hosted`: the links this user made, one secret per role.
 * `joined`: what the link said, to reconnect to the host. PERSISTED SHAPE.
 */
export const ShareRecordSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('hosted'),
    grants: z.object({
      edit: CapabilitySecretSchema.optional(),
      read: CapabilitySecretSchema.optional(),
    }),
  }),
  z.object({
    kind: z.literal('joined'),
    hostPeerId: z.string().min(1).max(128),
    relays: z.array(z.string().max(1024)).max(8),
    role: ShareRoleSchema,
    secret: CapabilitySecretSchema,
    joinedAt: z.number(),
  }),
])
export type ShareRecord = z.infer<typeof ShareRecordSchema>

/** Yjs bytes between the engine and the page's sync node (bounded like a sync update). */
const DocBytes = z.custom<Uint8Array>((v) => v instanceof Uint8Array, 'Expected Yjs bytes')
const DOC_BYTES_MAX = 64 * 1024 * 1024

/** The engine's channels. */
export const engineContract = {
  'library/list': request(Empty, () => z.object({ playlists: z.array(PlaylistSummarySchema) }), {
    idempotent: true,
  }),
  'playlist/create': request(
    () =>
      z.object({ name: PlaylistNameSchema, description: PlaylistDescriptionSchema.default('') }),
    () => z.object({ id: PlaylistIdSchema }),
  ),
  'playlist/update': request(
    () =>
      z.object({
        id: PlaylistIdSchema,
        name: PlaylistNameSchema.optional(),
        description: PlaylistDescriptionSchema.optional(),
      }),
    Ok,
  ),
  'playlist/delete': request(() => z.object({ id: PlaylistIdSchema }), Ok),
  /** A page of a playlist (see PlaylistPageSchema); all of it when `limit` is omitted. */
  'playlist/get': request(
    () =>
      z.object({
        id: PlaylistIdSchema,
        offset: z.number().int().nonnegative().optional(),
        limit: z.number().int().positive().optional(),
      }),
    PlaylistPageSchema,
    { idempotent: true },
  ),
  'playlist/addTracks': request(
    () =>
      z.object({
        playlistId: PlaylistIdSchema,
        tracks: z.array(TrackInputSchema).min(1).max(LIMITS.tracksPerRequest),
        /** Insert position; default the end. */
        index: z.number().int().min(0).optional(),
      }),
    () => z.object({ ids: z.array(TrackIdSchema) }),
  ),
  'playlist/updateTrack': request(
    () =>
      z.object({ playlistId: PlaylistIdSchema, trackId: TrackIdSchema, patch: TrackPatchSchema }),
    Ok,
  ),
  'playlist/removeTracks': request(
    () => z.object({ playlistId: PlaylistIdSchema, trackIds: z.array(TrackIdSchema).min(1) }),
    () => z.object({ removed: z.number() }),
  ),
  'playlist/moveTracks': request(
    () =>
      z.object({
        playlistId: PlaylistIdSchema,
        trackIds: z.array(TrackIdSchema).min(1),
        /** Position in the list as it is without the moved tracks. */
        toIndex: z.number().int().min(0),
      }),
    () => z.object({ moved: z.number() }),
  ),
  'history/undo': request(Empty, HistoryResult),
  'history/redo': request(Empty, HistoryResult),
  'history/state': request(Empty, HistoryStateSchema, { idempotent: true }),
  'library/search': request(
    () =>
      z.object({
        query: z.string().max(500),
        limit: z.number().int().min(1).max(1000).default(100),
      }),
    () => z.object({ hits: z.array(SearchHitSchema), total: z.number() }),
    { idempotent: true },
  ),
  'import/file': request(
    () =>
      z.object({
        fileName: z.string().min(1).max(1000),
        bytes: z.instanceof(Uint8Array),
        /** Correlates `import/progressed` events with this call. */
        importId: z.string().max(100),
      }),
    () =>
      z.object({
        playlistId: PlaylistIdSchema,
        name: z.string(),
        added: z.number(),
        format: z.string(),
        warnings: z.array(z.object({ line: z.number().optional(), message: z.string() })),
      }),
    { timeoutMs: 120_000 },
  ),
  'export/playlist': request(
    () => z.object({ id: PlaylistIdSchema, format: ExportFormatSchema }),
    () => z.object({ fileName: z.string(), mimeType: z.string(), content: z.string() }),
    { idempotent: true, timeoutMs: 60_000 },
  ),
  /** The share record of one playlist (null: not shared). */
  'share/get': request(
    () => z.object({ playlistId: PlaylistIdSchema }),
    () => z.object({ record: ShareRecordSchema.nullable() }),
    { idempotent: true },
  ),
  /** Every live playlist's share record: what the sync node serves and joins. */
  'share/list': request(
    Empty,
    () =>
      z.object({
        shares: z.array(z.object({ playlistId: PlaylistIdSchema, record: ShareRecordSchema })),
      }),
    { idempotent: true },
  ),
  /** Makes a link for `role` on a playlist of this user's (keeps an existing one). */
  'share/create': request(
    () => z.object({ playlistId: PlaylistIdSchema, role: ShareRoleSchema }),
    () => z.object({ record: ShareRecordSchema }),
  ),
  /**
   * Revokes the `role` link: its secret stops working and whoever joined through it is
   * disconnected. `replace` makes a new link for the role at once.
   */
  'share/revoke': request(
    () => z.object({ playlistId: PlaylistIdSchema, role: ShareRoleSchema, replace: z.boolean() }),
    () => z.object({ record: ShareRecordSchema.nullable() }),
  ),
  /** Adds a playlist shared by another peer to the library (from a parsed share link). */
  'share/join': request(
    () =>
      z.object({
        playlistId: PlaylistIdSchema,
        hostPeerId: z.string().min(1).max(128),
        relays: z.array(z.string().max(1024)).max(8),
        role: ShareRoleSchema,
        secret: CapabilitySecretSchema,
      }),
    () => z.object({ playlistId: PlaylistIdSchema, rejoined: z.boolean() }),
  ),
  /** A shared playlist's state vector, for the sync node to send to a peer. */
  'doc/state': request(
    () => z.object({ id: PlaylistIdSchema }),
    () => z.object({ stateVector: DocBytes }),
    { idempotent: true, maxPayloadBytes: DOC_BYTES_MAX, timeoutMs: 60_000 },
  ),
  /**
   * What a peer lacks of a shared playlist, given its state vector (a malformed one is a
   * `ValidationError`).
   */
  'doc/sync': request(
    () => z.object({ id: PlaylistIdSchema, stateVector: DocBytes }),
    () => z.object({ update: DocBytes }),
    { idempotent: true, maxPayloadBytes: DOC_BYTES_MAX, timeoutMs: 60_000 },
  ),
  /**
   * Changes from peers, checked (a malformed update is a `ValidationError` and changes
   * nothing), applied and saved (not undoable: they are not this user's).
   */
  'doc/apply': request(() => z.object({ id: PlaylistIdSchema, update: DocBytes }), Ok, {
    idempotent: true,
    maxPayloadBytes: DOC_BYTES_MAX,
    timeoutMs: 60_000,
  }),
  /** A shared playlist changed here (this user, undo, another tab): for the sync node. */
  'doc/updated': event(() => z.object({ id: PlaylistIdSchema, update: DocBytes }), {
    maxPayloadBytes: DOC_BYTES_MAX,
  }),
  'library/changed': event(Empty),
  /**
   * Share records changed, or a playlist was added, deleted or restored: what `share/list`
   * answers may differ (not sent for edits inside playlists).
   */
  'share/changed': event(Empty),
  'playlist/changed': event(() => z.object({ id: PlaylistIdSchema })),
  'history/changed': event(HistoryStateSchema),
  'import/progressed': event(() =>
    z.object({
      importId: z.string(),
      phase: z.enum(['reading', 'parsing', 'saving', 'done']),
      fraction: z.number().min(0).max(1),
    }),
  ),
  /** The engine's bus figures and log lines, for the diagnostics view. */
  ...diagnosticsChannels,
} as const

/** The engine contract's type. */
export type EngineContract = typeof engineContract
export type SearchHit = z.infer<typeof SearchHitSchema>
export type HistoryState = z.infer<typeof HistoryStateSchema>
export type ExportFormatName = z.infer<typeof ExportFormatSchema>
