/**
 * A page's view of the settings store the engine keeps: over the real bus (engine
 * contract, MessageChannel), reads come from the view's copy, changes go through the
 * store's checks, and changes made elsewhere reach the view.
 */
import { MessageChannel } from 'node:worker_threads'
import {
  createEndpoint,
  engineContract,
  messagePortTransport,
  systemClock,
  type Endpoint,
  type EngineContract,
} from '@whatnext/core/client'
import { ValidationError } from '@whatnext/core/errors'
import { afterEach, describe, expect, it } from 'vitest'
import { MigrationError } from './errors.ts'
import { MemorySettingsBackend, MemorySettingsCell } from './memory-backend.ts'
import { memorySecretKey } from './secrets.ts'
import { createSettingsStore, type SettingsStore } from './store.ts'
import {
  manualClock,
  testDefaults,
  testSchema,
  waitFor,
  type TestSettings,
} from './test-support/compliance.ts'
import {
  openSettingsView,
  serveSettingsStore,
  serveSettingsViewOverBus,
  settingsViewPortOverBus,
  type SettingsViewPort,
} from './view.ts'

const cleanups: (() => unknown)[] = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

const clock = systemClock(globalThis)
const now = () => performance.now()

async function openStore(cell: MemorySettingsCell, init: { clock?: { now(): number } } = {}) {
  const store = await createSettingsStore({
    schema: testSchema,
    defaults: testDefaults,
    backend: new MemorySettingsBackend(cell),
    secrets: memorySecretKey(),
    ...init,
  })
  cleanups.push(() => store.close())
  return store
}

/** The engine's side serving `store`, and a page's endpoint connected to it. */
function overBus(store: SettingsStore<TestSettings>, cell: MemorySettingsCell) {
  const { port1, port2 } = new MessageChannel()
  const engine: Endpoint<EngineContract> = createEndpoint(
    engineContract,
    { transport: messagePortTransport(port1 as never), clock, now },
    { name: 'engine' },
  )
  const page: Endpoint<EngineContract> = createEndpoint(
    engineContract,
    { transport: messagePortTransport(port2 as never), clock, now },
    { name: 'page' },
  )
  const served = serveSettingsStore(store, new MemorySettingsBackend(cell))
  const stop = serveSettingsViewOverBus(served, engine)
  cleanups.push(() => {
    stop()
    served.close()
    page.close()
    engine.close()
    port1.close()
    port2.close()
  })
  return settingsViewPortOverBus(page)
}

/** The engine's side serving `store` to a view in this context (no bus). */
function serveDirectly(store: SettingsStore<TestSettings>, cell: MemorySettingsCell) {
  const served = serveSettingsStore(store, new MemorySettingsBackend(cell))
  cleanups.push(() => served.close())
  return served
}

async function openView(port: SettingsViewPort) {
  const view = await openSettingsView<TestSettings>(port)
  cleanups.push(() => view.close())
  return view
}

describe('settings view over the bus', () => {
  it("reads the engine's settings, and a change goes through the store's checks", async () => {
    const cell = new MemorySettingsCell()
    const store = await openStore(cell)
    const view = await openView(overBus(store, cell))
    expect(view.store).toEqual(testDefaults)
    expect(view.get('sync.maxPeers')).toBe(8)
    expect(Object.isFrozen(view.get('sync'))).toBe(true)

    // Shown at once, as the store itself shows a change before it is durable.
    const done = view.set('theme', 'dark')
    expect(view.get('theme')).toBe('dark')
    await done
    expect(store.get('theme')).toBe('dark')
    await view.set({ sync: { maxPeers: 12 } })
    expect(view.get('sync')).toEqual({ relays: [], maxPeers: 12 })

    const seen: unknown[] = []
    view.onDidChange('sync.maxPeers', (value) => seen.push(value))
    const bad = await view.set('sync.maxPeers', 500).catch((e: unknown) => e)
    expect(bad).toBeInstanceOf(ValidationError)
    expect((bad as ValidationError).issues[0]).toMatchObject({ path: 'sync.maxPeers' })
    // Refused: the store never had it, and the view undid what it showed.
    expect(view.get('sync.maxPeers')).toBe(12)
    expect(store.get('sync.maxPeers')).toBe(12)
    expect(seen.at(-1)).toBe(12)
    const polluting = await view.set('__proto__.x' as 'theme', 'dark').catch((e: unknown) => e)
    expect(polluting).toBeInstanceOf(ValidationError)
    expect(({} as Record<string, unknown>).x).toBeUndefined()
  })

  it('shows a change made elsewhere; what did not change keeps its identity', async () => {
    const cell = new MemorySettingsCell()
    const store = await openStore(cell)
    const view = await openView(overBus(store, cell))
    const sync = view.get('sync')
    const names: [unknown, unknown][] = []
    const peers: unknown[] = []
    view.onDidChange('displayName', (value, previous) => names.push([value, previous]))
    view.onDidChange('sync.maxPeers', (value) => peers.push(value))

    // Another tab's change reaches the engine's store, which tells the view.
    const otherTab = await openStore(cell)
    await otherTab.set('displayName', 'Ada')
    await waitFor(() => view.get('displayName') === 'Ada', 2000, 'the change in the view')

    expect(names).toEqual([['Ada', '']])
    expect(peers).toEqual([])
    expect(view.get('sync')).toBe(sync)
  })

  it('shows the history and rolls back through the view', async () => {
    const cell = new MemorySettingsCell()
    const time = manualClock()
    const store = await openStore(cell, { clock: time })
    const view = await openView(overBus(store, cell))
    time.advance(1000)
    await view.set('theme', 'dark')
    time.advance(1000)
    const before = time.now()
    time.advance(1000)
    await view.set('displayName', 'Ada')
    expect(view.history().map((e) => e.changes)).toEqual([
      [{ path: 'theme', before: 'system', after: 'dark' }],
      [{ path: 'displayName', before: '', after: 'Ada' }],
    ])
    expect(view.historyStart).toBe(store.historyStart)

    await view.rollback(before)
    expect(view.store).toEqual({ ...testDefaults, theme: 'dark' })
    expect(store.store).toEqual({ ...testDefaults, theme: 'dark' })
    expect(view.history()).toHaveLength(3)
    expect(view.export()).toEqual(store.export())
  })

  it('tells whether a value is saved before this copy has it', async () => {
    const cell = new MemorySettingsCell()
    const store = await openStore(cell)
    const view = await openView(overBus(store, cell))
    // Defaults are not saved: nothing is stored yet.
    expect(await view.stored('tags')).toBe(false)
    await view.set('displayName', 'Ada')
    expect(await view.stored('displayName')).toBe(true)
    const otherTab = await openStore(cell)
    await otherTab.set('tags', { a: 'b' })
    expect(await view.stored('tags')).toBe(true)
  })
})

describe('settings view', () => {
  it('is not taken back by a reply older than a change it has seen', async () => {
    const cell = new MemorySettingsCell()
    const store = await openStore(cell)
    const served = serveDirectly(store, cell)
    // The reply to the set leaves the engine before a later change's event arrives.
    const port: SettingsViewPort = {
      ...served,
      async update(op) {
        const reply = await served.update(op)
        await store.set('displayName', 'Later')
        return reply
      },
    }
    const view = await openView(port)
    await view.set('theme', 'dark')
    expect(view.get('theme')).toBe('dark')
    expect(view.get('displayName')).toBe('Later')
  })

  it('keeps showing its own change while a change made elsewhere arrives first', async () => {
    const cell = new MemorySettingsCell()
    const store = await openStore(cell)
    const served = serveDirectly(store, cell)
    let release!: () => void
    const held = new Promise<void>((resolve) => (release = resolve))
    const port: SettingsViewPort = {
      ...served,
      async update(op) {
        await held
        return served.update(op)
      },
    }
    const view = await openView(port)
    const themes: unknown[] = []
    view.onDidChange('theme', (value) => themes.push(value))
    const done = view.set('theme', 'dark')
    await store.set('displayName', 'Elsewhere')
    await waitFor(() => view.get('displayName') === 'Elsewhere', 2000, 'the other change')
    expect(view.get('theme')).toBe('dark')
    release()
    await done
    expect(view.get('theme')).toBe('dark')
    expect(themes).toEqual(['dark'])
  })

  it('reports a failed migration as a MigrationError, as the store does', async () => {
    const cell = new MemorySettingsCell()
    const first = await openStore(cell)
    await first.set('theme', 'dark')
    await first.close()
    const store = await createSettingsStore({
      schema: testSchema,
      defaults: testDefaults,
      backend: new MemorySettingsBackend(cell),
      secrets: memorySecretKey(),
      version: 2,
      migrations: {
        2: () => {
          throw new Error('step two broke')
        },
      },
    })
    cleanups.push(() => store.close())
    expect(store.report.migrationError).toBeInstanceOf(MigrationError)
    const served = serveDirectly(store, cell)
    const view = await openView(served)
    expect(view.report.migrationError).toBeInstanceOf(MigrationError)
    expect(view.report.migrationError?.message).toBe(store.report.migrationError?.message)
    expect(view.version).toBe(1)
    expect(view.get('theme')).toBe('dark')
  })

  it('stops telling its listeners once closed', async () => {
    const cell = new MemorySettingsCell()
    const store = await openStore(cell)
    const served = serveDirectly(store, cell)
    const view = await openSettingsView<TestSettings>(served)
    const seen: unknown[] = []
    view.onDidAnyChange((s) => seen.push(s))
    await view.close()
    await store.set('theme', 'light')
    expect(seen).toEqual([])
    await expect(view.set('theme', 'dark')).rejects.toThrow(/closed/)
  })
})
