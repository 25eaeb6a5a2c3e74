/**
 * The settings store's contract, written once and run on every backend (memory,
 * IndexedDB on fake-indexeddb and in Chromium, files). A harness gives fresh storage
 * places; each place can be opened by several backends at once (tabs, processes).
 */
import { NotFoundError, ValidationError } from '@whatnext/core/errors'
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { MigrationError } from '../errors.ts'
import { secret } from '../schema.ts'
import { memorySecretKey, type SecretKeyProvider } from '../secrets.ts'
import type { SettingsBackend } from '../state.ts'
import { createSettingsStore, type SettingsStoreInit } from '../store.ts'

/** One storage place under test. */
export interface SettingsPlace {
  /** Opens a backend (a new context) on this place. */
  open(): Promise<SettingsBackend>
  /** Everything persisted, as text, to search for plaintext secrets. */
  raw(): Promise<string>
}

/** What a backend's test file provides. */
export interface SettingsHarness {
  /** A fresh, empty place. */
  place(): Promise<SettingsPlace>
  /** How long another context may take to see a change (default 1000 ms). */
  syncWithinMs?: number
}

export const testSchema = z.object({
  theme: z.enum(['light', 'dark', 'system']),
  displayName: z.string().max(20),
  sync: z.object({
    relays: z.array(z.string().startsWith('/')),
    maxPeers: z.number().int().min(1).max(50),
  }),
  tags: z.record(z.string(), z.string()).optional(),
  relayToken: secret(z.string()).optional(),
})

export type TestSettings = z.infer<typeof testSchema>

export const testDefaults: TestSettings = {
  theme: 'system',
  displayName: '',
  sync: { relays: [], maxPeers: 8 },
}

/** A clock the test moves by hand. */
export function manualClock(start = 1_000_000) {
  let now = start
  return {
    now: () => now,
    advance(ms: number) {
      now += ms
    },
  }
}

/** Polls `condition` until it holds or `ms` pass. */
export async function waitFor(condition: () => boolean, ms: number, what: string): Promise<void> {
  const start = Date.now()
  while (!condition()) {
    if (Date.now() - start > ms) throw new Error(`timed out after ${ms} ms waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 5))
  }
}

/** Registers the settings compliance suite for one backend. */
export function settingsBackendSuite(name: string, harness: SettingsHarness): void {
  const syncMs = harness.syncWithinMs ?? 1000

  async function openOn(
    place: SettingsPlace,
    extra: Partial<SettingsStoreInit<typeof testSchema>> & { secrets?: SecretKeyProvider } = {},
  ) {
    return createSettingsStore({
      schema: testSchema,
      defaults: testDefaults,
      backend: await place.open(),
      secrets: extra.secrets ?? memorySecretKey(),
      ...extra,
    })
  }

  describe(`Settings compliance: ${name}`, () => {
    it('starts from the defaults and reads by dot path', async () => {
      const place = await harness.place()
      const s = await openOn(place)
      expect(s.store).toEqual(testDefaults)
      expect(s.get('sync.maxPeers')).toBe(8)
      expect(s.has('sync.relays')).toBe(true)
      expect(s.has('tags')).toBe(false)
      expect(s.get('tags')).toBeUndefined()
      expect(Object.isFrozen(s.get('sync'))).toBe(true)
      await s.close()
    })

    it('keeps what was set across a reopen, and set applies before it resolves', async () => {
      const place = await harness.place()
      const s = await openOn(place)
      const done = s.set('sync.maxPeers', 12)
      expect(s.get('sync.maxPeers')).toBe(12)
      await done
      await s.set({ theme: 'dark', sync: { relays: ['/dns4/relay'] } })
      expect(s.get('sync')).toEqual({ relays: ['/dns4/relay'], maxPeers: 12 })
      await s.set('tags', { 'a.b': 'dotted keys survive' })
      await s.close()
      const again = await openOn(place)
      expect(again.store).toEqual({
        theme: 'dark',
        displayName: '',
        sync: { relays: ['/dns4/relay'], maxPeers: 12 },
        tags: { 'a.b': 'dotted keys survive' },
      })
      await again.close()
    })

    it('refuses invalid values with the path and reason, changing nothing', async () => {
      const place = await harness.place()
      const s = await openOn(place)
      await s.set('theme', 'dark')
      const seen: unknown[] = []
      s.onDidAnyChange((store) => seen.push(store))
      const bad = await s.set('sync.maxPeers', 500).catch((e: unknown) => e)
      expect(bad).toBeInstanceOf(ValidationError)
      expect((bad as ValidationError).issues[0]).toMatchObject({ path: 'sync.maxPeers' })
      expect((bad as ValidationError).message).toMatch(/sync\.maxPeers/)
      const badEnum = await s.set('theme', 'purple' as 'dark').catch((e: unknown) => e)
      expect((badEnum as ValidationError).issues[0]?.path).toBe('theme')
      const unknown = await s.set({ colour: 'red' } as never).catch((e: unknown) => e)
      expect((unknown as ValidationError).issues[0]).toEqual({
        path: 'colour',
        message: 'unknown setting',
      })
      const polluting = await s.set('__proto__.x' as 'theme', 'dark').catch((e: unknown) => e)
      expect(polluting).toBeInstanceOf(ValidationError)
      expect(seen).toEqual([])
      expect(s.get('sync.maxPeers')).toBe(8)
      expect(s.get('theme')).toBe('dark')
      await s.close()
      const again = await openOn(place)
      expect(again.store).toEqual({ ...testDefaults, theme: 'dark' })
      await again.close()
    })

    it('delete and reset go back to the defaults', async () => {
      const place = await harness.place()
      const s = await openOn(place)
      await s.set({ theme: 'light', displayName: 'Ada', tags: { x: 'y' } })
      await s.set('sync.maxPeers', 3)
      await s.delete('theme')
      await s.delete('tags')
      expect(s.get('theme')).toBe('system')
      expect(s.has('tags')).toBe(false)
      await s.reset('sync.maxPeers')
      expect(s.get('sync.maxPeers')).toBe(8)
      expect(s.get('displayName')).toBe('Ada')
      await s.reset()
      expect(s.store).toEqual(testDefaults)
      await s.close()
      const again = await openOn(place)
      expect(again.store).toEqual(testDefaults)
      await again.close()
    })

    it('tells path listeners about their path only, and stops when unsubscribed', async () => {
      const place = await harness.place()
      const s = await openOn(place)
      const peers: [unknown, unknown][] = []
      const sync: unknown[] = []
      const any: number[] = []
      const stop = s.onDidChange('sync.maxPeers', (value, previous) =>
        peers.push([value, previous]),
      )
      s.onDidChange('sync', (value) => sync.push(value))
      s.onDidAnyChange((store) => any.push(store.sync.maxPeers))
      await s.set('sync.maxPeers', 9)
      await s.set('theme', 'dark')
      await s.set('sync.relays', ['/a'])
      stop()
      await s.set('sync.maxPeers', 10)
      expect(peers).toEqual([[9, 8]])
      expect(sync).toEqual([
        { relays: [], maxPeers: 9 },
        { relays: ['/a'], maxPeers: 9 },
        { relays: ['/a'], maxPeers: 10 },
      ])
      expect(any).toEqual([9, 9, 9, 10])
      await s.close()
    })

    it('coalesces a burst of sets into one durable commit', async () => {
      const place = await harness.place()
      const s = await openOn(place)
      const writes = Array.from({ length: 100 }, (_, i) => s.set('tags', { n: String(i) }))
      writes.push(s.set('theme', 'light'))
      await Promise.all(writes)
      expect(s.history().length).toBe(1)
      await s.close()
      const again = await openOn(place)
      expect(again.get('tags')).toEqual({ n: '99' })
      expect(again.get('theme')).toBe('light')
      await again.close()
    })

    it('shows a change made in one context in the others', async () => {
      const place = await harness.place()
      const a = await openOn(place)
      const b = await openOn(place)
      const seen: string[] = []
      b.onDidChange('theme', (theme) => seen.push(theme))
      await a.set('theme', 'dark')
      await waitFor(() => b.get('theme') === 'dark', syncMs, 'the other context')
      expect(seen).toEqual(['dark'])
      await b.set('displayName', 'Bo')
      await waitFor(() => a.get('displayName') === 'Bo', syncMs, 'the first context')
      await a.close()
      await b.close()
    })

    it('catches up with a change another context commits while it opens', async () => {
      // Two tabs starting at once: the other commits after this store has read the
      // stored state but before it listens for changes. Its change must not be missed.
      const place = await harness.place()
      const a = await openOn(place)
      const backend = await place.open()
      const load = backend.load.bind(backend)
      let first = true
      backend.load = async () => {
        const read = await load()
        if (first) await a.set('theme', 'dark')
        first = false
        return read
      }
      const b = await createSettingsStore({
        schema: testSchema,
        defaults: testDefaults,
        backend,
        secrets: memorySecretKey(),
      })
      await waitFor(() => b.get('theme') === 'dark', syncMs, 'the change made while opening')
      await a.close()
      await b.close()
    })

    it('never loses a write when two contexts write at once', async () => {
      const place = await harness.place()
      const a = await openOn(place)
      const b = await openOn(place)
      const writes: Promise<void>[] = []
      for (let i = 0; i < 20; i++) {
        writes.push(a.set(`tags.a${i}` as 'tags', String(i) as never))
        writes.push(b.set(`tags.b${i}` as 'tags', String(i) as never))
        if (i % 5 === 4) await Promise.all(writes)
      }
      await Promise.all(writes)
      const expected = Object.fromEntries(
        Array.from({ length: 20 }, (_, i) => [
          [`a${i}`, String(i)],
          [`b${i}`, String(i)],
        ]).flat(),
      )
      await waitFor(
        () => Object.keys(a.get('tags') ?? {}).length === 40,
        syncMs,
        'every write in the first context',
      )
      await waitFor(
        () => Object.keys(b.get('tags') ?? {}).length === 40,
        syncMs,
        'every write in the second context',
      )
      expect(a.get('tags')).toEqual(expected)
      await a.close()
      await b.close()
      const again = await openOn(place)
      expect(again.get('tags')).toEqual(expected)
      await again.close()
    })

    it('records history and rolls back to a time, itself undoably', async () => {
      const place = await harness.place()
      const clock = manualClock()
      const s = await openOn(place, { clock })
      const t0 = clock.now()
      clock.advance(1000)
      await s.set('theme', 'dark')
      clock.advance(1000)
      const t1 = clock.now()
      clock.advance(1000)
      await s.set({ displayName: 'Ada', sync: { maxPeers: 4 } })
      clock.advance(1000)
      expect(s.history().map((e) => e.changes)).toEqual([
        [{ path: 'theme', before: 'system', after: 'dark' }],
        [
          { path: 'displayName', before: '', after: 'Ada' },
          { path: 'sync.maxPeers', before: 8, after: 4 },
        ],
      ])
      await s.rollback(t1)
      expect(s.store).toEqual({ ...testDefaults, theme: 'dark' })
      clock.advance(1000)
      await s.rollback(t0)
      expect(s.store).toEqual(testDefaults)
      expect(s.history()).toHaveLength(4)
      await s.close()
      const again = await openOn(place, { clock })
      expect(again.history()).toHaveLength(4)
      // Undo the rollbacks: back to just before the first.
      await again.rollback(t1 + 1500)
      expect(again.store).toEqual({
        ...testDefaults,
        theme: 'dark',
        displayName: 'Ada',
        sync: { relays: [], maxPeers: 4 },
      })
      await again.close()
    })

    it('keeps history by count and age, refusing rollbacks it cannot reach', async () => {
      const place = await harness.place()
      const clock = manualClock()
      const day = 24 * 3600 * 1000
      const s = await openOn(place, { clock, retention: { maxEntries: 3, maxAgeMs: 10 * day } })
      for (let i = 1; i <= 5; i++) {
        clock.advance(1000)
        await s.set('sync.maxPeers', i)
      }
      expect(s.history().map((e) => e.changes[0]?.after)).toEqual([3, 4, 5])
      const error = await s.rollback(clock.now() - 4500).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(NotFoundError)
      await s.rollback(clock.now() - 500)
      expect(s.get('sync.maxPeers')).toBe(4)
      clock.advance(11 * day)
      await s.set('theme', 'light')
      expect(s.history()).toHaveLength(1)
      await s.close()
    })

    it('encrypts secrets at rest and never shows them in history or exports', async () => {
      const place = await harness.place()
      const key = memorySecretKey()
      const s = await openOn(place, { secrets: key })
      await s.set('relayToken', 'hunter2-very-secret')
      await s.set('relayToken', 'second-secret-value')
      await s.set('theme', 'dark')
      expect(s.get('relayToken')).toBe('second-secret-value')
      const shown = JSON.stringify([s.history(), s.export()])
      expect(shown).not.toMatch(/hunter2|second-secret/)
      expect(s.export().data.relayToken).toBe('[secret]')
      expect(s.history()[0]?.changes[0]).toEqual({ path: 'relayToken', after: '[secret]' })
      await s.close()
      const raw = await place.raw()
      expect(raw).toContain('relayToken')
      expect(raw).not.toMatch(/hunter2|second-secret/)
      const again = await openOn(place, { secrets: key })
      expect(again.get('relayToken')).toBe('second-secret-value')
      // A store with another key cannot read it and says so, without the value.
      await again.close()
      const other = await openOn(place, { secrets: memorySecretKey() })
      expect(other.get('relayToken')).toBeUndefined()
      expect(other.report.issues.join()).toMatch(/relayToken.*could not be decrypted/)
      await other.close()
    })

    it('migrates older data after backing it up', async () => {
      const place = await harness.place()
      const v1 = await createSettingsStore({
        schema: z.object({ theme: z.string(), nick: z.string() }),
        defaults: { theme: 'dark', nick: 'ada' },
        backend: await place.open(),
      })
      await v1.set('nick', 'grace')
      await v1.close()
      const s = await openOn(place, {
        version: 2,
        migrations: {
          2: (old) => ({
            theme: old.theme,
            displayName: old.nick,
            sync: { relays: [], maxPeers: 8 },
          }),
        },
      })
      expect(s.report.migrated).toEqual({ from: 1, to: 2, backup: 'pre-migration-v1' })
      expect(s.version).toBe(2)
      expect(s.store).toEqual({ ...testDefaults, theme: 'dark', displayName: 'grace' })
      await s.close()
    })

    it('keeps running on the old data when a migration fails', async () => {
      const place = await harness.place()
      const v1 = await openOn(place)
      await v1.set({ theme: 'light', displayName: 'Ada' })
      await v1.close()
      for (const migration of [
        () => {
          throw new Error('boom')
        },
        // A result the schema refuses is a failure too.
        (old: Record<string, unknown>) => ({ ...old, theme: 'neon' }),
      ]) {
        const s = await openOn(place, { version: 2, migrations: { 2: migration } })
        expect(s.report.migrationError).toBeInstanceOf(MigrationError)
        expect(s.report.migrationError?.details).toMatchObject({ from: 1, to: 2, step: 2 })
        expect(s.version).toBe(1)
        expect(s.get('displayName')).toBe('Ada')
        await s.set('sync.maxPeers', 5)
        await s.close()
      }
      const plain = await openOn(place)
      expect(plain.version).toBe(1)
      expect(plain.store).toEqual({
        ...testDefaults,
        theme: 'light',
        displayName: 'Ada',
        sync: { relays: [], maxPeers: 5 },
      })
      await plain.close()
    })

    it('recovers the last good backup when stored data fails the schema', async () => {
      const place = await harness.place()
      const loose = testSchema.extend({ theme: z.string() })
      const open = async (schema: typeof testSchema | typeof loose) =>
        createSettingsStore({
          schema,
          defaults: testDefaults,
          backend: await place.open(),
          secrets: memorySecretKey(),
        })
      const first = await open(loose)
      await first.set('theme', 'dark')
      await first.close()
      const second = await open(loose)
      await second.set('theme', 'purple')
      await second.close()
      const strict = await open(testSchema)
      expect(strict.report.recovered).toMatchObject({ source: 'backup' })
      expect(strict.report.recovered?.reason).toMatch(/theme/)
      expect(strict.get('theme')).toBe('dark')
      await strict.set('displayName', 'usable')
      await strict.close()
      const again = await open(testSchema)
      expect(again.report.recovered).toBeUndefined()
      expect(again.store).toMatchObject({ theme: 'dark', displayName: 'usable' })
      await again.close()
    })
  })
}
