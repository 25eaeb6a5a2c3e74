/**
 * The real engine, in process, behind a real bus endpoint: what the UI tests drive.
 * Only the transport differs from production (an in-memory pair instead of a Worker).
 */
import {
  createEndpoint,
  createEngine,
  createTransportPair,
  engineContract,
  serveEngine,
  systemClock,
  type Endpoint,
  type Engine,
  type EngineContract,
} from '@whatnext/core'
import {
  APP_SETTINGS_VERSION,
  appSettingsDefaults,
  appSettingsMigrations,
  appSettingsSchema,
} from '@whatnext/core'
import { MemoryDocumentStore } from '@whatnext/storage/memory'
import {
  MemorySettingsBackend,
  MemorySettingsCell,
  createSettingsStore,
  memorySecretKey,
} from '@whatnext/storage/settings'
import type { AppSettingsStore } from '../Settings/SettingsProvider'

/**
 * A settings store on memory. Stores opened on one `cell` share it like two tabs share
 * IndexedDB: a change in one reaches the others.
 */
export function openTestSettings(cell = new MemorySettingsCell()): Promise<AppSettingsStore> {
  return createSettingsStore({
    schema: appSettingsSchema,
    defaults: appSettingsDefaults,
    version: APP_SETTINGS_VERSION,
    migrations: appSettingsMigrations,
    backend: new MemorySettingsBackend(cell),
    secrets: memorySecretKey(),
  })
}

/** An engine and a UI-side client connected to it. */
export interface TestEngine {
  engine: Engine
  client: Endpoint<EngineContract>
  settings: AppSettingsStore
  close(): Promise<void>
}

/** Starts an empty library on an in-memory store. */
export async function startTestEngine(): Promise<TestEngine> {
  const clock = systemClock(globalThis)
  const [a, b] = createTransportPair()
  const engine = await createEngine({ documents: new MemoryDocumentStore(), clock })
  const server = createEndpoint(engineContract, { transport: a, clock }, { name: 'engine' })
  const stop = serveEngine(engine, server)
  const client = createEndpoint(engineContract, { transport: b, clock }, { name: 'ui' })
  const settings = await openTestSettings()
  return {
    engine,
    client,
    settings,
    async close() {
      await settings.close()
      stop()
      client.close()
      server.close()
      await engine.close()
    },
  }
}

/** Creates a playlist with `count` generated tracks, straight through the engine. */
export async function seedPlaylist(
  engine: Engine,
  name: string,
  tracks: number | { title: string; artists?: string[]; album?: string; durationMs?: number }[],
): Promise<string> {
  const { id } = await engine.createPlaylist({ name })
  const list =
    typeof tracks === 'number'
      ? Array.from({ length: tracks }, (_, i) => ({
          title: `Track ${i + 1}`,
          artists: [`Artist ${i + 1}`],
          durationMs: 200_000,
        }))
      : tracks
  if (list.length > 0) await engine.addTracks(id, list)
  return id
}
