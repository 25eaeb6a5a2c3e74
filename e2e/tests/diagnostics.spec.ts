import { readFile } from 'node:fs/promises'
import { expect, test, type Locator } from '@playwright/test'
import { LibraryPage } from './support/library-page'

/** The Count cell of `channel`'s row in a diagnostics table, as a number. */
async function countOf(table: Locator, channel: string): Promise<number> {
  const row = table
    .getByRole('row')
    .filter({ has: table.page().getByText(channel, { exact: true }) })
  if ((await row.count()) === 0) return 0
  const text = await row.getByRole('cell').first().textContent()
  return Number((text ?? '0').replace(/,/g, ''))
}

test('the diagnostics view shows live figures while the app is used, and exports them without user data', async ({
  context,
}) => {
  const one = new LibraryPage(await context.newPage())
  await one.open()
  await one.createPlaylist('Kitchen radio')
  await one.addTrack({ title: 'Teardrop', artists: 'Massive Attack' })
  await one.addTrack({ title: 'Roads', artists: 'Portishead' })

  await one.palette('Open diagnostics')
  const dialog = one.page.getByRole('dialog', { name: 'Diagnostics' })
  const fromPage = dialog.getByRole('table', { name: 'Requests and events from this page' })
  await expect.poll(() => countOf(fromPage, 'playlist/addTracks')).toBe(2)
  await expect(dialog.getByRole('table', { name: 'Handled by the engine' })).toContainText(
    'playlist/addTracks',
  )
  await expect(dialog.getByText('Page heap').locator('..')).toContainText(/MB/)
  const reads = await countOf(fromPage, 'playlist/get')

  // Another tab edits the playlist: this tab re-reads it, and the open view counts it.
  const two = new LibraryPage(await context.newPage())
  await two.open()
  await two.playlistLink('Kitchen radio').click()
  await two.addTrack({ title: 'Jóga', artists: 'Björk' })
  await expect
    .poll(() => countOf(fromPage, 'playlist/get'), { timeout: 5000 })
    .toBeGreaterThan(reads)

  const download = one.page.waitForEvent('download')
  await dialog.getByRole('button', { name: 'Export diagnostics' }).click()
  const file = await (await download).path()
  const text = await readFile(file, 'utf8')
  const bundle = JSON.parse(text) as {
    format: string
    metrics: { endpoint: string }[]
    logs: unknown[]
  }
  expect(bundle.format).toBe('whatnext-diagnostics')
  expect(bundle.metrics.map((m) => m.endpoint)).toEqual(['page', 'engine'])
  for (const userData of ['Kitchen radio', 'Teardrop', 'Massive Attack', 'Björk'])
    expect(text).not.toContain(userData)
})
