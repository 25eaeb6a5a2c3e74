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
  'collab/snapshot': request(z.object({}), CollabSnapshotSchema, { idempotent: true }),
  'collab/focus': request(
    z.object({ playlistId: PlaylistIdSchema.nullable(), trackId: z.string().max(64).nullable() }),
    Ok,
  ),
  'collab/reconnect': request(z.object({ playlistId: PlaylistIdSchema }), Ok),
  /** The snapshot changed (coalesced). */
  'collab/changed': event(CollabSnapshotSchema, { batch: { maxWaitMs: 50 } }),
} as const
export type CollabContract = typeof collabContract

/**
 * What a desktop window's port speaks: the engine and the collaboration node, both in
 * the utility process.
 */
export const desktopWindowContract = { ...engineContract, ...collabContract } as const
export type DesktopWindowContract = typeof desktopWindowContract
