import { APP_SETTINGS_VERSION, appSettingsDefaults, appSettingsSchema } from '@whatnext/core'
import {
  MemorySettingsBackend,
  MemorySettingsCell,
  createSettingsStore,
  memorySecretKey,
} from '@whatnext/storage/settings'
import { act, render, screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import * as z from 'zod/mini'
import {
  openTestSettings,
  seedPlaylist,
  startTestEngine,
  type TestEngine,
} from '../test-support/engine'
import { App } from './App'

let t: TestEngine

beforeEach(async () => {
  t = await startTestEngine()
})
afterEach(async () => {
  vi.restoreAllMocks()
  await t.close()
})

const setup = () => {
  const user = userEvent.setup()
  render(<App client={t.client} settings={t.settings} />)
  return user
}

/** Titles of the rendered rows, top to bottom. */
const rowTitles = () =>
  screen
    .queryAllByTestId('track-row')
    .sort(
      (a, b) => Number(a.getAttribute('aria-rowindex')) - Number(b.getAttribute('aria-rowindex')),
    )
    .map((r) => r.getAttribute('aria-label'))

const sidebar = () => screen.getByRole('navigation', { name: 'Playlists' })

async function createPlaylist(user: ReturnType<typeof setup>, name: string) {
  // Enabled once the library has loaded (a click before that does nothing, like for a user).
  const button = await screen.findByRole('button', { name: 'New playlist' })
  await waitFor(() => expect(button.hasAttribute('disabled')).toBe(false))
  await user.click(button)
  await user.type(screen.getByRole('textbox', { name: 'Playlist name' }), `${name}{Enter}`)
  await within(sidebar()).findByRole('link', { name: new RegExp(name) })
  await screen.findByRole('textbox', { name: 'Name' })
  await waitFor(() =>
    expect(screen.getByRole('textbox', { name: 'Name' })).toHaveProperty('value', name),
  )
}

async function addTrack(
  user: ReturnType<typeof setup>,
  fields: { title: string; artists?: string; duration?: string },
) {
  await user.click(screen.getByRole('button', { name: 'Add track' }))
  const dialog = screen.getByRole('dialog', { name: 'Add track' })
  await user.type(within(dialog).getByLabelText('Title'), fields.title)
  if (fields.artists) await user.type(within(dialog).getByLabelText('Artists'), fields.artists)
  if (fields.duration) await user.type(within(dialog).getByLabelText('Duration'), fields.duration)
  await user.click(within(dialog).getByRole('button', { name: 'Add' }))
  await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull())
  await screen.findByRole('row', { name: fields.title })
}

describe('App', () => {
  it('does not pull focus out of the search box when the list reloads late', async () => {
    const user = setup()
    await createPlaylist(user, 'Late')
    // Hold the re-read that follows the add, as a slow engine or a busy page would.
    let release!: () => void
    const held = new Promise<void>((resolve) => (release = resolve))
    const original = t.client.request.bind(t.client)
    t.client.request = (async (ch: never, p: never, o: never) => {
      if (ch === 'playlist/get') await held
      return original(ch, p, o)
    }) as typeof t.client.request
    await user.click(screen.getByRole('button', { name: 'Add track' }))
    const dialog = screen.getByRole('dialog', { name: 'Add track' })
    await user.type(within(dialog).getByLabelText('Title'), 'Arrives late')
    await user.click(within(dialog).getByRole('button', { name: 'Add' }))
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull())
    const search = screen.getByRole('searchbox')
    await user.click(search)
    release()
    await screen.findByRole('row', { name: 'Arrives late' })
    await new Promise((resolve) => requestAnimationFrame(resolve))
    await new Promise((resolve) => requestAnimationFrame(resolve))
    expect(document.activeElement).toBe(search)
  })

  it('greets an empty library with what to do next', async () => {
    setup()
    expect(await screen.findByText('Create a playlist or drop a playlist file here.')).toBeTruthy()
  })

  it('shows a created playlist in the sidebar, selects it and keeps it in the URL', async () => {
    const user = setup()
    await createPlaylist(user, 'Road trip')
    const link = within(sidebar()).getByRole('link', { name: /Road trip/ })
    expect(link.getAttribute('aria-current')).toBe('page')
    expect(link.textContent).toContain('0 tracks')
    const [summary] = t.engine.listPlaylists()
    expect(location.hash).toBe(`#/playlist/${summary!.id}`)
  })

  it('opens the playlist named in the URL on load', async () => {
    await seedPlaylist(t.engine, 'First', [{ title: 'A' }])
    const id = await seedPlaylist(t.engine, 'Second', [{ title: 'B' }])
    history.replaceState(null, '', `#/playlist/${id}`)
    setup()
    expect(await screen.findByRole('row', { name: 'B' })).toBeTruthy()
  })

  it('adds a track through the editor and shows its row with the duration', async () => {
    const user = setup()
    await createPlaylist(user, 'Mix')
    await addTrack(user, {
      title: 'Teardrop',
      artists: 'Massive Attack, Liz Fraser',
      duration: '5:29',
    })
    const row = screen.getByRole('row', { name: 'Teardrop' })
    expect(row.textContent).toContain('Massive Attack, Liz Fraser')
    expect(row.textContent).toContain('5:29')
    const [p] = t.engine.listPlaylists()
    expect(t.engine.getPlaylist(p!.id).tracks[0]).toMatchObject({
      artists: ['Massive Attack', 'Liz Fraser'],
      durationMs: 329_000,
    })
    expect(within(sidebar()).getByRole('link', { name: /Mix/ }).textContent).toContain('1 track')
  })

  it('refuses an unreadable duration with a field message and adds nothing', async () => {
    const user = setup()
    await createPlaylist(user, 'Strict')
    await user.click(screen.getByRole('button', { name: 'Add track' }))
    const dialog = screen.getByRole('dialog', { name: 'Add track' })
    await user.type(within(dialog).getByLabelText('Title'), 'Bad')
    await user.type(within(dialog).getByLabelText('Duration'), 'banana')
    await user.click(within(dialog).getByRole('button', { name: 'Add' }))
    const duration = within(dialog).getByLabelText('Duration')
    expect(duration.getAttribute('aria-invalid')).toBe('true')
    expect(within(dialog).getByText(/Duration must look like/)).toBeTruthy()
    await user.keyboard('{Escape}')
    expect(screen.queryByRole('dialog')).toBeNull()
    const [p] = t.engine.listPlaylists()
    expect(t.engine.getPlaylist(p!.id).tracks).toHaveLength(0)
  })

  it('renames a playlist inline and refuses an empty name', async () => {
    const id = await seedPlaylist(t.engine, 'Old', [])
    const user = setup()
    const name = await screen.findByRole('textbox', { name: 'Name' })
    await user.clear(name)
    await user.keyboard('{Enter}')
    expect((await screen.findByRole('alert')).textContent).toMatch(/must not be empty/)
    expect(t.engine.getPlaylist(id).name).toBe('Old')
    await user.type(name, 'New name{Enter}')
    await waitFor(() => expect(t.engine.getPlaylist(id).name).toBe('New name'))
    await within(sidebar()).findByRole('link', { name: /New name/ })
  })

  it('moves the focused row down with Alt+Down, keeps focus on it and announces it', async () => {
    await seedPlaylist(t.engine, 'Order', [{ title: 'One' }, { title: 'Two' }, { title: 'Three' }])
    const user = setup()
    await user.click(await screen.findByRole('row', { name: 'One' }))
    await user.keyboard('{Alt>}{ArrowDown}{/Alt}')
    await waitFor(() => expect(rowTitles()).toEqual(['Two', 'One', 'Three']))
    await waitFor(() =>
      expect(document.activeElement).toBe(screen.getByRole('row', { name: 'One' })),
    )
    expect((await screen.findByText('Moved ‘One’ to position 2 of 3')).getAttribute('role')).toBe(
      'status',
    )
    await user.keyboard('{Alt>}{ArrowDown}{/Alt}')
    await waitFor(() => expect(rowTitles()).toEqual(['Two', 'Three', 'One']))
    await user.keyboard('{Alt>}{ArrowUp}{/Alt}')
    await waitFor(() => expect(rowTitles()).toEqual(['Two', 'One', 'Three']))
  })

  it('moves a multi-row selection together', async () => {
    await seedPlaylist(t.engine, 'Order', [
      { title: 'A' },
      { title: 'B' },
      { title: 'C' },
      { title: 'D' },
    ])
    const user = setup()
    await user.click(await screen.findByRole('row', { name: 'A' }))
    await user.keyboard('{Shift>}{ArrowDown}{/Shift}')
    expect(screen.getByRole('row', { name: 'B' }).getAttribute('aria-selected')).toBe('true')
    await user.keyboard('{Alt>}{ArrowDown}{/Alt}')
    await waitFor(() => expect(rowTitles()).toEqual(['C', 'A', 'B', 'D']))
  })

  it('selects with Ctrl+click and Shift+click, and deletes the selection with Delete', async () => {
    await seedPlaylist(t.engine, 'Sel', [
      { title: 'A' },
      { title: 'B' },
      { title: 'C' },
      { title: 'D' },
      { title: 'E' },
    ])
    const user = setup()
    await user.click(await screen.findByRole('row', { name: 'A' }))
    await user.keyboard('{Control>}')
    await user.click(screen.getByRole('row', { name: 'C' }))
    await user.keyboard('{/Control}')
    const selected = () =>
      screen
        .getAllByTestId('track-row')
        .filter((r) => r.getAttribute('aria-selected') === 'true')
        .map((r) => r.getAttribute('aria-label'))
    expect(selected()).toEqual(['A', 'C'])
    await user.keyboard('{Shift>}')
    await user.click(screen.getByRole('row', { name: 'E' }))
    await user.keyboard('{/Shift}')
    expect(selected()).toEqual(['C', 'D', 'E'])
    await user.keyboard('{Escape}')
    expect(selected()).toEqual([])
    await user.keyboard('{Control>}a{/Control}')
    expect(selected()).toHaveLength(5)
    await user.click(screen.getByRole('row', { name: 'B' }))
    await user.keyboard('{Shift>}{ArrowDown}{/Shift}{Delete}')
    await waitFor(() => expect(rowTitles()).toEqual(['A', 'D', 'E']))
    expect(await screen.findByText('Removed 2 tracks')).toBeTruthy()
  })

  it('opens the editor with Enter and saves a change to the track', async () => {
    const id = await seedPlaylist(t.engine, 'Edit', [{ title: 'Old title' }])
    const user = setup()
    await user.click(await screen.findByRole('row', { name: 'Old title' }))
    await user.keyboard('{Enter}')
    const dialog = screen.getByRole('dialog', { name: 'Edit track' })
    const title = within(dialog).getByLabelText('Title')
    expect(document.activeElement).toBe(title)
    await user.clear(title)
    await user.type(title, 'New title')
    await user.type(within(dialog).getByLabelText('Tags'), 'chill, night')
    await user.click(within(dialog).getByRole('button', { name: 'Save' }))
    await screen.findByRole('row', { name: 'New title' })
    expect(t.engine.getPlaylist(id).tracks[0]).toMatchObject({
      title: 'New title',
      tags: ['chill', 'night'],
    })
  })

  it('undoes the last edit with Ctrl+Z and redoes it with Ctrl+Shift+Z', async () => {
    const user = setup()
    await createPlaylist(user, 'Undoable')
    await addTrack(user, { title: 'Keep' })
    await addTrack(user, { title: 'Oops' })
    const undo = screen.getByRole('button', { name: 'Undo' })
    expect(undo).toHaveProperty('disabled', false)
    expect(screen.getByRole('button', { name: 'Redo' })).toHaveProperty('disabled', true)
    ;(screen.getByRole('row', { name: 'Keep' }) as HTMLElement).focus()
    await user.keyboard('{Control>}z{/Control}')
    await waitFor(() => expect(rowTitles()).toEqual(['Keep']))
    await waitFor(() =>
      expect(screen.getByRole('button', { name: 'Redo' })).toHaveProperty('disabled', false),
    )
    await user.keyboard('{Control>}{Shift>}z{/Shift}{/Control}')
    await waitFor(() => expect(rowTitles()).toEqual(['Keep', 'Oops']))
  })

  it('leaves Ctrl+Z to a text field while typing in it', async () => {
    const id = await seedPlaylist(t.engine, 'Typing', [{ title: 'Stay' }])
    const user = setup()
    await screen.findByRole('row', { name: 'Stay' })
    await user.click(screen.getByRole('searchbox', { name: 'Search library' }))
    await user.keyboard('{Control>}z{/Control}')
    await new Promise((r) => setTimeout(r, 50))
    expect(t.engine.getPlaylist(id).tracks).toHaveLength(1)
  })

  it('finds tracks by artist across playlists and opens the hit at its track', async () => {
    await seedPlaylist(t.engine, 'One', [{ title: 'Jóga', artists: ['Björk'] }])
    await seedPlaylist(t.engine, 'Two', [
      { title: 'Other', artists: ['Someone'] },
      { title: 'Hyperballad', artists: ['Bjork'], album: 'Post' },
    ])
    const user = setup()
    // Either playlist may open first (both were created in the same millisecond).
    await screen.findByRole('grid', { name: 'Tracks' })
    await user.keyboard('/')
    const search = screen.getByRole('searchbox', { name: 'Search library' })
    expect(document.activeElement).toBe(search)
    await user.type(search, 'bjork')
    const results = await screen.findByRole('listbox', { name: 'Search results' })
    await waitFor(() => expect(within(results).getAllByRole('option')).toHaveLength(2))
    expect(results.textContent).toContain('in Two')
    await user.click(within(results).getByText('Hyperballad'))
    const row = await screen.findByRole('row', { name: 'Hyperballad' })
    await waitFor(() => expect(document.activeElement).toBe(row))
    expect(row.getAttribute('aria-selected')).toBe('true')
    expect(within(sidebar()).getByRole('link', { name: /Two/ }).getAttribute('aria-current')).toBe(
      'page',
    )
  })

  it('runs "New playlist" from the command palette', async () => {
    const user = setup()
    await screen.findByRole('button', { name: 'New playlist' })
    await user.keyboard('{Control>}k{/Control}')
    const input = await screen.findByRole('combobox')
    await user.type(input, 'New playlist{Enter}')
    expect(screen.queryByRole('dialog', { name: 'Command palette' })).toBeNull()
    const name = screen.getByRole('textbox', { name: 'Playlist name' })
    await waitFor(() => expect(document.activeElement).toBe(name))
    await user.type(name, 'From the palette{Enter}')
    await within(sidebar()).findByRole('link', { name: /From the palette/ })
  })

  it('offers every playlist action, each export format and a way to each playlist in the palette', async () => {
    await seedPlaylist(t.engine, 'Jazz', [{ title: 'So What' }])
    const user = setup()
    await screen.findByRole('row', { name: 'So What' })
    await user.keyboard('{Control>}k{/Control}')
    const names = screen.getAllByRole('option').map((o) => o.getAttribute('aria-label'))
    for (const label of [
      'New playlist',
      'Rename playlist',
      'Delete playlist',
      'Add track',
      'Import playlist files',
      'Export as M3U8',
      'Export as PLS',
      'Export as XSPF',
      'Export as JSPF',
      'Export as CSV',
      'Export as Markdown',
      'Undo',
      'Redo',
      'Search library',
      'Go to Jazz',
      'Theme: dark',
      'Select all tracks',
      'Delete selected tracks',
      'Move selected tracks up',
      'Move selected tracks down',
    ])
      expect(names).toContain(label)
    await user.keyboard('{Escape}')
    expect(screen.queryByRole('dialog', { name: 'Command palette' })).toBeNull()
  })

  it('switches the theme from the palette and remembers it', async () => {
    const user = setup()
    await screen.findByRole('button', { name: 'New playlist' })
    await user.keyboard('{Control>}k{/Control}')
    await user.type(await screen.findByRole('combobox'), 'Theme: dark{Enter}')
    expect(document.documentElement.dataset.theme).toBe('dark')
    expect(localStorage.getItem('whatnext.theme')).toBe('dark')
  })

  it('imports a picked M3U file, shows its tracks and says how many', async () => {
    const user = setup()
    await screen.findByRole('button', { name: 'New playlist' })
    const m3u = [
      '#EXTM3U',
      '#PLAYLIST:Imported mix',
      '#EXTINF:185,Massive Attack - Teardrop',
      '/music/teardrop.mp3',
      '#EXTINF:260,Portishead - Roads',
      'https://example.test/roads.ogg',
    ].join('\n')
    const file = new File([m3u], 'mix.m3u', { type: 'audio/x-mpegurl' })
    await user.upload(screen.getByTestId('import-input') as HTMLInputElement, file)
    expect(await screen.findByText(/Imported 2 tracks from mix\.m3u/)).toBeTruthy()
    await within(sidebar()).findByRole('link', { name: /Imported mix/ })
    await waitFor(() => expect(rowTitles()).toEqual(['Teardrop', 'Roads']))
    expect(screen.getByRole('row', { name: 'Teardrop' }).textContent).toContain('3:05')
  })

  it('reports a broken file with its name and line, and imports nothing', async () => {
    const user = setup()
    await screen.findByRole('button', { name: 'New playlist' })
    const broken =
      '<?xml version="1.0"?>\n<playlist xmlns="http://xspf.org/ns/0/">\n<trackList>\n<track><title>x</title>\n</trackList>\n'
    await user.upload(
      screen.getByTestId('import-input') as HTMLInputElement,
      new File([broken], 'broken.xspf'),
    )
    const alert = await screen.findByRole('alert')
    expect(alert.textContent).toContain('broken.xspf')
    expect(alert.textContent).toMatch(/line \d+/)
    expect(t.engine.listPlaylists()).toHaveLength(0)
  })

  it('imports files dropped on the window one after another, with progress bars', async () => {
    setup()
    await screen.findByRole('button', { name: 'New playlist' })
    const a = new File(['#EXTM3U\n#EXTINF:1,X - First\n/a.mp3\n'], 'a.m3u')
    const b = new File(['#EXTM3U\n#EXTINF:1,Y - Second\n/b.mp3\n'], 'b.m3u')
    const drag = (type: string) => {
      const event = new Event(type, { bubbles: true, cancelable: true }) as DragEvent
      Object.defineProperty(event, 'dataTransfer', {
        value: { types: ['Files'], files: [a, b], dropEffect: 'none' },
      })
      act(() => {
        window.dispatchEvent(event)
      })
    }
    drag('dragenter')
    expect(screen.getByText('Drop playlist files to import')).toBeTruthy()
    drag('drop')
    expect(screen.queryByText('Drop playlist files to import')).toBeNull()
    const bars = screen.getAllByRole('progressbar')
    expect(bars.map((bar) => bar.getAttribute('aria-label'))).toEqual([
      'Importing a.m3u',
      'Importing b.m3u',
    ])
    expect(bars[0]!.getAttribute('aria-valuenow')).toBe('0')
    await screen.findByText(/Imported 1 track from b\.m3u/)
    await waitFor(() => expect(screen.queryAllByRole('progressbar')).toHaveLength(0))
    expect(t.engine.listPlaylists().map((p) => p.name)).toEqual(['a', 'b'])
  })

  it('exports the playlist as XSPF through a download of the engine output', async () => {
    await seedPlaylist(t.engine, 'Out', [
      { title: 'Teardrop', artists: ['Massive Attack'], durationMs: 185_000 },
    ])
    const user = setup()
    await screen.findByRole('row', { name: 'Teardrop' })
    const blobs: Blob[] = []
    const create = vi.spyOn(URL, 'createObjectURL').mockImplementation((blob) => {
      blobs.push(blob as Blob)
      return 'blob:test'
    })
    const revoke = vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => {})
    const clicks: HTMLAnchorElement[] = []
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (
      this: HTMLAnchorElement,
    ) {
      clicks.push(this)
    })
    await user.click(screen.getByRole('button', { name: /^Export/ }))
    await user.click(screen.getByRole('menuitem', { name: /XSPF/ }))
    await waitFor(() => expect(clicks).toHaveLength(1))
    expect(create).toHaveBeenCalledOnce()
    expect(clicks[0]!.download).toMatch(/\.xspf$/)
    expect(clicks[0]!.href).toBe('blob:test')
    const xml = await blobs[0]!.text()
    expect(blobs[0]!.type).toContain('xspf')
    expect(xml).toContain('<title>Teardrop</title>')
    expect(xml).toContain('<creator>Massive Attack</creator>')
    await waitFor(() => expect(revoke).toHaveBeenCalledWith('blob:test'))
  })

  it("migrates a previous version's settings and keeps what the user chose", async () => {
    const cell = new MemorySettingsCell()
    const { identity: _identity, ...v1Defaults } = appSettingsDefaults
    const v1 = await createSettingsStore({
      schema: z.omit(appSettingsSchema, { identity: true }),
      defaults: v1Defaults,
      version: 1,
      backend: new MemorySettingsBackend(cell),
      secrets: memorySecretKey(),
    })
    await v1.set('profile.displayName', 'Ana')
    await v1.close()
    const settings = await openTestSettings(cell)
    expect(settings.report.migrated).toMatchObject({ from: 1, to: APP_SETTINGS_VERSION })
    expect(settings.get('profile.displayName')).toBe('Ana')
    expect(settings.get('identity')).toEqual({})
    await settings.close()
  })

  it('says so when the settings could not be migrated, and keeps working on the old ones', async () => {
    const cell = new MemorySettingsCell()
    const old = await openTestSettings(cell)
    await old.set('profile.displayName', 'Ana')
    await old.close()
    const settings = await createSettingsStore({
      schema: appSettingsSchema,
      defaults: appSettingsDefaults,
      version: APP_SETTINGS_VERSION + 1,
      migrations: {
        [APP_SETTINGS_VERSION + 1]: () => {
          throw new Error('disk on fire')
        },
      },
      backend: new MemorySettingsBackend(cell),
      secrets: memorySecretKey(),
    })
    render(<App client={t.client} settings={settings} />)
    const alert = await screen.findByRole('alert')
    expect(alert.textContent).toMatch(/could not be updated for this version.*disk on fire/)
    expect(screen.getAllByRole('alert')).toHaveLength(1)
    expect(settings.get('profile.displayName')).toBe('Ana')
    await settings.close()
  })

  it('offers the export format chosen in Settings first', async () => {
    await seedPlaylist(t.engine, 'Prefs', [{ title: 'One' }])
    const user = setup()
    await screen.findByRole('row', { name: 'One' })
    await user.click(screen.getByRole('button', { name: /^Export/ }))
    expect(screen.getAllByRole('menuitem')[0]!.textContent).toMatch(/^M3U8/)
    await user.keyboard('{Escape}')
    await act(() => t.settings.set('library.exportFormat', 'markdown'))
    await user.click(screen.getByRole('button', { name: /^Export/ }))
    expect(screen.getAllByRole('menuitem')[0]!.textContent).toMatch(/^Markdown/)
    await waitFor(() => expect(document.activeElement).toBe(screen.getAllByRole('menuitem')[0]))
  })

  it('deletes a playlist after confirmation and brings it back with Undo in the toast', async () => {
    await seedPlaylist(t.engine, 'Doomed', [{ title: 'Last song' }])
    const user = setup()
    await screen.findByRole('row', { name: 'Last song' })
    await user.click(screen.getByRole('button', { name: 'Delete playlist' }))
    const confirm = screen.getByRole('alertdialog', { name: 'Delete “Doomed”?' })
    await user.click(within(confirm).getByRole('button', { name: 'Delete' }))
    await waitFor(() => expect(within(sidebar()).queryByRole('link')).toBeNull())
    expect(await screen.findByText('Create a playlist or drop a playlist file here.')).toBeTruthy()
    const toast = (await screen.findByText('Deleted “Doomed”')).closest('.toast') as HTMLElement
    await user.click(within(toast).getByRole('button', { name: 'Undo' }))
    await within(sidebar()).findByRole('link', { name: /Doomed/ })
    expect(await screen.findByRole('row', { name: 'Last song' })).toBeTruthy()
  })
})
