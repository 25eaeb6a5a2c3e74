/**
 * The collaboration contract: how a window talks to a sync node that runs elsewhere (the
 * desktop utility process). The window owns the settings and the identity; it hands the
 * node its configuration, and the node answers with snapshots of who is connected where.
 * (On the web the node runs in the page itself and needs no contract.)
 */
import { z } from 'zod'
import { event, request } from '../bus/contract.ts'
import { engineContract } from '../engine/contract.ts'
import { PlaylistIdSchema } from '../model/schemas.ts'
import { FriendSchema, IceServerSchema, RelayAddressSchema } from '../model/settings.ts'

const Ok = z.object({ ok: z.literal(true) })

const PeerSchema = z.object({
  peerId: z.string(),
  name: z.string(),
  colour: z.string(),
  playlistId: z.string().nullable(),
  trackId: z.string().nullable(),
})

/** The live state of one shared playlist. */
export const SharedStatusSchema = z.object({
  kind: z.enum(['hosted', 'joined']),
  state: z.enum(['connecting', 'direct', 'relayed', 'offline']),
  peers: z.array(PeerSchema),
  synced: z.boolean(),
  progress: z.object({ received: z.number(), total: z.number() }).nullable(),
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
})

/** Everything a window shows about collaboration. */
export const CollabSnapshotSchema = z.object({
  node: z.enum(['off', 'starting', 'online', 'failed']),
  nodeError: z.string().nullable(),
  relays: z.array(z.string()),
  playlists: z.record(z.string(), SharedStatusSchema),
  friends: z.record(z.string(), z.object({ peerId: z.string(), online: z.boolean() })),
})
export type CollabSnapshotData = z.infer<typeof CollabSnapshotSchema>
export type SharedStatusData = z.infer<typeof SharedStatusSchema>
export type CollabPeerData = z.infer<typeof PeerSchema>

/** Nothing shared, no node running. */
export const EMPTY_COLLAB_SNAPSHOT: CollabSnapshotData = {
  node: 'off',
  nodeError: null,
  relays: [],
  playlists: {},
  friends: {},
}

/** What the node needs from the window's settings. */
export const CollabConfigSchema = z.object({
  /** The identity key (libp2p protobuf, base64). Sent only over the window's own port. */
  privateKey: z.string().min(1).max(256),
  relays: z.array(RelayAddressSchema).max(16),
  iceServers: z.array(IceServerSchema).max(8),
  displayName: z.string().max(64),
  friends: z.array(FriendSchema.shape.peerId).max(256),
})
export type CollabConfig = z.infer<typeof CollabConfigSchema>

export const collabContract = {
  /** (Re)configures the node; the same configuration again changes nothing. */
  'collab/configure': request(CollabConfigSchema, Ok),
  'collab/snapshot': request(() => z.object({}), CollabSnapshotSchema, { idempotent: true }),
  'collab/focus': request(
    () =>
      z.object({ playlistId: PlaylistIdSchema.nullable(), trackId: z.string().max(64).nullable() }),
    Ok,
  ),
  'collab/reconnect': request(() => z.object({ playlistId: PlaylistIdSchema }), Ok),
  /** The snapshot changed (coalesced). */
  'collab/changed': event(CollabSnapshotSchema, { batch: { maxWaitMs: 50 } }),
} as const
export type CollabContract = typeof collabContract

const JsonObjectSchema = z.record(z.string(), z.unknown())
const SettingsChangeSchema = z.object({
  path: z.array(z.string().max(200)).max(32),
  before: z.unknown().optional(),
  after: z.unknown().optional(),
})
/** The settings store's persisted state (`@whatnext/storage/settings` SettingsState). */
const SettingsStateSchema = z.object({
  version: z.number().int().min(0),
  seq: z.number().int().min(0),
  data: JsonObjectSchema,
  history: z.array(
    z.object({ seq: z.number().int(), at: z.number(), changes: z.array(SettingsChangeSchema) }),
  ),
  historyStart: z.number(),
})
const SettingsCommitSchema = z.object({
  at: z.number(),
  replace: z.object({ version: z.number().int().min(0), data: JsonObjectSchema }).optional(),
  changes: z.array(SettingsChangeSchema).optional(),
  retain: z.object({ maxEntries: z.number().int().min(0), maxAgeMs: z.number().min(0) }).optional(),
})
const Label = z.object({ label: z.string().min(1).max(100) })

/**
 * The settings store of a desktop window, kept by the utility process's file backend
 * (sandboxed windows have no file system). See `remoteSettingsBackend` in storage.
 */
export const settingsWireContract = {
  'settings/load': request(
    () => z.object({}),
    () =>
      z.object({
        state: SettingsStateSchema.nullable(),
        issues: z.array(z.string()),
        recovered: z.string().nullable(),
        hasBackup: z.boolean(),
      }),
    { idempotent: true },
  ),
  'settings/lastBackup': request(
    () => z.object({}),
    () => z.object({ state: SettingsStateSchema.nullable() }),
    {
      idempotent: true,
    },
  ),
  /** Compare-and-set on `seq`: `conflict` when another commit came first. */
  'settings/commit': request(
    () => z.object({ expectedSeq: z.number().int().min(0), commit: SettingsCommitSchema }),
    () => z.object({ conflict: z.boolean(), state: SettingsStateSchema.nullable() }),
  ),
  'settings/backup': request(Label, Ok),
  'settings/restore': request(Label, () => z.object({ state: SettingsStateSchema.nullable() })),
  /** Another window, another process or an outside edit changed the settings. */
  'settings/changed': event(() =>
    z.discriminatedUnion('type', [
      z.object({ type: z.literal('changed'), state: SettingsStateSchema }),
      z.object({
        type: z.literal('edited'),
        changes: z.array(SettingsChangeSchema),
        source: z.string().max(1000),
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
