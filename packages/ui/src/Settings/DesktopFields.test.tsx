// Settings → Desktop app: the library folder (chosen with the native dialog) and the
// update channel. Browsers get no such section.
import { render, screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { App } from '../App/App'
import { startTestEngine, type TestEngine } from '../test-support/engine'

let t: TestEngine
beforeEach(async () => {
  t = await startTestEngine()
})
afterEach(() => t.close())

async function openSettings(desktop?: Parameters<typeof App>[0]['desktop']) {
  const user = userEvent.setup()
  render(<App client={t.client} settings={t.settings} {...(desktop ? { desktop } : {})} />)
  await user.click(await screen.findByRole('button', { name: 'Settings' }))
  return { user, dialog: await screen.findByRole('dialog', { name: 'Settings' }) }
}

describe('desktop settings', () => {
  it('shows the library folder, lets the user choose another, and keeps the update channel', async () => {
    const choose = vi.fn(async () => '/data/Music/WhatNext')
    const { user, dialog } = await openSettings({
      libraryFolder: async () => '/home/ana/Documents/WhatNext',
      chooseLibraryFolder: choose,
    })
    const group = within(dialog).getByRole('group', { name: 'Desktop app' })
    expect(await within(group).findByText('/home/ana/Documents/WhatNext')).toBeTruthy()
    await user.click(within(group).getByRole('button', { name: 'Choose…' }))
    expect(choose).toHaveBeenCalledOnce()
    expect(await within(group).findByText('/data/Music/WhatNext')).toBeTruthy()

    expect(t.settings.get('desktop.updateChannel')).toBe('stable')
    await user.selectOptions(within(group).getByLabelText('Updates'), 'beta')
    await waitFor(() => expect(t.settings.get('desktop.updateChannel')).toBe('beta'))
  })

  it('keeps the folder when the dialog is cancelled, and says why when it fails', async () => {
    const { user, dialog } = await openSettings({
      libraryFolder: async () => '/home/ana/WhatNext',
      chooseLibraryFolder: vi
        .fn<() => Promise<string | null>>()
        .mockResolvedValueOnce(null)
        .mockRejectedValueOnce(new Error('The folder cannot be written')),
    })
    const group = within(dialog).getByRole('group', { name: 'Desktop app' })
    await within(group).findByText('/home/ana/WhatNext')
    await user.click(within(group).getByRole('button', { name: 'Choose…' }))
    expect(await within(group).findByText('/home/ana/WhatNext')).toBeTruthy()
    await user.click(within(group).getByRole('button', { name: 'Choose…' }))
    expect((await within(dialog).findByRole('alert')).textContent).toContain(
      'The folder cannot be written',
    )
  })

  it('has no desktop section in a browser', async () => {
    const { dialog } = await openSettings()
    expect(within(dialog).queryByRole('group', { name: 'Desktop app' })).toBeNull()
  })
})
