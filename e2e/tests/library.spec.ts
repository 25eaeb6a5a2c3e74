import { expect, test, type Page } from '@playwright/test'
import { LibraryPage } from './support/library-page'

test('a playlist is created, filled, reordered by keyboard and drag, undone, and survives a reload', async ({
  page,
}) => {
  const app = new LibraryPage(page)
  await app.open()
  await app.createPlaylist('Road trip')
  await app.addTrack({ title: 'First', artists: 'Alpha', duration: '3:05' })
  await app.addTrack({ title: 'Second', artists: 'Beta' })
  await app.addTrack({ title: 'Third', artists: 'Gamma' })
  expect(await app.rowTitles()).toEqual(['First', 'Second', 'Third'])
  await expect(app.row('First')).toContainText('3:05')

  // Keyboard: focus "First", Alt+Down twice → last.
  await app.row('First').click()
  await page.keyboard.press('Alt+ArrowDown')
  await expect.poll(() => app.rowTitles()).toEqual(['Second', 'First', 'Third'])
  await page.keyboard.press('Alt+ArrowDown')
  await expect.poll(() => app.rowTitles()).toEqual(['Second', 'Third', 'First'])
  await expect(app.row('First')).toBeFocused()

  // Drag "First" by its handle onto "Second" → back to the top.
  await dragRow(page, 'First', 'Second')
  await expect.poll(() => app.rowTitles()).toEqual(['First', 'Second', 'Third'])

  // Undo the drag → back where the keyboard put it.
  await page.keyboard.press('Control+z')
  await expect.poll(() => app.rowTitles()).toEqual(['Second', 'Third', 'First'])

  await page.reload()
  await app.ready()
  await app.playlistLink('Road trip').click()
  await expect.poll(() => app.rowTitles()).toEqual(['Second', 'Third', 'First'])
  await expect(app.row('First')).toContainText('Alpha')
})

test('invalid field values are refused with a field message and change nothing', async ({
  page,
}) => {
  const app = new LibraryPage(page)
  await app.open()
  await app.createPlaylist('Strict')
  await page.getByRole('button', { name: 'Add track' }).click()
  const dialog = page.getByRole('dialog')
  await dialog.getByLabel('Title').fill('Bad duration')
  await dialog.getByLabel('Duration').fill('banana')
  await dialog.getByRole('button', { name: /^(Add|Save)/ }).click()
  await expect(dialog).toBeVisible()
  await expect(
    dialog
      .getByText(/duration/i)
      .filter({ hasNot: page.getByRole('textbox') })
      .first(),
  ).toBeVisible()
  await page.keyboard.press('Escape')
  await expect(app.rows).toHaveCount(0)
})

test('search finds tracks across the whole library as you type', async ({ page }) => {
  const app = new LibraryPage(page)
  await app.open()
  await app.createPlaylist('One')
  await app.addTrack({ title: 'Jóga', artists: 'Björk' })
  await app.createPlaylist('Two')
  await app.addTrack({ title: 'Hyperballad', artists: 'Bjork', album: 'Post' })
  await app.addTrack({ title: 'Unrelated', artists: 'Someone' })
  const search = page.getByRole('searchbox')
  await search.fill('bjork')
  const results = page.getByRole('listbox', { name: /search results/i })
  await expect(results.getByRole('option')).toHaveCount(2)
  await expect(results).toContainText('Jóga')
  await expect(results).toContainText('Hyperballad')
  await search.fill('post')
  await expect(results.getByRole('option')).toHaveCount(1)
})

test('the command palette runs an action', async ({ page }) => {
  const app = new LibraryPage(page)
  await app.open()
  const before = await app.sidebar.getByRole('link').count()
  await app.palette('New playlist')
  const nameField = page.getByRole('textbox', { name: 'Playlist name' })
  await expect(nameField).toBeVisible()
  await nameField.fill('From the palette')
  await nameField.press('Enter')
  await expect(app.playlistLink('From the palette')).toBeVisible()
  expect(await app.sidebar.getByRole('link').count()).toBe(before + 1)
})

async function dragRow(page: Page, from: string, onto: string) {
  const handle = page.getByRole('button', { name: `Drag to reorder ${from}` })
  const target = page.getByRole('row', { name: onto, exact: true })
  const a = (await handle.boundingBox())!
  const b = (await target.boundingBox())!
  await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2)
  await page.mouse.down()
  // dnd-kit starts after a small movement; move in steps so it sees a drag.
  await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2 + 8, { steps: 4 })
  await page.mouse.move(b.x + a.width / 2, b.y + 4, { steps: 12 })
  await page.mouse.up()
}
