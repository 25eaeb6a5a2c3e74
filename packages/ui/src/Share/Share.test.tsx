// Sharing in the app, on the real engine: the share dialog (links, copy, QR, revoke),
// joining from a link (bad, good, one's own), read-only playlists, connection state and
// presence from the host's sync node (a small fake here), and friends.
import { createEngine, systemClock, type Engine } from '@whatnext/core'
import { parseShareLink, shareUrls, type ShareRole } from '@whatnext/core/client'
import { MemoryDocumentStore } from '@whatnext/storage/memory'
import { act, render, screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { App } from '../App/App'
import type { CollabSnapshot, CollabSource, PlaylistCollabStatus } from '../Collab/types'
import { EMPTY_COLLAB } from '../Collab/types'
import { seedPlaylist, startTestEngine, type TestEngine } from '../test-support/engine'

const HOST = '12D3KooWReQt7RWFEMFz6fCYZiFavdTz8XrYPyfPdf3Ft168kGWz'
const RELAY_ID = '12D3KooWJdR3De589pE2Bpu4dFTu6RBufJssHWxbdne4r1K7vhf9'
const RELAY = `/dns4/relay.example/tcp/443/wss/p2p/${RELAY_ID}`
const ME = '12D3KooWH3uVF6wv47WnArKHk5p6cvgCJEb74UTmxztmQDc298L3'
const ORIGIN = 'https://whatnext.test'

/** A sync node that only holds a snapshot the test changes, and records intents. */
function fakeCollab(initial: Partial<CollabSnapshot> = {}) {
  let snapshot: CollabSnapshot = { ...EMPTY_COLLAB, node: 'online', relays: [RELAY], ...initial }
  const listeners = new Set<() => void>()
  const focus: { playlistId: string | null; trackId: string | null }[] = []
  const reconnects: string[] = []
  const source: CollabSource = {
    getSnapshot: () => snapshot,
    subscribe(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    setFocus: (f) => focus.push(f),
    reconnect: (id) => reconnects.push(id),
    webOrigin: ORIGIN,
  }
  return {
    source,
    focus,
    reconnects,
    set(next: Partial<CollabSnapshot>) {
      snapshot = { ...snapshot, ...next }
      act(() => listeners.forEach((l) => l()))
    },
    status(id: string, status: Partial<PlaylistCollabStatus>) {
      this.set({
        playlists: {
          ...snapshot.playlists,
          [id]: {
            kind: 'joined',
            state: 'connecting',
            peers: [],
            synced: false,
            progress: null,
            error: null,
            ...snapshot.playlists[id],
            ...status,
          },
        },
      })
    },
  }
}

const secret = (byte: number) => new Uint8Array(32).fill(byte)
const linkTo = (playlistId: string, role: ShareRole, host = HOST) =>
  shareUrls(ORIGIN, { hostPeerId: host, relays: [RELAY], playlistId, role, secret: secret(7) })

let t: TestEngine
let host: Engine | null = null

beforeEach(async () => {
  t = await startTestEngine()
})
afterEach(async () => {
  vi.restoreAllMocks()
  await host?.close()
  host = null
  await t.close()
})

const sidebar = () => screen.getByRole('navigation', { name: 'Playlists' })
const rowTitles = () =>
  screen
    .queryAllByTestId('track-row')
    .sort(
      (a, b) => Number(a.getAttribute('aria-rowindex')) - Number(b.getAttribute('aria-rowindex')),
    )
    .map((r) => r.getAttribute('aria-label'))

function setup(
  collab: ReturnType<typeof fakeCollab> | null,
  props: { join?: string | null; onJoinHandled?: () => void; peerId?: string | null } = {},
) {
  const user = userEvent.setup()
  const identity = props.peerId === null ? null : { peerId: props.peerId ?? ME }
  const view = render(
    <App
      client={t.client}
      settings={t.settings}
      identity={identity}
      collab={collab?.source}
      join={props.join}
      onJoinHandled={props.onJoinHandled}
    />,
  )
  return { user, view }
}

/**
 * A playlist shared with this user by another engine (the host), already caught up the
 * way the sync node would: joined through the bus, then the host's document applied.
 */
async function joinFromHost(role: ShareRole, titles: string[]) {
  host = await createEngine({
    documents: new MemoryDocumentStore(),
    clock: systemClock(globalThis),
  })
  const { id } = await host.createPlaylist({ name: 'Their mix' })
  await host.addTracks(
    id,
    titles.map((title) => ({ title })),
  )
  const record = await host.createShare(id, role)
  await t.client.request('share/join', {
    playlistId: id,
    hostPeerId: HOST,
    relays: [RELAY],
    role,
    secret: record.kind === 'hosted' ? record.grants[role]! : '',
  })
  const stateVector = t.engine.stateVectorOf(id)
  await t.client.request('doc/apply', { id, update: host.syncDoc(id, stateVector).update })
  return id
}

describe('share dialog', () => {
  it('makes an edit link in both forms with a QR code, replaces it and revokes it', async () => {
    const id = await seedPlaylist(t.engine, 'Road trip', [{ title: 'One' }])
    const collab = fakeCollab()
    const { user } = setup(collab)
    await screen.findByRole('row', { name: 'One' })
    await user.click(screen.getByRole('button', { name: 'Share' }))
    const dialog = await screen.findByRole('dialog', { name: 'Share “Road trip”' })
    const edit = await within(dialog).findByRole('region', { name: 'Edit link' })
    await user.click(within(edit).getByRole('button', { name: 'Create edit link' }))

    const web = (await within(edit).findByLabelText('Edit link (web)')) as HTMLInputElement
    const app = within(edit).getByLabelText('Edit link (desktop app)') as HTMLInputElement
    expect(web.value).toMatch(/^https:\/\/whatnext\.test\/join#[\w-]+$/)
    expect(app.value).toMatch(/^whtnxt:\/\/join\/[\w-]+$/)
    const parsed = parseShareLink(web.value)
    expect(parsed).toMatchObject({ hostPeerId: ME, playlistId: id, role: 'edit', relays: [RELAY] })
    expect(parseShareLink(app.value)).toEqual(parsed)
    expect(await within(edit).findByRole('img', { name: 'QR code of the edit link' })).toBeTruthy()
    // The read-only link is separate and not made yet.
    const read = within(dialog).getByRole('region', { name: 'Read-only link' })
    expect(within(read).getByRole('button', { name: 'Create read-only link' })).toBeTruthy()
    expect(t.engine.listPlaylists()[0]!.shared).toEqual({ kind: 'hosted', roles: ['edit'] })

    const before = web.value
    await user.click(within(edit).getByRole('button', { name: 'Revoke and make new link' }))
    await waitFor(() =>
      expect((within(edit).getByLabelText('Edit link (web)') as HTMLInputElement).value).not.toBe(
        before,
      ),
    )
    const after = (within(edit).getByLabelText('Edit link (web)') as HTMLInputElement).value
    const record = t.engine.getShare(id)
    expect(record?.kind === 'hosted' && record.grants.edit).toBe(
      Buffer.from(parseShareLink(after).secret).toString('base64url'),
    )

    await user.click(within(edit).getByRole('button', { name: 'Revoke' }))
    const confirm = within(edit).getByRole('group', { name: /Revoke the edit link\?/ })
    expect(document.activeElement).toBe(within(confirm).getByRole('button', { name: 'Cancel' }))
    await user.click(within(confirm).getByRole('button', { name: 'Revoke' }))
    expect(await within(edit).findByRole('button', { name: 'Create edit link' })).toBeTruthy()
    expect(within(edit).queryByLabelText('Edit link (web)')).toBeNull()
    expect(t.engine.getShare(id)).toEqual({ kind: 'hosted', grants: {} })
  })

  it('copies a link and says so, and selects it when the clipboard refuses', async () => {
    await seedPlaylist(t.engine, 'Copy me', [])
    const { user } = setup(fakeCollab())
    await screen.findByRole('button', { name: 'Share' })
    // From the palette this time.
    await user.keyboard('{Control>}k{/Control}')
    await user.type(await screen.findByRole('combobox'), 'Share playlist{Enter}')
    const dialog = await screen.findByRole('dialog', { name: 'Share “Copy me”' })
    const read = await within(dialog).findByRole('region', { name: 'Read-only link' })
    await user.click(within(read).getByRole('button', { name: 'Create read-only link' }))
    const web = (await within(read).findByLabelText('Read-only link (web)')) as HTMLInputElement
    const write = vi.spyOn(navigator.clipboard, 'writeText')
    await user.click(within(read).getByRole('button', { name: 'Copy read-only link (web)' }))
    expect(write).toHaveBeenCalledWith(web.value)
    expect(await navigator.clipboard.readText()).toBe(web.value)
    expect(
      within(read).getByRole('button', { name: 'Copy read-only link (web)' }).textContent,
    ).toBe('Copied ✓')
    expect(
      within(read)
        .getAllByRole('status')
        .map((s) => s.textContent),
    ).toContain('Copied')

    write.mockRejectedValueOnce(new Error('denied'))
    const app = within(read).getByLabelText('Read-only link (desktop app)') as HTMLInputElement
    await user.click(
      within(read).getByRole('button', { name: 'Copy read-only link (desktop app)' }),
    )
    expect(await within(read).findByText(/press Ctrl\+C/)).toBeTruthy()
    expect(document.activeElement).toBe(app)
    expect([app.selectionStart, app.selectionEnd]).toEqual([0, app.value.length])
  })

  it('says why a link would not work: no relay, or no key yet', async () => {
    await seedPlaylist(t.engine, 'Lonely', [])
    const collab = fakeCollab({ relays: [] })
    const { user, view } = setup(collab)
    await user.click(await screen.findByRole('button', { name: 'Share' }))
    const dialog = await screen.findByRole('dialog')
    expect(within(dialog).getByText(/No relay is reachable: add a relay address in/)).toBeTruthy()
    const edit = await within(dialog).findByRole('region', { name: 'Edit link' })
    await user.click(within(edit).getByRole('button', { name: 'Create edit link' }))
    // Still shown: it works once a relay answers... but without one it names none.
    const web = (await within(edit).findByLabelText('Edit link (web)')) as HTMLInputElement
    expect(parseShareLink(web.value).relays).toEqual([])
    collab.set({ relays: [RELAY] })
    expect(within(dialog).queryByText(/No relay is reachable/)).toBeNull()
    await waitFor(() =>
      expect(
        parseShareLink((within(edit).getByLabelText('Edit link (web)') as HTMLInputElement).value)
          .relays,
      ).toEqual([RELAY]),
    )
    view.unmount()

    setup(collab, { peerId: null })
    await userEvent.click(await screen.findByRole('button', { name: 'Share' }))
    const again = await screen.findByRole('dialog')
    expect(within(again).getByText(/Your key is still being made/)).toBeTruthy()
    expect(within(again).queryByLabelText('Edit link (web)')).toBeNull()
  })

  it('offers no sharing without a sync node, and none for a playlist shared with the user', async () => {
    await seedPlaylist(t.engine, 'Mine', [{ title: 'A' }])
    const { user, view } = setup(null)
    await screen.findByRole('row', { name: 'A' })
    expect(screen.queryByRole('button', { name: 'Share' })).toBeNull()
    await user.keyboard('{Control>}k{/Control}')
    const labels = (await screen.findAllByRole('option')).map((o) => o.getAttribute('aria-label'))
    expect(labels).not.toContain('Share playlist…')
    expect(labels).not.toContain('Join from link…')
    await user.keyboard('{Escape}')
    view.unmount()

    const id = await joinFromHost('edit', ['Theirs'])
    history.replaceState(null, '', `#/playlist/${id}`)
    const again = setup(fakeCollab())
    await screen.findByRole('row', { name: 'Theirs' })
    expect(screen.queryByRole('button', { name: 'Share' })).toBeNull()
    await again.user.keyboard('{Control>}k{/Control}')
    const names = (await screen.findAllByRole('option')).map((o) => o.getAttribute('aria-label'))
    expect(names).not.toContain('Share playlist…')
    expect(names).toContain('Join from link…')
    expect(names).toContain('Add track')
  })
})

describe('joining', () => {
  it('refuses a bad link with its reason and adds nothing', async () => {
    const handled = vi.fn()
    const { user } = setup(fakeCollab(), {
      join: `${ORIGIN}/join#AQAAAA`,
      onJoinHandled: handled,
    })
    const dialog = await screen.findByRole('dialog', { name: 'Join a shared playlist' })
    expect(within(dialog).getByRole('alert').textContent).toMatch(/^Invalid share link: /)
    expect(within(dialog).queryByRole('button', { name: 'Join' })).toBeNull()
    await user.click(within(dialog).getByRole('button', { name: 'Cancel' }))
    expect(screen.queryByRole('dialog')).toBeNull()
    expect(handled).toHaveBeenCalledOnce()
    expect(t.engine.listPlaylists()).toEqual([])
  })

  it('joins a read-only link: marks it shared, selects it, and shows its sync', async () => {
    const handled = vi.fn()
    const collab = fakeCollab()
    const playlistId = 'sharedPlaylist01'
    const { user } = setup(collab, { join: linkTo(playlistId, 'read').web, onJoinHandled: handled })
    const dialog = await screen.findByRole('dialog', { name: 'Join a shared playlist' })
    expect(dialog.textContent).toContain('read-only')
    expect(dialog.textContent).toContain('12D3…8kGWz'.replace('…8kGWz', '…68kGWz'))
    const desktop = within(dialog).getByRole('link', { name: 'Open in desktop app' })
    expect(desktop.getAttribute('href')).toBe(linkTo(playlistId, 'read').app)
    expect(handled).not.toHaveBeenCalled()
    await user.click(within(dialog).getByRole('button', { name: 'Join' }))
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull())
    expect(handled).toHaveBeenCalledOnce()
    expect(t.engine.listPlaylists()).toMatchObject([
      { id: playlistId, shared: { kind: 'joined', role: 'read', hostPeerId: HOST } },
    ])
    const link = await within(sidebar()).findByRole('link', { name: /Shared with you, read-only/ })
    expect(link.getAttribute('aria-current')).toBe('page')
    expect(location.hash).toBe(`#/playlist/${playlistId}`)

    // Not synced yet: the pane says so, busy, until the node reports progress and done.
    const connecting = await screen.findByText('Connecting…', { selector: '.sync-state p' })
    expect(connecting.closest('[aria-busy="true"]')).toBeTruthy()
    collab.status(playlistId, { state: 'relayed', progress: { received: 512, total: 2048 } })
    expect(screen.getByText('Syncing from 12D3…68kGWz… 25 %')).toBeTruthy()
    expect(
      screen.getByRole('progressbar', { name: /Syncing from/ }).getAttribute('aria-valuenow'),
    ).toBe('25')
    collab.status(playlistId, { synced: true, progress: null })
    expect(screen.queryByText(/Syncing from/)).toBeNull()

    collab.status(playlistId, {
      synced: false,
      state: 'offline',
      error: { code: 'revoked', message: 'The owner revoked this link.' },
    })
    const stopped = screen.getByRole('alert')
    expect(stopped.textContent).toContain('The owner revoked this link.')
    await user.click(within(stopped).getByRole('button', { name: 'Remove from library' }))
    await user.click(
      within(screen.getByRole('alertdialog')).getByRole('button', { name: 'Remove' }),
    )
    await waitFor(() => expect(t.engine.listPlaylists()).toEqual([]))
  })

  it('opens one of the user’s own playlists instead of joining it', async () => {
    await seedPlaylist(t.engine, 'Other', [])
    const id = await seedPlaylist(t.engine, 'Own', [{ title: 'Mine' }])
    await seedPlaylist(t.engine, 'Third', [])
    history.replaceState(null, '', '#/')
    const handled = vi.fn()
    setup(fakeCollab(), { join: linkTo(id, 'edit', ME).app, onJoinHandled: handled })
    expect(await screen.findByText('This is your own playlist.')).toBeTruthy()
    await waitFor(() => expect(location.hash).toBe(`#/playlist/${id}`))
    expect(await screen.findByRole('row', { name: 'Mine' })).toBeTruthy()
    expect(screen.queryByRole('dialog')).toBeNull()
    expect(handled).toHaveBeenCalledOnce()
    expect(t.engine.listPlaylists().every((p) => p.shared === undefined)).toBe(true)
  })

  it('joins from a link pasted into "Join from link…" in the palette', async () => {
    const { user } = setup(fakeCollab())
    await screen.findByRole('button', { name: 'New playlist' })
    await user.keyboard('{Control>}k{/Control}')
    await user.type(await screen.findByRole('combobox'), 'Join from link{Enter}')
    const dialog = await screen.findByRole('dialog', { name: 'Join a shared playlist' })
    const field = within(dialog).getByLabelText('Share link')
    await waitFor(() => expect(document.activeElement).toBe(field))
    await user.type(field, 'https://whatnext.test/elsewhere#abc{Enter}')
    expect(within(dialog).getByRole('alert').textContent).toBe(
      'Invalid share link: this is not a join link',
    )
    expect(field.getAttribute('aria-invalid')).toBe('true')
    await user.clear(field)
    await user.click(field)
    await user.paste(linkTo('pastedList', 'edit').app)
    await user.click(within(dialog).getByRole('button', { name: 'Continue' }))
    expect(dialog.textContent).toContain('can edit')
    await user.click(within(dialog).getByRole('button', { name: 'Join' }))
    const joined = await within(sidebar()).findByRole('link', { name: /Shared with you/ })
    expect(joined.textContent).not.toContain('read-only')
    expect(t.engine.listPlaylists()).toMatchObject([
      { id: 'pastedList', shared: { kind: 'joined', role: 'edit' } },
    ])
  })
})

describe('shared playlists', () => {
  it('keeps a joined playlist that has arrived usable while offline', async () => {
    const id = await joinFromHost('edit', ['One', 'Two'])
    const collab = fakeCollab()
    collab.status(id, { state: 'offline', synced: false })
    const { user } = setup(collab)
    // The local copy shows and takes edits; the strip says offline and offers a retry.
    await screen.findByRole('row', { name: 'One' })
    expect(screen.getByText('Offline')).toBeTruthy()
    expect(screen.queryByText('Connecting…', { selector: '.sync-state p' })).toBeNull()
    await user.click(screen.getByRole('button', { name: 'Retry now' }))
    expect(collab.reconnects).toEqual([id])
    await t.client.request('playlist/addTracks', { playlistId: id, tracks: [{ title: 'Offline' }] })
    expect(await screen.findByRole('row', { name: 'Offline' })).toBeTruthy()
  })

  it('offers no way to change a read-only playlist', async () => {
    const id = await joinFromHost('read', ['One', 'Two', 'Three'])
    const collab = fakeCollab()
    collab.status(id, { state: 'direct', synced: true })
    const { user } = setup(collab)
    await screen.findByRole('row', { name: 'One' })
    expect(screen.getByText(/^Read-only — shared by 12D3…68kGWz$/)).toBeTruthy()
    expect(screen.getByRole('heading', { level: 1, name: 'Their mix' })).toBeTruthy()
    expect(screen.queryByRole('textbox', { name: 'Name' })).toBeNull()
    expect(screen.queryByRole('textbox', { name: 'Description' })).toBeNull()
    expect(screen.queryByRole('button', { name: 'Add track' })).toBeNull()
    expect(screen.queryAllByRole('button', { name: /Drag to reorder/ })).toEqual([])
    expect(screen.getByRole('grid').getAttribute('aria-readonly')).toBe('true')

    await user.click(screen.getByRole('row', { name: 'One' }))
    await user.keyboard('{Alt>}{ArrowDown}{/Alt}')
    await user.keyboard('{Delete}')
    await user.keyboard('{Enter}')
    await new Promise((r) => setTimeout(r, 50))
    expect(rowTitles()).toEqual(['One', 'Two', 'Three'])
    expect(t.engine.getPlaylist(id).tracks.map((tr) => tr.title)).toEqual(['One', 'Two', 'Three'])
    expect(screen.queryByRole('dialog')).toBeNull()
    await user.dblClick(screen.getByRole('row', { name: 'Two' }))
    expect(screen.queryByRole('dialog')).toBeNull()

    await user.keyboard('{Control>}k{/Control}')
    const names = (await screen.findAllByRole('option')).map((o) => o.getAttribute('aria-label'))
    for (const hidden of [
      'Add track',
      'Rename playlist',
      'Delete selected tracks',
      'Move selected tracks up',
      'Move selected tracks down',
      'Share playlist…',
    ])
      expect(names).not.toContain(hidden)
    expect(names).toContain('Remove from library')
    expect(names).toContain('Export as M3U8')
  })

  it('shows the connection and who is here from the node’s snapshots, and retries', async () => {
    const id = await joinFromHost('edit', ['One', 'Two'])
    const collab = fakeCollab()
    collab.status(id, { state: 'direct', synced: true })
    const { user } = setup(collab)
    await screen.findByRole('row', { name: 'One' })
    const badge = () => screen.getByText(/^(Connecting…|Connected|Offline)/, { selector: '.conn' })
    expect(badge().textContent).toBe('Connected directly')
    expect(badge().getAttribute('role')).toBe('status')
    expect(screen.getByText('Shared with you by 12D3…68kGWz · you can edit')).toBeTruthy()
    const two = t.engine.getPlaylist(id).tracks[1]!.id

    collab.status(id, {
      state: 'relayed',
      peers: [
        { peerId: HOST, name: 'Ana Lima', colour: '#1f77b4', playlistId: id, trackId: two },
        { peerId: RELAY_ID, name: 'Bo', colour: '#ffdd00', playlistId: id, trackId: null },
      ],
    })
    expect(badge().textContent).toBe('Connected through relay')
    const people = screen.getByRole('list', { name: 'People here now' })
    const ana = within(people).getByRole('button', { name: 'Ana Lima, looking at “Two”' })
    expect(ana.textContent).toBe('AL')
    expect(ana.getAttribute('title')).toBe('Ana Lima — looking at “Two”')
    expect(within(people).getByRole('button', { name: 'Bo, viewing this playlist' })).toBeTruthy()
    // Ana's selection is marked on her track, in her colour.
    const row = screen.getByRole('row', { name: 'Two' })
    expect(within(row).getByText('Ana Lima').className).toBe('track-mark')
    expect(row.className).toContain('marked')
    // The host now goes by the name it is connected with.
    expect(screen.getByText('Shared with you by Ana Lima · you can edit')).toBeTruthy()

    collab.status(id, { state: 'offline', peers: [] })
    expect(badge().textContent).toBe('Offline')
    expect(screen.queryByRole('list', { name: 'People here now' })).toBeNull()
    await user.click(screen.getByRole('button', { name: 'Retry now' }))
    expect(collab.reconnects).toEqual([id])
  })

  it('tells the node which playlist and track the user is on', async () => {
    const a = await seedPlaylist(t.engine, 'A', [{ title: 'First' }, { title: 'Second' }])
    history.replaceState(null, '', `#/playlist/${a}`)
    const collab = fakeCollab()
    const { user } = setup(collab)
    await user.click(await screen.findByRole('row', { name: 'Second' }))
    const second = t.engine.getPlaylist(a).tracks[1]!.id
    await waitFor(() => expect(collab.focus.at(-1)).toEqual({ playlistId: a, trackId: second }))
    const b = await seedPlaylist(t.engine, 'B', [])
    await user.click(await within(sidebar()).findByRole('link', { name: /^B/ }))
    await waitFor(() => expect(collab.focus.at(-1)).toEqual({ playlistId: b, trackId: null }))
  })

  it('saves someone as a friend and lists friends with their status', async () => {
    const id = await seedPlaylist(t.engine, 'Party', [{ title: 'Song' }])
    await t.engine.createShare(id, 'edit')
    const collab = fakeCollab()
    const { user } = setup(collab)
    await screen.findByRole('row', { name: 'Song' })
    expect(within(sidebar()).getByRole('link', { name: /Party.*Shared by you/ })).toBeTruthy()
    const friends = screen.getByRole('region', { name: 'Friends' })
    expect(within(friends).getByText(/appear here/)).toBeTruthy()
    expect(screen.getByText('Connecting…', { selector: '.conn' })).toBeTruthy()

    collab.set({
      playlists: {
        [id]: {
          kind: 'hosted',
          state: 'direct',
          synced: true,
          progress: null,
          error: null,
          peers: [{ peerId: HOST, name: 'Ana', colour: '#aa3366', playlistId: id, trackId: null }],
        },
      },
      friends: { [HOST]: { peerId: HOST, online: true } },
    })
    expect(screen.getByText('Online', { selector: '.conn' })).toBeTruthy()
    await user.click(screen.getByRole('button', { name: 'Ana, viewing this playlist' }))
    const card = screen.getByRole('group', { name: 'Ana' })
    await user.click(within(card).getByRole('button', { name: 'Save Ana as friend' }))
    expect(await within(card).findByText('Friend ✓')).toBeTruthy()
    expect(t.settings.get('friends')).toMatchObject([{ peerId: HOST, name: 'Ana' }])
    const item = within(friends).getByRole('listitem')
    expect(item.textContent).toContain('Ana')
    expect(item.textContent).toContain('12D3…68kGWz')
    expect(item.textContent).toContain('online')
    collab.set({ friends: { [HOST]: { peerId: HOST, online: false } } })
    expect(within(friends).getByRole('listitem').textContent).toContain('offline')

    await user.click(within(friends).getByRole('button', { name: 'Rename Ana' }))
    const nameField = within(friends).getByRole('textbox', { name: 'New name for Ana' })
    await user.clear(nameField)
    await user.type(nameField, 'Ana from work{Enter}')
    await waitFor(() => expect(t.settings.get('friends')[0]!.name).toBe('Ana from work'))
    await user.click(
      within(friends).getByRole('button', { name: 'Remove Ana from work from friends' }),
    )
    await waitFor(() => expect(t.settings.get('friends')).toEqual([]))
    expect(within(friends).queryByRole('listitem')).toBeNull()
  })
})
