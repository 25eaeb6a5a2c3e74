import { expect, type Locator, type Page } from '@playwright/test'

/** Page model of the library screen: every spec drives the app through this. */
export class LibraryPage {
  constructor(readonly page: Page) {}

  /** Opens the app and waits until the engine has answered. */
  async open(path = '/') {
    await this.page.goto(path)
    await this.ready()
  }

  async ready() {
    await expect(this.newPlaylistButton).toBeEnabled()
  }

  get newPlaylistButton(): Locator {
    return this.page.getByRole('button', { name: 'New playlist', exact: true })
  }

  get sidebar(): Locator {
    return this.page.getByRole('navigation')
  }

  playlistLink(name: string): Locator {
    return this.sidebar.getByRole('link', { name: new RegExp(escape(name)) })
  }

  /** Rows of the open playlist, in display order. */
  get rows(): Locator {
    return this.page.getByRole('row').filter({ has: this.page.getByRole('gridcell') })
  }

  row(title: string): Locator {
    return this.page.getByRole('row', { name: title, exact: true })
  }

  async rowTitles(): Promise<string[]> {
    return this.rows.evaluateAll((rows) => rows.map((r) => r.getAttribute('aria-label') ?? ''))
  }

  async createPlaylist(name: string) {
    await this.newPlaylistButton.click()
    const nameField = this.page.getByRole('textbox', { name: 'Playlist name' })
    await expect(nameField).toBeVisible()
    await nameField.fill(name)
    await nameField.press('Enter')
    await expect(this.playlistLink(name)).toBeVisible()
  }

  async addTrack(fields: { title: string; artists?: string; album?: string; duration?: string }) {
    await this.page.getByRole('button', { name: 'Add track' }).click()
    const dialog = this.page.getByRole('dialog')
    await dialog.getByLabel('Title').fill(fields.title)
    if (fields.artists) await dialog.getByLabel('Artists').fill(fields.artists)
    if (fields.album) await dialog.getByLabel('Album').fill(fields.album)
    if (fields.duration) await dialog.getByLabel('Duration').fill(fields.duration)
    await dialog.getByRole('button', { name: /^(Add|Save)/ }).click()
    await expect(dialog).toBeHidden()
    await expect(this.row(fields.title)).toBeVisible()
  }

  async importFiles(files: { name: string; mimeType: string; buffer: Buffer }[]) {
    const chooser = this.page.waitForEvent('filechooser')
    await this.page.getByRole('button', { name: 'Import', exact: true }).click()
    await (await chooser).setFiles(files)
  }

  async palette(command: string) {
    await this.page.keyboard.press('Control+k')
    const input = this.page.getByRole('combobox')
    await expect(input).toBeVisible()
    await input.fill(command)
    await input.press('Enter')
  }
}

function escape(text: string) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}
