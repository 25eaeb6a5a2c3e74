import { expect, test } from '@playwright/test'
import { LibraryPage } from './support/library-page'

test('an edit in one tab shows in the other without a reload, and neither overwrites the other', async ({
  context,
}) => {
  const one = new LibraryPage(await context.newPage())
  await one.open()
  await one.createPlaylist('Shared')
  const two = new LibraryPage(await context.newPage())
  await two.open()
  await two.playlistLink('Shared').click()

  await one.addTrack({ title: 'From tab one' })
  await expect(two.row('From tab one')).toBeVisible()

  await two.addTrack({ title: 'From tab two' })
  await expect(one.row('From tab two')).toBeVisible()

  // Both tabs end with the same two tracks in the same order.
  await expect.poll(() => one.rowTitles()).toEqual(['From tab one', 'From tab two'])
  await expect.poll(() => two.rowTitles()).toEqual(['From tab one', 'From tab two'])

  // Edits made at the same moment in both tabs both survive, in the same order everywhere.
  await Promise.all([
    one.addTrack({ title: 'Together one' }),
    two.addTrack({ title: 'Together two' }),
  ])
  await expect.poll(async () => (await one.rowTitles()).length).toBe(4)
  const merged = await one.rowTitles()
  expect(merged.slice(0, 2)).toEqual(['From tab one', 'From tab two'])
  expect([...merged.slice(2)].sort()).toEqual(['Together one', 'Together two'])
  await expect.poll(() => two.rowTitles()).toEqual(merged)

  // A reload of either tab reads the same from IndexedDB.
  await two.page.reload()
  await two.ready()
  await two.playlistLink('Shared').click()
  await expect.poll(() => two.rowTitles()).toEqual(merged)
})
