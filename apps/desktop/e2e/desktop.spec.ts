/**
 * The packaged-shape app in a real Electron: launch, open a playlist, follow a
 * `whtnxt://` link, survive an engine crash. Needs `ELECTRON_PATH` (Electron cannot be
 * downloaded on every machine); without it every test is skipped, saying why — never
 * counted as passed.
 */
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import {
  _electron as electron,
  expect,
  test,
  type ElectronApplication,
  type Page,
} from '@playwright/test'

const electronPath = process.env.ELECTRON_PATH
const main = fileURLToPath(new URL('../dist/main.cjs', import.meta.url))

test.skip(
  !electronPath,
  'ELECTRON_PATH is not set: no Electron binary on this machine (its download is not reachable here)',
)

let app: ElectronApplication
let window: Page

test.beforeEach(async () => {
  const userData = mkdtempSync(join(tmpdir(), 'whatnext-e2e-'))
  app = await electron.launch({
    executablePath: electronPath!,
    args: [main, `--user-data-dir=${userData}`],
    env: { ...process.env, WHATNEXT_UPDATE_FEED: 'http://127.0.0.1:9/none' },
  })
  window = await app.firstWindow()
  await expect(window.getByRole('button', { name: 'New playlist', exact: true })).toBeEnabled()
})

test.afterEach(async () => {
  await app?.close()
})

test('loads the web app over app:// with the desktop bridge and no Node in the page', async () => {
  expect(window.url()).toMatch(/^app:\/\/whatnext\//)
  expect(
    await window.evaluate(() => typeof (window as { whatnextDesktop?: unknown }).whatnextDesktop),
  ).toBe('object')
  expect(await window.evaluate(() => typeof (globalThis as { require?: unknown }).require)).toBe(
    'undefined',
  )
  expect(await window.evaluate(() => typeof (globalThis as { process?: unknown }).process)).toBe(
    'undefined',
  )
})

test('creates and opens a playlist', async () => {
  await window.getByRole('button', { name: 'New playlist', exact: true }).click()
  const name = window.getByRole('textbox', { name: 'Playlist name' })
  await name.fill('Desk mix')
  await name.press('Enter')
  await window
    .getByRole('navigation')
    .getByRole('link', { name: /Desk mix/ })
    .click()
  await expect(window.getByRole('heading', { name: 'Desk mix' })).toBeVisible()
})

test('follows a whtnxt:// link to the join flow', async () => {
  const received = window.evaluate(
    () =>
      new Promise((resolve) =>
        (
          window as unknown as { whatnextDesktop: { onDeepLink(l: (link: unknown) => void): void } }
        ).whatnextDesktop.onDeepLink(resolve),
      ),
  )
  await app.evaluate(({ app: electronApp }) => {
    electronApp.emit('open-url', { preventDefault() {} }, 'whtnxt://join/e2e-token')
  })
  expect(await received).toEqual({ kind: 'join', token: 'e2e-token' })
})
