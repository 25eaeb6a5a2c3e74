/**
 * The engine's bus contract: every request the UI can make of the engine (in a Web
 * Worker today, a utility process on desktop) and every event the engine publishes.
 */
import * as z from 'zod/mini'
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

const HistoryResult = z.extend(HistoryStateSchema, {
  done: z.boolean(),
  /** The playlist the undone/redone edit touched; null for library-level edits. */
  playlistId: z.nullable(PlaylistIdSchema),
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
      edit: z.optional(CapabilitySecretSchema),
      read: z.optional(CapabilitySecretSchema),
    }),
  }),
  z.object({
    kind: z.literal('joined'),
    hostPeerId: z.string().check(z.minLength(1), z.maxLength(128)),
    relays: z.array(z.string().check(z.maxLength(1024))).check(z.maxLength(8)),
    role: ShareRoleSchema,
    secret: CapabilitySecretSchema,
    joinedAt: z.number(),
  }),
])
export type ShareRecord = z.infer<typeof ShareRecordSchema>

/** Yjs bytes between the engine and the page's sync node (bounded like a sync update). */
const DocBytes = z.custom<Uint8Array>((v) => v instanceof Uint8Array, 'Expected Yjs bytes')
const DOC_BYTES_MAX = 64 * 1024 * 1024

/** Settings as plain JSON (the store that owns them validates every change). */
const SettingsJson = z.record(z.string(), z.unknown())
const SETTINGS_PATH = z.string().check(z.maxLength(500))

/** The settings store as its owner (the engine) last saw it; see `@whatnext/storage/settings/view`. */
const SettingsSnapshotSchema = z.object({
  revision: z.number(),
  store: SettingsJson,
  version: z.number(),
  historyStart: z.number(),
  history: z.array(
    z.object({
      seq: z.number(),
      at: z.number(),
      changes: z.array(
        z.object({
          path: z.string(),
          before: z.optional(z.unknown()),
          after: z.optional(z.unknown()),
        }),
      ),
    }),
  ),
  exported: z.object({ version: z.number(), data: SettingsJson }),
})

/** A change a page asks of the settings store. */
const SettingsOpSchema = z.discriminatedUnion('op', [
  z.object({ op: z.literal('set'), path: SETTINGS_PATH, value: z.unknown() }),
  z.object({ op: z.literal('patch'), patch: SettingsJson }),
  z.object({ op: z.literal('delete'), path: SETTINGS_PATH }),
  z.object({ op: z.literal('reset'), paths: z.array(SETTINGS_PATH).check(z.maxLength(100)) }),
  z.object({ op: z.literal('rollback'), at: z.number() }),
  z.object({ op: z.literal('flush') }),
])

/** The engine's channels. */
export const engineContract = {
  'library/list': request(Empty, () => z.object({ playlists: z.array(PlaylistSummarySchema) }), {
    idempotent: true,
  }),
  'playlist/create': request(
    () =>
      z.object({
        name: PlaylistNameSchema,
        description: z._default(PlaylistDescriptionSchema, ''),
      }),
    () => z.object({ id: PlaylistIdSchema }),
  ),
  'playlist/update': request(
    () =>
      z.object({
        id: PlaylistIdSchema,
        name: z.optional(PlaylistNameSchema),
        description: z.optional(PlaylistDescriptionSchema),
      }),
    Ok,
  ),
  'playlist/delete': request(() => z.object({ id: PlaylistIdSchema }), Ok),
  /** A page of a playlist (see PlaylistPageSchema); all of it when `limit` is omitted. */
  'playlist/get': request(
    () =>
      z.object({
        id: PlaylistIdSchema,
        offset: z.optional(z.int().check(z.nonnegative())),
        limit: z.optional(z.int().check(z.positive())),
      }),
    PlaylistPageSchema,
    { idempotent: true },
  ),
  'playlist/addTracks': request(
    () =>
      z.object({
        playlistId: PlaylistIdSchema,
        tracks: z
          .array(TrackInputSchema)
          .check(z.minLength(1), z.maxLength(LIMITS.tracksPerRequest)),
        /** Insert position; default the end. */
        index: z.optional(z.int().check(z.minimum(0))),
      }),
    () => z.object({ ids: z.array(TrackIdSchema) }),
  ),
  'playlist/updateTrack': request(
    () =>
      z.object({ playlistId: PlaylistIdSchema, trackId: TrackIdSchema, patch: TrackPatchSchema }),
    Ok,
  ),
  'playlist/removeTracks': request(
    () =>
      z.object({
        playlistId: PlaylistIdSchema,
        trackIds: z.array(TrackIdSchema).check(z.minLength(1)),
      }),
    () => z.object({ removed: z.number() }),
  ),
  'playlist/moveTracks': request(
    () =>
      z.object({
        playlistId: PlaylistIdSchema,
        trackIds: z.array(TrackIdSchema).check(z.minLength(1)),
        /** Position in the list as it is without the moved tracks. */
        toIndex: z.int().check(z.minimum(0)),
      }),
    () => z.object({ moved: z.number() }),
  ),
  'history/undo': request(Empty, HistoryResult),
  'history/redo': request(Empty, HistoryResult),
  'history/state': request(Empty, HistoryStateSchema, { idempotent: true }),
  'library/search': request(
    () =>
      z.object({
        query: z.string().check(z.maxLength(500)),
        limit: z._default(z.int().check(z.minimum(1), z.maximum(1000)), 100),
      }),
    () => z.object({ hits: z.array(SearchHitSchema), total: z.number() }),
    { idempotent: true },
  ),
  'import/file': request(
    () =>
      z.object({
        fileName: z.string().check(z.minLength(1), z.maxLength(1000)),
        bytes: z.instanceof(Uint8Array),
        /** Correlates `import/progressed` events with this call. */
        importId: z.string().check(z.maxLength(100)),
      }),
    () =>
      z.object({
        playlistId: PlaylistIdSchema,
        name: z.string(),
        added: z.number(),
        format: z.string(),
        warnings: z.array(z.object({ line: z.optional(z.number()), message: z.string() })),
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
    () => z.object({ record: z.nullable(ShareRecordSchema) }),
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
    () => z.object({ record: z.nullable(ShareRecordSchema) }),
  ),
  /** Adds a playlist shared by another peer to the library (from a parsed share link). */
  'share/join': request(
    () =>
      z.object({
        playlistId: PlaylistIdSchema,
        hostPeerId: z.string().check(z.minLength(1), z.maxLength(128)),
        relays: z.array(z.string().check(z.maxLength(1024))).check(z.maxLength(8)),
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
      fraction: z.number().check(z.minimum(0), z.maximum(1)),
    }),
  ),
  /**
   * The settings store, kept by the engine (IndexedDB, secrets, migrations, history, other
   * tabs); the page holds a view of it (`openSettingsView`).
   */
  'settingsView/open': request(
    Empty,
    () =>
      z.object({
        snapshot: SettingsSnapshotSchema,
        report: z.object({
          issues: z.array(z.string()),
          recovered: z.optional(
            z.object({ source: z.enum(['backup', 'defaults']), reason: z.string() }),
          ),
          migrated: z.optional(z.object({ from: z.number(), to: z.number(), backup: z.string() })),
          migrationError: z.optional(z.object({ message: z.string(), details: z.unknown() })),
        }),
      }),
    { idempotent: true },
  ),
  /** Applies a change; answers the snapshot after it (a refused change: ValidationError). */
  'settingsView/update': request(
    () => SettingsOpSchema,
    () => SettingsSnapshotSchema,
  ),
  /** Whether the saved settings hold a value at `path` (ahead of the store for a moment). */
  'settingsView/stored': request(
    () => z.object({ path: SETTINGS_PATH }),
    () => z.object({ stored: z.boolean() }),
    { idempotent: true },
  ),
  /** After every change to the settings, made here or in another tab. */
  'settingsView/changed': event(() => SettingsSnapshotSchema),
  /** The engine's bus figures and log lines, for the diagnostics view. */
  ...diagnosticsChannels,
} as const

/** The engine contract's type. */
export type EngineContract = typeof engineContract
export type SearchHit = z.infer<typeof SearchHitSchema>
export type HistoryState = z.infer<typeof HistoryStateSchema>
export type ExportFormatName = z.infer<typeof ExportFormatSchema>
