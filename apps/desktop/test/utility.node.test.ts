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
  createEndpoint,
  engineContract,
  systemClock,
  type Endpoint,
  type EngineContract,
} from '@whatnext/core'
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
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
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
})
