import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium, expect, test } from '@playwright/test'
import { chromiumFlags, chromiumPath } from '../../scripts/chromium-flags.mjs'

test('the app is installable, with icons, standalone display and file handlers', async ({
  baseURL,
}) => {
  // Installability needs a persistent profile (a normal context reports "in-incognito").
  const dir = await mkdtemp(join(tmpdir(), 'whatnext-pwa-'))
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: chromiumPath,
    args: chromiumFlags,
    headless: true,
  })
  try {
    const page = await context.newPage()
    await page.goto(baseURL!)
    await expect(page.getByRole('button', { name: 'New playlist', exact: true })).toBeEnabled()
    await page.evaluate(() => navigator.serviceWorker.ready.then(() => true))
    const cdp = await context.newCDPSession(page)
    const { installabilityErrors } = (await cdp.send('Page.getInstallabilityErrors')) as {
      installabilityErrors: unknown[]
    }
    expect(installabilityErrors).toEqual([])

    const manifest = (await (await page.request.get(`${baseURL}/manifest.webmanifest`)).json()) as {
      display: string
      icons: { sizes: string; purpose?: string }[]
      file_handlers: { accept: Record<string, string[]> }[]
      protocol_handlers: { protocol: string; url: string }[]
    }
    expect(manifest.display).toBe('standalone')
    expect(manifest.icons.map((i) => i.sizes)).toEqual(
      expect.arrayContaining(['192x192', '512x512']),
    )
    expect(manifest.icons.some((i) => i.purpose === 'maskable')).toBe(true)
    const extensions = Object.values(manifest.file_handlers[0]!.accept).flat()
    expect(extensions).toEqual(expect.arrayContaining(['.m3u', '.m3u8', '.xspf', '.jspf']))
    // Share links in their web+whtnxt:// form open the installed app's join page.
    expect(manifest.protocol_handlers).toEqual([{ protocol: 'web+whtnxt', url: '/join?link=%s' }])
  } finally {
    await context.close()
    await rm(dir, { recursive: true, force: true })
  }
})

test('the theme follows the system colour scheme', async ({ browser, baseURL }) => {
  for (const colorScheme of ['light', 'dark'] as const) {
    const context = await browser.newContext({ colorScheme })
    const page = await context.newPage()
    await page.goto(baseURL!)
    await expect(page.getByRole('button', { name: 'New playlist', exact: true })).toBeEnabled()
    const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor)
    const [r = 0, g = 0, b = 0] = background.match(/\d+/g)!.map(Number)
    const luminance = (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255
    if (colorScheme === 'dark') expect(luminance).toBeLessThan(0.3)
    else expect(luminance).toBeGreaterThan(0.7)
    await context.close()
  }
})
