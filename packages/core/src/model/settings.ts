/**
 * The app's settings: what the user chooses (theme, name, relays, import/export
 * defaults). One schema for every platform; the settings store
 * (`@whatnext/storage/settings`) keeps it, validates every change against it and syncs
 * it across tabs, windows and processes.
 */
import * as z from 'zod/mini'
import { ExportFormatSchema } from '../engine/contract.ts'

/** Light, dark, or whatever the system says. */
export const ThemeChoiceSchema = z.enum(['system', 'light', 'dark'])
export type ThemeChoice = z.infer<typeof ThemeChoiceSchema>

/**
 * A libp2p multiaddr of a relay reachable from a browser: WebSockets over an IP or DNS
 * name, ending in the relay's peer id, e.g. `/dns4/relay.example/tcp/443/wss/p2p/12D3Koo…`.
 */
export const RelayAddressSchema = z
  .string()
  .check(
    z.maxLength(512),
    z.regex(
      /^\/(ip4|ip6|dns|dns4|dns6)\/[^/\s]+\/tcp\/\d{1,5}\/(ws|wss|tls\/ws)\/p2p\/[1-9A-HJ-NP-Za-km-z]{32,128}$/,
      'a WebSocket multiaddr ending in /p2p/<peer id>, e.g. /dns4/relay.example/tcp/443/wss/p2p/12D3Koo…',
    ),
  )

/**
 * A STUN or TURN server for WebRTC (browsers behind NATs that cannot reach each other
 * directly need TURN), as `RTCIceServer` takes it.
 */
export const IceServerSchema = z.object({
  urls: z
    .string()
    .check(
      z.maxLength(512),
      z.regex(/^(stun|stuns|turn|turns):[^\s]+$/, 'a stun:, stuns:, turn: or turns: URL'),
    ),
  username: z.optional(z.string().check(z.maxLength(256))),
  credential: z.optional(z.string().check(z.maxLength(256))),
})
export type IceServer = z.infer<typeof IceServerSchema>

/** A peer the user saved as a friend (reconnected to when both are online). */
export const FriendSchema = z.object({
  peerId: z.string().check(z.regex(/^[1-9A-HJ-NP-Za-km-z]{32,128}$/, 'a peer id')),
  name: z.string().check(z.maxLength(64)),
  addedAt: z.number(),
})
export type Friend = z.infer<typeof FriendSchema>

/** Limits of the settings' fields. */
export const SETTINGS_LIMITS = {
  displayNameChars: 64,
  relays: 16,
  iceServers: 8,
  friends: 256,
} as const

/** PERSISTED NAMES: every key below is stored in users' settings; rename with a migration. */
export const appSettingsSchema = z.object({
  theme: ThemeChoiceSchema,
  profile: z.object({
    /** Shown to collaborators next to your presence. */
    displayName: z.string().check(
      z.maxLength(SETTINGS_LIMITS.displayNameChars),
      z.refine((s) => s === s.trim(), 'no spaces at the start or end'),
    ),
  }),
  network: z.object({
    /** Extra relays to use besides the ones a shared link names. */
    relayAddresses: z.array(RelayAddressSchema).check(z.maxLength(SETTINGS_LIMITS.relays)),
    /** STUN/TURN servers for WebRTC (empty: host candidates only, relay as fallback). */
    iceServers: z.array(IceServerSchema).check(z.maxLength(SETTINGS_LIMITS.iceServers)),
  }),
  /** Peers saved with "Save as friend". */
  friends: z.array(FriendSchema).check(z.maxLength(SETTINGS_LIMITS.friends)),
  desktop: z.object({
    /** Which releases the desktop app updates to. */
    updateChannel: z.enum(['stable', 'beta']),
  }),
  library: z.object({
    /** Open the new playlist when an import finishes. */
    openAfterImport: z.boolean(),
    /** Format the Export button offers first. */
    exportFormat: ExportFormatSchema,
  }),
  identity: z.object({
    /**
     * This device's Ed25519 private key (libp2p protobuf, base64), made on first start.
     * Its peer id is the user id. Secret: encrypted at rest, never shown or exported.
     */
    privateKey: z.optional(
      z
        .string()
        .check(z.maxLength(256), z.regex(/^[A-Za-z0-9+/]+={0,2}$/, 'a base64 key'))
        .register(z.globalRegistry, { secret: true }),
    ),
  }),
})
export type AppSettings = z.infer<typeof appSettingsSchema>

/** The settings of a first start. */
export const appSettingsDefaults: AppSettings = {
  theme: 'system',
  profile: { displayName: '' },
  network: { relayAddresses: [], iceServers: [] },
  friends: [],
  desktop: { updateChannel: 'stable' },
  library: { openAfterImport: true, exportFormat: 'm3u8' },
  identity: {},
}

/** Version of {@link appSettingsSchema}; bump it with a migration when the shape changes. */
export const APP_SETTINGS_VERSION = 3

/** Migrations of stored settings, keyed by the version each one produces. */
export const appSettingsMigrations: Record<
  number,
  (data: Record<string, unknown>) => Record<string, unknown>
> = {
  /** v2: the identity section (the key itself is made on first start). */
  2: (data) => ({ ...data, identity: data.identity ?? {} }),
  /** v3: ICE servers (STUN/TURN), friends, and the desktop app's update channel. */
  3: (data) => {
    const network = (data.network ?? {}) as Record<string, unknown>
    return {
      ...data,
      network: { ...network, iceServers: network.iceServers ?? [] },
      friends: data.friends ?? [],
      desktop: data.desktop ?? { updateChannel: 'stable' },
    }
  },
}

/** What every owner of the app's settings store opens it with (plus its backend and secrets). */
export const appSettingsStoreOptions = {
  schema: appSettingsSchema,
  defaults: appSettingsDefaults,
  version: APP_SETTINGS_VERSION,
  migrations: appSettingsMigrations,
}
