/**
 * The collaboration contract: how a window talks to a sync node that runs elsewhere (the
 * desktop utility process). The window owns the settings and the identity; it hands the
 * node its configuration, and the node answers with snapshots of who is connected where.
 * (On the web the node runs in the page itself and needs no contract.)
 */
import * as z from 'zod/mini'
import { event, request } from '../bus/contract.ts'
import { engineContract } from '../engine/contract.ts'
import { PlaylistIdSchema } from '../model/schemas.ts'
import { FriendSchema, IceServerSchema, RelayAddressSchema } from '../model/settings.ts'

const Ok = z.object({ ok: z.literal(true) })

const PeerSchema = z.object({
  peerId: z.string(),
  name: z.string(),
  colour: z.string(),
  playlistId: z.nullable(z.string()),
  trackId: z.nullable(z.string()),
})

/** The live state of one shared playlist. */
export const SharedStatusSchema = z.object({
  kind: z.enum(['hosted', 'joined']),
  state: z.enum(['connecting', 'direct', 'relayed', 'offline']),
  peers: z.array(PeerSchema),
  synced: z.boolean(),
  progress: z.nullable(z.object({ received: z.number(), total: z.number() })),
  error: z.nullable(z.object({ code: z.string(), message: z.string() })),
})

/** Everything a window shows about collaboration. */
export const CollabSnapshotSchema = z.object({
  node: z.enum(['off', 'starting', 'online', 'failed']),
  nodeError: z.nullable(z.string()),
  relays: z.array(z.string()),
  playlists: z.record(z.string(), SharedStatusSchema),
  friends: z.record(z.string(), z.object({ peerId: z.string(), online: z.boolean() })),
})
export type CollabSnapshotData = z.infer<typeof CollabSnapshotSchema>
export type SharedStatusData = z.infer<typeof SharedStatusSchema>
export type CollabPeerData = z.infer<typeof PeerSchema>

/** What the node needs from the window's settings. */
export const CollabConfigSchema = z.object({
  /** The identity key (libp2p protobuf, base64). Sent only over the window's own port. */
  privateKey: z.string().check(z.minLength(1), z.maxLength(256)),
  relays: z.array(RelayAddressSchema).check(z.maxLength(16)),
  iceServers: z.array(IceServerSchema).check(z.maxLength(8)),
  displayName: z.string().check(z.maxLength(64)),
  friends: z.array(FriendSchema.shape.peerId).check(z.maxLength(256)),
})
export type CollabConfig = z.infer<typeof CollabConfigSchema>

export const collabContract = {
  /** (Re)configures the node; the same configuration again changes nothing. */
  'collab/configure': request(CollabConfigSchema, Ok),
  'collab/snapshot': request(() => z.object({}), CollabSnapshotSchema, { idempotent: true }),
  'collab/focus': request(
    () =>
      z.object({
        playlistId: z.nullable(PlaylistIdSchema),
        trackId: z.nullable(z.string().check(z.maxLength(64))),
      }),
    Ok,
  ),
  'collab/reconnect': request(() => z.object({ playlistId: PlaylistIdSchema }), Ok),
  /** The snapshot changed (coalesced). */
  'collab/changed': event(CollabSnapshotSchema, { batch: { maxWaitMs: 50 } }),
} as const
export type CollabContract = typeof collabContract

const JsonObjectSchema = z.record(z.string(), z.unknown())
const SettingsChangeSchema = z.object({
  path: z.array(z.string().check(z.maxLength(200))).check(z.maxLength(32)),
  before: z.optional(z.unknown()),
  after: z.optional(z.unknown()),
})
/** The settings store's persisted state (`@whatnext/storage/settings` SettingsState). */
const SettingsStateSchema = z.object({
  version: z.int().check(z.minimum(0)),
  seq: z.int().check(z.minimum(0)),
  data: JsonObjectSchema,
  history: z.array(
    z.object({ seq: z.int(), at: z.number(), changes: z.array(SettingsChangeSchema) }),
  ),
  historyStart: z.number(),
})
const SettingsCommitSchema = z.object({
  at: z.number(),
  replace: z.optional(z.object({ version: z.int().check(z.minimum(0)), data: JsonObjectSchema })),
  changes: z.optional(z.array(SettingsChangeSchema)),
  retain: z.optional(
    z.object({ maxEntries: z.int().check(z.minimum(0)), maxAgeMs: z.number().check(z.minimum(0)) }),
  ),
})
const Label = z.object({ label: z.string().check(z.minLength(1), z.maxLength(100)) })

/**
 * The settings store of a desktop window, kept by the utility process's file backend
 * (sandboxed windows have no file system). See `remoteSettingsBackend` in storage.
 */
export const settingsWireContract = {
  'settings/load': request(
    () => z.object({}),
    () =>
      z.object({
        state: z.nullable(SettingsStateSchema),
        issues: z.array(z.string()),
        recovered: z.nullable(z.string()),
        hasBackup: z.boolean(),
      }),
    { idempotent: true },
  ),
  'settings/lastBackup': request(
    () => z.object({}),
    () => z.object({ state: z.nullable(SettingsStateSchema) }),
    {
      idempotent: true,
    },
  ),
  /** Compare-and-set on `seq`: `conflict` when another commit came first. */
  'settings/commit': request(
    () => z.object({ expectedSeq: z.int().check(z.minimum(0)), commit: SettingsCommitSchema }),
    () => z.object({ conflict: z.boolean(), state: z.nullable(SettingsStateSchema) }),
  ),
  'settings/backup': request(Label, Ok),
  'settings/restore': request(Label, () => z.object({ state: z.nullable(SettingsStateSchema) })),
  /** Another window, another process or an outside edit changed the settings. */
  'settings/changed': event(() =>
    z.discriminatedUnion('type', [
      z.object({ type: z.literal('changed'), state: SettingsStateSchema }),
      z.object({
        type: z.literal('edited'),
        changes: z.array(SettingsChangeSchema),
        source: z.string().check(z.maxLength(1000)),
      }),
    ]),
  ),
} as const

export type SettingsWireContract = typeof settingsWireContract

/**
 * What a desktop window's port speaks: the engine, the collaboration node and the
 * settings backend, all in the utility process.
 */
export const desktopWindowContract = {
  ...engineContract,
  ...collabContract,
  ...settingsWireContract,
} as const
export type DesktopWindowContract = typeof desktopWindowContract
