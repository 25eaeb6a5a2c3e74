/**
 * Collaboration between separate browser profiles (one context each: own IndexedDB, own
 * identity), through the local relay the config starts. In the suite's network namespace
 * (WHATNEXT_NETNS=1) browsers connect directly over WebRTC; elsewhere WebRTC has no UDP
 * and they sync over the relayed connection.
 */
import { expect, test, type Browser, type BrowserContext } from '@playwright/test'
import { LibraryPage } from './support/library-page'

const direct = process.env.WHATNEXT_NETNS === '1'
const CONNECTED = direct ? 'Connected directly' : 'Connected through relay'

test.describe.configure({ timeout: 150_000 })

async function profile(browser: Browser, baseURL: string | undefined, name: string) {
  const context = await browser.newContext({ baseURL: baseURL! })
  const app = new LibraryPage(await context.newPage())
  await app.open()
  // A display name, so presence says who is who.
  await app.page.getByRole('button', { name: 'Settings', exact: true }).click()
  const settings = app.page.getByRole('dialog', { name: 'Settings' })
  const field = settings.getByLabel('Display name')
  await field.fill(name)
  await field.press('Enter')
  await expect(settings.getByRole('list', { name: 'Settings history' })).toContainText(name)
  await app.page.keyboard.press('Escape')
  await expect(settings).toBeHidden()
  return { context, app }
}

/** Opens the Share dialog, makes the `role` link and returns its https form. */
async function makeLink(app: LibraryPage, role: 'Edit link' | 'Read-only link') {
  const { page } = app
  await page.getByRole('button', { name: 'Share', exact: true }).click()
  const dialog = page.getByRole('dialog', { name: /^Share/ })
  const section = dialog.getByRole('region', { name: role })
  await section.getByRole('button', { name: `Create ${role.toLowerCase()}` }).click()
  const field = section.getByRole('textbox', { name: `${role} (web)` })
  await expect(field).toHaveValue(/\/join#/)
  // The link names the relay once the node holds a reservation on it.
  await expect(dialog.getByText(/relay/i)).toHaveCount(0, { timeout: 30_000 })
  const link = await field.inputValue()
  await dialog.getByRole('button', { name: 'Done' }).click()
  await expect(dialog).toBeHidden()
  return link
}

async function join(app: LibraryPage, link: string, playlist: string) {
  await app.page.goto(link)
  const dialog = app.page.getByRole('dialog', { name: 'Join a shared playlist' })
  await expect(dialog).toBeVisible()
  await dialog.getByRole('button', { name: 'Join', exact: true }).click()
  await expect(dialog).toBeHidden()
  await expect(app.playlistLink(playlist)).toBeVisible({ timeout: 30_000 })
}

const closeAll = async (contexts: BrowserContext[]) => {
  for (const c of contexts) await c.close().catch(() => undefined)
}

test('an edit link: the joiner gets the playlist, both edit at once and converge, offline edits merge', async ({
  browser,
  baseURL,
}) => {
  const a = await profile(browser, baseURL, 'Ada')
  const b = await profile(browser, baseURL, 'Bo')
  try {
    await a.app.createPlaylist('Road trip')
    for (const title of ['One', 'Two', 'Three']) await a.app.addTrack({ title })
    const link = await makeLink(a.app, 'Edit link')
    expect(new URL(link).pathname).toBe('/join')

    await join(b.app, link, 'Road trip')
    await expect.poll(() => b.app.rowTitles(), { timeout: 30_000 }).toEqual(['One', 'Two', 'Three'])
    await expect(b.app.page.getByRole('status').filter({ hasText: CONNECTED })).toBeVisible({
      timeout: 30_000,
    })
    await expect(b.app.sidebar.getByText('Shared with you')).toBeVisible()
    // Presence: each sees the other by name.
    await expect(a.app.page.getByRole('list', { name: 'People here now' })).toContainText('B')
    await expect(b.app.page.getByRole('list', { name: 'People here now' })).toContainText('A')

    // Both edit at the same moment: adds on both sides, a keyboard move on B, a removal on A.
    await Promise.all([a.app.addTrack({ title: 'From Ada' }), b.app.addTrack({ title: 'From Bo' })])
    await b.app.row('One').click()
    await b.app.page.keyboard.press('Alt+ArrowDown')
    await a.app.row('Two').click()
    await a.app.page.keyboard.press('Delete')
    const expected = ['From Ada', 'From Bo', 'One', 'Three']
    await expect
      .poll(async () => [...(await a.app.rowTitles())].sort(), { timeout: 15_000 })
      .toEqual(expected)
    await expect.poll(() => b.app.rowTitles(), { timeout: 15_000 }).toEqual(await a.app.rowTitles())

    // B goes offline, both edit, B comes back: nothing is lost, both end identical.
    await b.context.setOffline(true)
    await expect(b.app.page.getByRole('status').filter({ hasText: 'Offline' })).toBeVisible()
    await b.app.addTrack({ title: 'Bo offline' })
    await a.app.addTrack({ title: 'Ada meanwhile' })
    await b.context.setOffline(false)
    await expect
      .poll(async () => [...(await b.app.rowTitles())].sort(), { timeout: 30_000 })
      .toEqual([...expected, 'Ada meanwhile', 'Bo offline'].sort())
    await expect.poll(() => a.app.rowTitles(), { timeout: 15_000 }).toEqual(await b.app.rowTitles())

    // A restarted browser (reload) keeps its identity: the host still lets it in.
    await b.app.page.reload()
    await b.app.ready()
    await b.app.playlistLink('Road trip').click()
    await a.app.addTrack({ title: 'After reload' })
    await expect(b.app.row('After reload')).toBeVisible({ timeout: 30_000 })
  } finally {
    await closeAll([a.context, b.context])
  }
})

test('a read-only link shows live changes and offers no edits; revoking a link cuts its joiner off', async ({
  browser,
  baseURL,
}) => {
  const a = await profile(browser, baseURL, 'Ada')
  const reader = await profile(browser, baseURL, 'Rey')
  const editor = await profile(browser, baseURL, 'Ed')
  try {
    await a.app.createPlaylist('Mix')
    await a.app.addTrack({ title: 'One' })
    const readLink = await makeLink(a.app, 'Read-only link')
    const editLink = await makeLink(a.app, 'Edit link')
    await join(reader.app, readLink, 'Mix')
    await join(editor.app, editLink, 'Mix')
    await expect(reader.app.row('One')).toBeVisible({ timeout: 30_000 })
    await expect(editor.app.row('One')).toBeVisible({ timeout: 30_000 })

    // Read-only: live changes arrive; nothing offers an edit.
    await expect(reader.app.page.getByText(/Read-only — shared by/)).toBeVisible()
    await expect(reader.app.page.getByRole('button', { name: 'Add track' })).toHaveCount(0)
    await a.app.addTrack({ title: 'Live' })
    await expect.poll(() => reader.app.rowTitles(), { timeout: 15_000 }).toEqual(['One', 'Live'])
    await reader.app.row('One').click()
    await reader.app.page.keyboard.press('Delete')
    await reader.app.page.keyboard.press('Alt+ArrowDown')
    await expect.poll(() => a.app.rowTitles()).toEqual(['One', 'Live'])
    await expect.poll(() => reader.app.rowTitles()).toEqual(['One', 'Live'])

    // The owner revokes the edit link: the editor is told and gets nothing more.
    await a.app.page.getByRole('button', { name: 'Share', exact: true }).click()
    const dialog = a.app.page.getByRole('dialog', { name: /^Share/ })
    const edit = dialog.getByRole('region', { name: 'Edit link' })
    await edit.getByRole('button', { name: 'Revoke', exact: true }).click()
    await edit.getByRole('group').getByRole('button', { name: 'Revoke', exact: true }).click()
    await expect(edit.getByRole('button', { name: 'Create edit link' })).toBeVisible()
    await dialog.getByRole('button', { name: 'Done' }).click()
    await expect(editor.app.page.getByText(/not valid|revoked/i).first()).toBeVisible({
      timeout: 30_000,
    })
    await a.app.addTrack({ title: 'After revoke' })
    await expect(reader.app.row('After revoke')).toBeVisible({ timeout: 15_000 })
    await editor.app.page.waitForTimeout(1500)
    await expect(editor.app.row('After revoke')).toHaveCount(0)
  } finally {
    await closeAll([a.context, reader.context, editor.context])
  }
})

test('one node serves every tab of a profile, and another tab takes over when it closes', async ({
  browser,
  baseURL,
}) => {
  const a = await profile(browser, baseURL, 'Ada')
  const b = await profile(browser, baseURL, 'Bo')
  try {
    await a.app.createPlaylist('Tabs')
    await a.app.addTrack({ title: 'One' })
    const link = await makeLink(a.app, 'Edit link')
    // B opens it the way the installed app's protocol handler does (web+whtnxt://).
    const token = new URL(link).hash.slice(1)
    await join(b.app, `/join?link=${encodeURIComponent(`web+whtnxt://join/${token}`)}`, 'Tabs')
    await expect(b.app.row('One')).toBeVisible({ timeout: 30_000 })

    // A second tab of the same profile shows the live state of the first tab's node.
    const second = new LibraryPage(await a.context.newPage())
    await second.open()
    await second.playlistLink('Tabs').click()
    await expect(second.page.getByRole('list', { name: 'People here now' })).toContainText('B', {
      timeout: 15_000,
    })

    // The leading tab closes: the other one starts the node (same identity) and B is back.
    await a.app.page.close()
    await b.app.addTrack({ title: 'After handover' })
    await expect(second.row('After handover')).toBeVisible({ timeout: 30_000 })
    await second.addTrack({ title: 'From the second tab' })
    await expect(b.app.row('From the second tab')).toBeVisible({ timeout: 30_000 })
  } finally {
    await closeAll([a.context, b.context])
  }
})

test('a malformed link gets a clear message and changes nothing', async ({ page }) => {
  const app = new LibraryPage(page)
  await app.open('/join#not-a-token')
  await expect(page.getByText(/Invalid share link/)).toBeVisible()
  await page.keyboard.press('Escape')
  await expect(app.sidebar.getByRole('link')).toHaveCount(0)
})
