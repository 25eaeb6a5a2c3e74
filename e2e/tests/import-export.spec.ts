import { mkdir, open, readFile } from 'node:fs/promises'
import { dirname } from 'node:path'
import { expect, test } from '@playwright/test'
import { LibraryPage } from './support/library-page'

const m3u = [
  '#EXTM3U',
  '#PLAYLIST:Imported mix',
  '#EXTINF:185,Massive Attack - Teardrop',
  '/music/teardrop.mp3',
  '#EXTINF:260,Portishead - Roads',
  'https://example.test/roads.ogg',
  '#EXTINF:-1,Björk - Jóga',
  'C:\\Music\\joga.flac',
].join('\r\n')

test('an M3U picked in the file chooser becomes a playlist with its tracks', async ({ page }) => {
  const app = new LibraryPage(page)
  await app.open()
  await app.importFiles([
    { name: 'mix.m3u', mimeType: 'audio/x-mpegurl', buffer: Buffer.from(m3u) },
  ])
  await expect(page.getByText(/Imported 3 tracks from mix\.m3u/)).toBeVisible()
  await expect(app.playlistLink('Imported mix')).toBeVisible()
  await expect.poll(() => app.rowTitles()).toEqual(['Teardrop', 'Roads', 'Jóga'])
  await expect(app.row('Teardrop')).toContainText('Massive Attack')
  await expect(app.row('Teardrop')).toContainText('3:05')
})

test('a playlist exports to XSPF with every track', async ({ page }) => {
  const app = new LibraryPage(page)
  await app.open()
  await app.importFiles([
    { name: 'mix.m3u', mimeType: 'audio/x-mpegurl', buffer: Buffer.from(m3u) },
  ])
  await expect.poll(() => app.rowTitles()).toHaveLength(3)
  await page.getByRole('button', { name: /^Export/ }).click()
  const download = page.waitForEvent('download')
  await page.getByRole('menuitem', { name: /XSPF/ }).click()
  const file = await download
  expect(file.suggestedFilename()).toMatch(/\.xspf$/)
  const xml = await readFile((await file.path())!, 'utf8')
  expect(xml).toContain('xmlns="http://xspf.org/ns/0/"')
  expect(xml.match(/<track>/g)).toHaveLength(3)
  expect(xml).toContain('<title>Teardrop</title>')
  expect(xml).toContain('<creator>Massive Attack</creator>')
  expect(xml).toContain('<duration>185000</duration>')
  expect(xml).toContain('Jóga')
})

test('a corrupt file is refused with its name and line, and nothing is imported', async ({
  page,
}) => {
  const app = new LibraryPage(page)
  await app.open()
  const before = await app.sidebar.getByRole('link').count()
  const broken =
    '<?xml version="1.0"?>\n<playlist xmlns="http://xspf.org/ns/0/">\n<trackList>\n<track><title>x</title>\n</trackList>\n'
  await app.importFiles([
    { name: 'broken.xspf', mimeType: 'application/xspf+xml', buffer: Buffer.from(broken) },
  ])
  const alert = page.getByRole('alert').filter({ hasText: 'broken.xspf' })
  await expect(alert).toBeVisible()
  await expect(alert).toContainText(/line \d+/)
  expect(await app.sidebar.getByRole('link').count()).toBe(before)
})

test('an oversized file is refused before it is read into the library', async ({ page }, info) => {
  const app = new LibraryPage(page)
  await app.open()
  // Over 50 MB Playwright needs a path, not a buffer; a sparse file costs no disk.
  const huge = info.outputPath('huge.m3u')
  await mkdir(dirname(huge), { recursive: true })
  const handle = await open(huge, 'w')
  await handle.truncate(51 * 1024 * 1024)
  await handle.close()
  const chooser = page.waitForEvent('filechooser')
  await page.getByRole('button', { name: 'Import', exact: true }).click()
  await (await chooser).setFiles(huge)
  await expect(page.getByRole('alert').filter({ hasText: 'huge.m3u' })).toContainText(/limit/i)
  await expect(app.sidebar.getByRole('link')).toHaveCount(0)
})

test('a 10,000-track playlist stays virtualized and scrolls to its end', async ({ page }) => {
  const app = new LibraryPage(page)
  await app.open()
  const lines = ['#EXTM3U']
  for (let i = 1; i <= 10_000; i++)
    lines.push(`#EXTINF:200,Artist ${i} - Track ${i}`, `/music/${i}.mp3`)
  await app.importFiles([
    { name: 'big.m3u', mimeType: 'audio/x-mpegurl', buffer: Buffer.from(lines.join('\n')) },
  ])
  await expect(page.getByText(/Imported 10,?000 tracks/)).toBeVisible({ timeout: 30_000 })
  await expect(app.row('Track 1')).toBeVisible()
  expect(await app.rows.count()).toBeLessThan(150)
  await app.row('Track 1').click()
  await page.keyboard.press('End')
  await expect(app.row('Track 10000')).toBeVisible()
  expect(await app.rows.count()).toBeLessThan(150)
})
