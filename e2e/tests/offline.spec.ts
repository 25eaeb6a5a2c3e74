import { expect, test } from '@playwright/test'
import { LibraryPage } from './support/library-page'

test('after the first visit the app works offline and edits persist', async ({ page, context }) => {
  const app = new LibraryPage(page)
  await app.open()
  // The service worker precaches the whole app on first visit.
  await page.evaluate(async () => {
    const registration = await navigator.serviceWorker.ready
    return registration.active?.state
  })
  await expect
    .poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null))
    .toBe(true)

  await context.setOffline(true)
  await page.reload()
  await app.ready()
  await app.createPlaylist('Made offline')
  await app.addTrack({ title: 'Offline track' })
  // Importing works offline too: the parse worker comes from the service worker's cache.
  await app.importFiles([
    {
      name: 'offline.m3u',
      mimeType: 'audio/x-mpegurl',
      buffer: Buffer.from('#EXTM3U\n#EXTINF:60,Artist - Imported offline\n/m/a.mp3\n'),
    },
  ])
  await expect(app.playlistLink('offline')).toBeVisible()
  await expect(app.row('Imported offline')).toBeVisible()

  await page.reload()
  await app.ready()
  await app.playlistLink('Made offline').click()
  await expect(app.row('Offline track')).toBeVisible()
  await context.setOffline(false)
})
