/**
 * The utility-process entry as shipped (`dist/utility.cjs`, bundled by scripts/build.mjs)
 * under plain Node: `child_process.fork` with the parent-port shim standing in for
 * Electron's `utilityProcess` and MessagePorts. Engine round trips over the bus, and a
 * SIGKILL in the middle of writes followed by the supervisor's restart.
 */
import { fork } from 'node:child_process'
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import {
  APP_SETTINGS_VERSION,
  appSettingsDefaults,
  appSettingsMigrations,
  appSettingsSchema,
  createEndpoint,
  createEngine,
  createTransportPair,
  desktopWindowContract,
  engineContract,
  serveEngine,
  systemClock,
  type CollabSnapshotData,
  type Endpoint,
  type EngineContract,
} from '@whatnext/core'
import { MemoryDocumentStore } from '@whatnext/storage/memory'
import {
  createSettingsStore,
  importSecretKey,
  remoteSettingsBackend,
  settingsRemoteOverBus,
} from '@whatnext/storage/settings'
import { fileSecretKeyBytes } from '@whatnext/storage/settings/file'
import { createCollab, createSyncService } from '@whatnext/p2p'
import { createIdentity } from '@whatnext/p2p/identity'
import { createNode } from '@whatnext/p2p/node'
import { createRelay } from '@whatnext/p2p/relay'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { UtilitySupervisor, type ChildLike } from '../src/main/utility-supervisor.ts'
import { forkedUtility, type ForkedUtility } from '../src/utility/parent-port.ts'

const root = fileURLToPath(new URL('..', import.meta.url))
const clock = systemClock(globalThis)
let outdir: string
let entry: string
const cleanup: (() => Promise<void> | void)[] = []

beforeAll(async () => {
  outdir = await mkdtemp(join(tmpdir(), 'whatnext-desktop-build-'))
  const { build } = (await import(join(root, 'scripts/build.mjs'))) as {
    build(init: { outdir: string }): Promise<string[]>
  }
  await build({ outdir })
  entry = join(outdir, 'utility.cjs')
})
afterAll(async () => {
  for (const fn of cleanup.reverse()) await fn()
  await rm(outdir, { recursive: true, force: true })
})

function spawnUtility(): ForkedUtility {
  const child = fork(entry, [], {
    serialization: 'advanced',
    stdio: ['ignore', 'ignore', process.env.UTILITY_STDERR ? 'inherit' : 'pipe', 'ipc'],
  })
  return forkedUtility(child)
}

function client(utility: ForkedUtility, windowId: number): Endpoint<EngineContract> {
  return createEndpoint(
    engineContract,
    { transport: utility.connect({ type: 'connect', windowId }), clock },
    { name: `window-${windowId}` },
  )
}

async function tempDir(prefix: string) {
  const dir = await mkdtemp(join(tmpdir(), prefix))
  cleanup.push(() => rm(dir, { recursive: true, force: true }))
  return dir
}

describe('utility process under plain Node', () => {
  it('serves the engine to several windows over the bus', async () => {
    const libraryDir = await tempDir('whatnext-utility-lib-')
    const utility = spawnUtility()
    cleanup.push(() => void utility.child.kill('SIGKILL'))
    utility.postMessage({ type: 'init', libraryDir, dataDir: libraryDir })
    const a = client(utility, 1)
    const b = client(utility, 2)
    const changed: string[] = []
    b.on('playlist/changed', ({ id }) => changed.push(id))

    const { id } = await a.request('playlist/create', { name: 'Desk', description: 'mine' })
    const { ids } = await a.request('playlist/addTracks', {
      playlistId: id,
      tracks: [
        { title: 'Alpha', artists: ['X'], durationMs: 61_000 },
        { title: 'Beta', source: 'https://example.com/b' },
      ],
    })
    expect(ids).toHaveLength(2)
    // The other window sees the change and the same data.
    const page = await b.request('playlist/get', { id })
    expect(page.tracks.map((t) => t.title)).toEqual(['Alpha', 'Beta'])
    await expect.poll(() => changed.includes(id)).toBe(true)
    await b.request('playlist/moveTracks', { playlistId: id, trackIds: [ids[1]!], toIndex: 0 })
    expect((await a.request('playlist/get', { id })).tracks.map((t) => t.title)).toEqual([
      'Beta',
      'Alpha',
    ])
    expect((await a.request('library/search', { query: 'alp', limit: 10 })).total).toBe(1)
    const undone = await a.request('history/undo', {})
    expect(undone.done).toBe(true)
    const exported = await a.request('export/playlist', { id, format: 'markdown' })
    expect(exported.content).toContain('name: Desk')
    expect((await b.request('library/list', {})).playlists.map((p) => p.name)).toEqual(['Desk'])

    // The library folder holds the playlist as Markdown.
    await expect
      .poll(async () => (await readdir(libraryDir)).filter((f) => f.endsWith('.md')), {
        timeout: 5000,
      })
      .toEqual(['Desk.md'])
    expect(await readFile(join(libraryDir, 'Desk.md'), 'utf8')).toContain('title: Alpha')
    a.close()
    b.close()
  })

  it('restarts within a second after SIGKILL mid-write and loses no acknowledged edit', async () => {
    const libraryDir = await tempDir('whatnext-utility-crash-')
    const forks: ForkedUtility[] = []
    const exits: number[] = []
    const starts: number[] = []
    const supervisor = new UtilitySupervisor(
      {
        spawn(): ChildLike {
          const utility = spawnUtility()
          forks.push(utility)
          return {
            get pid() {
              return utility.child.pid
            },
            postMessage: (message) => utility.postMessage(message),
            onExit: (listener) =>
              utility.child.once('exit', (code) => {
                exits.push(Date.now())
                listener(code)
              }),
            kill: () => void utility.child.kill('SIGKILL'),
          }
        },
        setTimeout: (fn, ms) => setTimeout(fn, ms),
        clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
        now: () => Date.now(),
      },
      { initMessage: { type: 'init', libraryDir, dataDir: libraryDir } },
    )
    supervisor.onStarted(() => starts.push(Date.now()))
    supervisor.start()
    cleanup.push(() => supervisor.stop())

    let window = client(forks[0]!, 1)
    const { id } = await window.request('playlist/create', { name: 'Crashy' })
    const acknowledged: string[] = []
    let writing = true
    const writer = (async () => {
      for (let i = 0; writing; i++) {
        try {
          await window.request(
            'playlist/addTracks',
            { playlistId: id, tracks: [{ title: `w${i}` }] },
            { timeoutMs: 2000 },
          )
          acknowledged.push(`w${i}`)
        } catch {
          // The process died under this request: it was never acknowledged.
          await new Promise((r) => setTimeout(r, 20))
        }
      }
    })()
    await expect.poll(() => acknowledged.length, { timeout: 10_000 }).toBeGreaterThan(20)
    forks[0]!.child.kill('SIGKILL')
    await expect.poll(() => starts.length, { timeout: 5000 }).toBe(2)
    expect(starts[1]! - exits[0]!).toBeLessThan(1000)
    writing = false
    await writer
    window.close()

    // Main hands the window a new port to the new process.
    window = client(forks[1]!, 1)
    const titles = (await window.request('playlist/get', { id })).tracks.map((t) => t.title)
    for (const title of acknowledged) expect(titles).toContain(title)
    // And it keeps working.
    await window.request('playlist/addTracks', { playlistId: id, tracks: [{ title: 'after' }] })
    expect((await window.request('playlist/get', { id })).tracks.at(-1)?.title).toBe('after')
    window.close()
  })

  it('runs the sync node: a playlist the desktop shares is joined and edited by a peer', async () => {
    const libraryDir = await tempDir('whatnext-utility-p2p-')
    const dataDir = await tempDir('whatnext-utility-data-')
    const relay = await createRelay({ port: 0 })
    cleanup.push(() => relay.stop())
    const utility = spawnUtility()
    cleanup.push(() => void utility.child.kill('SIGKILL'))
    utility.postMessage({ type: 'init', libraryDir, dataDir })
    const window = createEndpoint(
      desktopWindowContract,
      { transport: utility.connect({ type: 'connect', windowId: 7 }), clock },
      { name: 'window-7' },
    )
    let snapshot: CollabSnapshotData | null = null
    window.on('collab/changed', (s) => (snapshot = s))
    const identity = await createIdentity()
    await window.request('collab/configure', {
      privateKey: identity.encoded,
      relays: relay.multiaddrs(),
      iceServers: [],
      displayName: 'Desk',
      friends: [],
    })
    await expect.poll(() => snapshot?.node, { timeout: 10_000 }).toBe('online')
    await expect.poll(() => snapshot?.relays.length, { timeout: 10_000 }).toBe(1)

    const { id } = await window.request('playlist/create', { name: 'From the desktop' })
    await window.request('playlist/addTracks', { playlistId: id, tracks: [{ title: 'Desk 1' }] })
    const { record } = await window.request('share/create', { playlistId: id, role: 'edit' })
    if (record.kind !== 'hosted') throw new Error('not hosted')

    // A peer elsewhere (an engine of its own, a node, the bridge) joins through the relay.
    const engine = await createEngine({ documents: new MemoryDocumentStore(), clock })
    const [server, side] = createTransportPair()
    serveEngine(engine, createEndpoint(engineContract, { transport: server, clock }))
    const peer = createEndpoint(engineContract, { transport: side, clock })
    const node = await createNode({ relays: relay.multiaddrs(), listen: [] })
    const sync = await createSyncService({ node })
    const collab = await createCollab({
      engine: peer,
      sync,
      presence: { name: 'Peer', colour: '#112233', playlistId: null, trackId: null },
    })
    cleanup.push(async () => {
      await collab.close()
      await sync.stop()
      await node.stop()
      await engine.close()
    })
    await peer.request('share/join', {
      playlistId: id,
      hostPeerId: identity.peerId,
      relays: snapshot!.relays,
      role: 'edit',
      secret: record.grants.edit!,
    })
    const titles = async (e: Endpoint<EngineContract>) =>
      (await e.request('playlist/get', { id })).tracks.map((t) => t.title)
    await expect.poll(() => titles(peer), { timeout: 15_000 }).toEqual(['Desk 1'])
    await peer.request('playlist/addTracks', { playlistId: id, tracks: [{ title: 'Peer 1' }] })
    const desk = window as unknown as Endpoint<EngineContract>
    await expect.poll(() => titles(desk), { timeout: 10_000 }).toEqual(['Desk 1', 'Peer 1'])
    await expect
      .poll(() => snapshot?.playlists[id]?.peers.map((p) => p.name), { timeout: 10_000 })
      .toEqual(['Peer'])
    // The peer's edit reached the plaintext library folder too.
    await expect
      .poll(async () => readFile(join(libraryDir, 'From the desktop.md'), 'utf8'), {
        timeout: 5000,
      })
      .toContain('Peer 1')
    // The link's secret is kept in the data directory, never in the library folder.
    const everything = async (dir: string): Promise<string> => {
      const files = await readdir(dir, { recursive: true, withFileTypes: true })
      const texts = await Promise.all(
        files.filter((f) => f.isFile()).map((f) => readFile(join(f.parentPath, f.name), 'latin1')),
      )
      return texts.join('\n')
    }
    expect(await everything(libraryDir)).not.toContain(record.grants.edit!)
    expect(await everything(dataDir)).toContain(record.grants.edit!)
    window.close()
  })

  it('keeps every window’s settings in one file backend: shared live, secrets sealed, kept across restarts', async () => {
    const libraryDir = await tempDir('whatnext-utility-settings-lib-')
    const dataDir = await tempDir('whatnext-utility-settings-data-')
    // What main hands each window: the key it keeps in the data directory.
    const keyBytes = await fileSecretKeyBytes({ dir: dataDir })
    const open = async (utility: ForkedUtility, windowId: number) => {
      const endpoint = createEndpoint(
        desktopWindowContract,
        { transport: utility.connect({ type: 'connect', windowId }), clock },
        { name: `window-${windowId}` },
      )
      const settings = await createSettingsStore({
        schema: appSettingsSchema,
        defaults: appSettingsDefaults,
        version: APP_SETTINGS_VERSION,
        migrations: appSettingsMigrations,
        backend: remoteSettingsBackend(settingsRemoteOverBus(endpoint)),
        secrets: { key: () => importSecretKey(globalThis.crypto.subtle, keyBytes) },
      })
      return { endpoint, settings }
    }
    const start = () => {
      const utility = spawnUtility()
      cleanup.push(() => void utility.child.kill('SIGKILL'))
      utility.postMessage({ type: 'init', libraryDir, dataDir })
      return utility
    }
    const utility = start()
    const a = await open(utility, 1)
    const b = await open(utility, 2)
    const seen: string[] = []
    b.settings.onDidChange('profile.displayName', (name) => seen.push(name))
    await a.settings.set('profile.displayName', 'Ana')
    await expect.poll(() => b.settings.get('profile.displayName')).toBe('Ana')
    expect(seen).toEqual(['Ana'])
    // Both windows write at once: neither write is lost.
    await Promise.all([
      a.settings.set('theme', 'dark'),
      b.settings.set('desktop.updateChannel', 'beta'),
    ])
    await expect.poll(() => a.settings.get('desktop.updateChannel')).toBe('beta')
    await expect.poll(() => b.settings.get('theme')).toBe('dark')
    await b.settings.set('identity.privateKey', 'c2VjcmV0LWtleS1ieXRlcw==')
    // On disk in the data directory, the secret sealed.
    const files = await readdir(join(dataDir, 'settings'))
    const onDisk = (
      await Promise.all(files.map((f) => readFile(join(dataDir, 'settings', f), 'utf8')))
    ).join('\n')
    expect(onDisk).toContain('Ana')
    expect(onDisk).not.toContain('c2VjcmV0LWtleS1ieXRlcw==')
    for (const w of [a, b]) {
      await w.settings.close()
      w.endpoint.close()
    }
    utility.postMessage({ type: 'shutdown' })
    await new Promise((r) => utility.child.once('exit', r))

    // A new process (the app restarted) reads the same settings back.
    const again = await open(start(), 3)
    expect(again.settings.get('profile.displayName')).toBe('Ana')
    expect(again.settings.get('theme')).toBe('dark')
    expect(again.settings.get('identity.privateKey')).toBe('c2VjcmV0LWtleS1ieXRlcw==')
    await again.settings.close()
    again.endpoint.close()
  })
})
