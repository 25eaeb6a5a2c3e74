import { spawn, type ChildProcess } from 'node:child_process'
import { appendFile, cp, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { expect, test } from '@playwright/test'
import { LibraryPage } from './support/library-page'

const repo = fileURLToPath(new URL('../..', import.meta.url))

/** Serves a private copy of the build, so this test can publish a "new version" of it. */
async function serveCopy(): Promise<{ url: string; dir: string; stop(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'whatnext-update-'))
  await cp(join(repo, 'apps/web/out'), dir, { recursive: true })
  const child: ChildProcess = spawn(
    process.execPath,
    [join(repo, 'scripts/serve.mjs'), '--port', '0', '--root', dir],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  )
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('server did not start')), 15_000)
    child.stdout!.on('data', (chunk: Buffer) => {
      const match = /http:\/\/localhost:\d+\//.exec(chunk.toString())
      if (match) {
        clearTimeout(timer)
        resolve(match[0])
      }
    })
  })
  return {
    url,
    dir,
    async stop() {
      child.kill()
      await rm(dir, { recursive: true, force: true })
    },
  }
}

test('a new version is offered with a reload prompt, and loads only when the user accepts', async ({
  page,
}) => {
  const server = await serveCopy()
  try {
    const app = new LibraryPage(page)
    await app.open(server.url)
    await expect
      .poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null))
      .toBe(true)
    await app.createPlaylist('Work in progress')

    // Publish a new version: the service worker script changes.
    await appendFile(join(server.dir, 'sw.js'), '\n// a new version\n')
    await page.evaluate(async () => {
      const registration = await navigator.serviceWorker.getRegistration()
      await registration?.update()
    })
    const prompt = page
      .getByRole('status')
      .filter({ hasText: 'A new version of WhatNext is ready' })
    await expect(prompt).toBeVisible({ timeout: 20_000 })
    // Nothing reloads by itself: what is on screen stays.
    await expect(app.playlistLink('Work in progress')).toBeVisible()

    const reloaded = page.waitForEvent('framenavigated')
    await prompt.getByRole('button', { name: 'Reload' }).click()
    await reloaded
    await app.ready()
    await expect(prompt).toBeHidden()
    await expect(app.playlistLink('Work in progress')).toBeVisible()
  } finally {
    await server.stop()
  }
})
