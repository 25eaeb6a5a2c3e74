// Settings → Network → STUN and TURN servers: checked by the settings schema, field by field.
import { render, screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { App } from '../App/App'
import { startTestEngine, type TestEngine } from '../test-support/engine'

let t: TestEngine
beforeEach(async () => {
  t = await startTestEngine()
})
afterEach(() => t.close())

async function openEditor() {
  const user = userEvent.setup()
  render(<App client={t.client} settings={t.settings} />)
  await user.click(await screen.findByRole('button', { name: 'Settings' }))
  const dialog = await screen.findByRole('dialog', { name: 'Settings' })
  const group = within(dialog).getByRole('group', { name: 'STUN and TURN servers' })
  return { user, group }
}

describe('STUN and TURN servers', () => {
  it('refuses a URL that is not stun: or turn:, beside the field, and saves nothing', async () => {
    const { user, group } = await openEditor()
    const url = within(group).getByLabelText('Server URL')
    await user.type(url, 'https://stun.example.org')
    await user.click(within(group).getByRole('button', { name: 'Add server' }))
    expect(url.getAttribute('aria-invalid')).toBe('true')
    expect(within(group).getByRole('alert').textContent).toBe(
      'a stun:, stuns:, turn: or turns: URL',
    )
    expect(url.getAttribute('aria-describedby')).toBe(within(group).getByRole('alert').id)
    expect(t.settings.get('network.iceServers')).toEqual([])
    // Typing again clears the complaint.
    await user.type(url, 'x')
    expect(within(group).queryByRole('alert')).toBeNull()
  })

  it('asks a TURN server for its credentials, then adds and removes servers', async () => {
    const { user, group } = await openEditor()
    await user.type(within(group).getByLabelText('Server URL'), 'turn:turn.example.org:3478')
    await user.click(within(group).getByRole('button', { name: 'Add server' }))
    expect(within(group).getByLabelText('Username (TURN)').getAttribute('aria-invalid')).toBe(
      'true',
    )
    expect(within(group).getByRole('alert').textContent).toMatch(/needs a username/)
    await user.type(within(group).getByLabelText('Username (TURN)'), 'ana')
    await user.type(within(group).getByLabelText('Credential (TURN)'), 's3cret')
    await user.click(within(group).getByRole('button', { name: 'Add server' }))
    await waitFor(() =>
      expect(t.settings.get('network.iceServers')).toEqual([
        { urls: 'turn:turn.example.org:3478', username: 'ana', credential: 's3cret' },
      ]),
    )
    const list = within(group).getByRole('list', { name: 'STUN and TURN servers' })
    expect(list.textContent).toContain('turn:turn.example.org:3478')
    expect(list.textContent).toContain('credential saved')
    expect(list.textContent).not.toContain('s3cret')
    expect((within(group).getByLabelText('Server URL') as HTMLInputElement).value).toBe('')

    await user.type(within(group).getByLabelText('Server URL'), 'stun:stun.example.org{Enter}')
    await waitFor(() => expect(t.settings.get('network.iceServers')).toHaveLength(2))
    await user.type(within(group).getByLabelText('Server URL'), 'stun:stun.example.org{Enter}')
    expect(within(group).getByRole('alert').textContent).toBe('This server is already in the list')

    await user.click(
      within(group).getByRole('button', { name: 'Remove turn:turn.example.org:3478' }),
    )
    await waitFor(() =>
      expect(t.settings.get('network.iceServers')).toEqual([{ urls: 'stun:stun.example.org' }]),
    )
  })
})
