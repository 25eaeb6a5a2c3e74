import {
  createEndpoint,
  createTransportPair,
  engineContract,
  systemClock,
  type Endpoint,
  type EngineContract,
} from '@whatnext/core/client'
import { act, render, renderHook, screen, waitFor } from '@testing-library/react'
import type { ReactNode } from 'react'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { EngineProvider } from '../EngineProvider/EngineProvider'
import { SettingsProvider } from '../Settings/SettingsProvider'
import { MemorySettingsCell } from '@whatnext/storage/settings'
import {
  openTestSettings,
  seedPlaylist,
  startTestEngine,
  type TestEngine,
} from '../test-support/engine'
import { useHistory } from './use-history'
import { readPlaylist, usePlaylist } from './use-playlist'
import { useSearch } from './use-search'
import { useTheme } from './use-theme'

let t: TestEngine | undefined
afterEach(async () => {
  await t?.close()
  t = undefined
})

const wrapper =
  (client: Endpoint<EngineContract>) =>
  ({ children }: { children: ReactNode }) => (
    <EngineProvider client={client}>{children}</EngineProvider>
  )

/** A fake engine that records the requests it gets and lets the test answer them. */
function fakeEngine() {
  const clock = systemClock(globalThis)
  const [a, b] = createTransportPair()
  const server = createEndpoint(engineContract, { transport: a, clock })
  const client = createEndpoint(engineContract, { transport: b, clock })
  return { server, client }
}

describe('readPlaylist', () => {
  it('reads a big playlist in pages, in order, one message per page', async () => {
    t = await startTestEngine()
    const id = await seedPlaylist(t.engine, 'Big', 25)
    const pages: number[] = []
    const original = t.client.request.bind(t.client)
    t.client.request = ((ch: never, p: { limit?: number }, o: never) => {
      if (ch === 'playlist/get') pages.push(p.limit ?? -1)
      return original(ch, p as never, o)
    }) as typeof t.client.request
    const view = await readPlaylist(t.client, id, new AbortController().signal, 10)
    expect(view.tracks.map((x) => x.title)).toEqual(
      t.engine.getPlaylist(id).tracks.map((x) => x.title),
    )
    expect(view.tracks).toHaveLength(25)
    expect(pages).toEqual([10, 10, 10])
  })

  it('never stitches pages of different versions: an edit mid-read restarts it', async () => {
    t = await startTestEngine()
    const engine = t.engine
    const id = await seedPlaylist(engine, 'Moving', 6)
    const original = t.client.request.bind(t.client)
    let edited = false
    t.client.request = (async (ch: never, p: { offset?: number }, o: never) => {
      const answer = await original(ch, p as never, o)
      // Right after the first page: another tab moves the last track to the top.
      if (ch === 'playlist/get' && p.offset === 0 && !edited) {
        edited = true
        const ids = engine.getPlaylist(id).tracks.map((x) => x.id)
        await engine.moveTracks(id, [ids[5]!], 0)
      }
      return answer
    }) as typeof t.client.request
    const view = await readPlaylist(t.client, id, new AbortController().signal, 4)
    const now = engine.getPlaylist(id).tracks.map((x) => x.id)
    expect(view.tracks.map((x) => x.id)).toEqual(now)
    expect(new Set(view.tracks.map((x) => x.id)).size).toBe(6)
  })
})

describe('usePlaylist', () => {
  it('refetches once for a burst of change events and keeps the old view meanwhile', async () => {
    t = await startTestEngine()
    const id = await seedPlaylist(t.engine, 'Burst', [{ title: 'A' }])
    const gets = vi.fn()
    const original = t.client.request.bind(t.client)
    t.client.request = ((ch: never, p: never, o: never) => {
      if (ch === 'playlist/get') gets()
      return original(ch, p, o)
    }) as typeof t.client.request
    const { result } = renderHook(() => usePlaylist(id), { wrapper: wrapper(t.client) })
    await waitFor(() => expect(result.current.playlist?.tracks).toHaveLength(1))
    expect(gets).toHaveBeenCalledTimes(1)
    for (let i = 0; i < 20; i++) await t.engine.addTracks(id, [{ title: `N${i}` }])
    expect(result.current.playlist?.tracks.length).toBeGreaterThanOrEqual(1)
    await waitFor(() => expect(result.current.playlist?.tracks).toHaveLength(21))
    // 20 edits, each its own change event, arrive within a frame or two.
    expect(gets.mock.calls.length).toBeLessThanOrEqual(4)
  })
})

describe('useSearch', () => {
  it('waits for typing to pause, then asks once, cancelling a stale request', async () => {
    const { server, client } = fakeEngine()
    const queries: string[] = []
    const aborted: string[] = []
    server.handle('library/search', ({ query }, { signal }) => {
      queries.push(query)
      return new Promise((resolve) => {
        signal.addEventListener('abort', () => aborted.push(query))
        setTimeout(() => resolve({ hits: [], total: query.length }), query === 'bj' ? 300 : 5)
      })
    })
    const { result, rerender } = renderHook(({ q }) => useSearch(q, 30), {
      wrapper: wrapper(client),
      initialProps: { q: 'b' },
    })
    rerender({ q: 'bj' })
    await waitFor(() => expect(queries).toEqual(['bj']))
    rerender({ q: 'bjo' })
    rerender({ q: 'bjor' })
    await waitFor(() => expect(result.current.total).toBe(4))
    expect(queries).toEqual(['bj', 'bjor'])
    await waitFor(() => expect(aborted).toEqual(['bj']))
    expect(result.current.pending).toBe(false)
  })
})

describe('useHistory', () => {
  it('follows history/changed events', async () => {
    t = await startTestEngine()
    const { result } = renderHook(() => useHistory(), { wrapper: wrapper(t.client) })
    await waitFor(() => expect(result.current).toEqual({ canUndo: false, canRedo: false }))
    await t.engine.createPlaylist({ name: 'x' })
    await waitFor(() => expect(result.current.canUndo).toBe(true))
    await t.engine.undo()
    await waitFor(() => expect(result.current).toEqual({ canUndo: false, canRedo: true }))
  })
})

describe('useTheme', () => {
  function Probe() {
    const [theme, setTheme] = useTheme()
    return (
      <button type="button" onClick={() => setTheme(theme === 'dark' ? 'system' : 'dark')}>
        {theme}
      </button>
    )
  }

  it('follows the system by default, keeps an explicit choice, and mirrors it for first paint', async () => {
    const settings = await openTestSettings()
    render(
      <SettingsProvider settings={settings}>
        <Probe />
      </SettingsProvider>,
    )
    expect(screen.getByRole('button').textContent).toBe('system')
    expect(document.documentElement.dataset.theme).toBe('light')
    await act(async () => screen.getByRole('button').click())
    expect(document.documentElement.dataset.theme).toBe('dark')
    expect(settings.get('theme')).toBe('dark')
    expect(localStorage.getItem('whatnext.theme')).toBe('dark')
    await act(async () => screen.getByRole('button').click())
    expect(localStorage.getItem('whatnext.theme')).toBeNull()
    await settings.close()
  })

  it('follows a change made in another tab', async () => {
    const cell = new MemorySettingsCell()
    const mine = await openTestSettings(cell)
    const theirs = await openTestSettings(cell)
    render(
      <SettingsProvider settings={mine}>
        <Probe />
      </SettingsProvider>,
    )
    await act(() => theirs.set('theme', 'dark'))
    await waitFor(() => expect(screen.getByRole('button').textContent).toBe('dark'))
    expect(document.documentElement.dataset.theme).toBe('dark')
    await mine.close()
    await theirs.close()
  })
})
