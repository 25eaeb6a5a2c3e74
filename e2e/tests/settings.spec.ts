import { expect, test } from '@playwright/test'
import { LibraryPage } from './support/library-page'

test('a theme change in one tab shows in the other, and the History panel rolls it back', async ({
  context,
}) => {
  const one = new LibraryPage(await context.newPage())
  await one.open()
  const two = new LibraryPage(await context.newPage())
  await two.open()
  const themeOf = (app: LibraryPage) =>
    app.page.evaluate(() => document.documentElement.dataset.theme)
  await expect.poll(() => themeOf(two)).toBe('light')

  await one.page.getByRole('button', { name: 'Settings', exact: true }).click()
  const dialog = one.page.getByRole('dialog', { name: 'Settings' })
  await dialog.getByRole('radio', { name: 'Dark' }).check()
  await expect.poll(() => themeOf(one)).toBe('dark')
  // The other tab follows without a reload.
  await expect.poll(() => themeOf(two), { timeout: 2000 }).toBe('dark')
  await expect(two.page.getByRole('button', { name: 'Theme: dark' })).toBeVisible()

  const history = dialog.getByRole('list', { name: 'Settings history' })
  await expect(history).toContainText('theme: system → dark')
  await history
    .getByRole('button', { name: /Restore the settings from before/ })
    .first()
    .click()
  await expect(dialog.getByRole('radio', { name: 'Follow the system' })).toBeChecked()
  await expect.poll(() => themeOf(one)).toBe('light')
  await expect.poll(() => themeOf(two), { timeout: 2000 }).toBe('light')
  // The rollback is itself in the history.
  await expect(history).toContainText('theme: dark → system')
})

test('settings refuse invalid values with a reason, and keep valid ones across a reload', async ({
  page,
}) => {
  const app = new LibraryPage(page)
  await app.open()
  await page.getByRole('button', { name: 'Settings', exact: true }).click()
  const dialog = page.getByRole('dialog', { name: 'Settings' })

  const relays = dialog.getByLabel('Relay addresses')
  await relays.fill('not a multiaddr')
  await dialog.getByLabel('Display name').focus()
  await expect(dialog.getByRole('alert')).toContainText(/multiaddr/)
  await expect(relays).toHaveAttribute('aria-invalid', 'true')

  const name = dialog.getByLabel('Display name')
  await name.fill('Ana')
  await name.press('Enter')
  await expect(dialog.getByRole('list', { name: 'Settings history' })).toContainText('Ana')
  // The refused relay list changed nothing.
  await expect(dialog.getByRole('list', { name: 'Settings history' })).not.toContainText(
    'network.relayAddresses',
  )

  await page.reload()
  await app.ready()
  await page.getByRole('button', { name: 'Settings', exact: true }).click()
  await expect(
    page.getByRole('dialog', { name: 'Settings' }).getByLabel('Display name'),
  ).toHaveValue('Ana')
})
