import { ValidationError, type TrackFields } from '@whatnext/core/client'
import { render, screen, waitFor } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { describe, expect, it, vi } from 'vitest'
import { issuesToFields } from './field-errors'
import { TrackEditor } from './TrackEditor'

describe('TrackEditor', () => {
  it('sends parsed fields: comma lists become arrays and m:ss becomes milliseconds', async () => {
    const onSave = vi.fn(async (_fields: TrackFields) => {})
    const onClose = vi.fn()
    const user = userEvent.setup()
    render(<TrackEditor onSave={onSave} onClose={onClose} />)
    await user.type(screen.getByLabelText('Title'), 'Roads')
    await user.type(screen.getByLabelText('Artists'), 'Portishead,  Beth Gibbons ,')
    await user.type(screen.getByLabelText('Duration'), '1:05:00')
    await user.type(screen.getByLabelText('Tags'), 'trip-hop, trip-hop, 90s')
    await user.click(screen.getByRole('button', { name: 'Add' }))
    await waitFor(() => expect(onClose).toHaveBeenCalled())
    expect(onSave.mock.calls[0]![0]).toMatchObject({
      title: 'Roads',
      artists: ['Portishead', 'Beth Gibbons'],
      durationMs: 3_900_000,
      tags: ['trip-hop', '90s'],
    })
  })

  it('asks for a title or a source before sending anything', async () => {
    const onSave = vi.fn(async () => {})
    const user = userEvent.setup()
    render(<TrackEditor onSave={onSave} onClose={() => {}} />)
    await user.click(screen.getByRole('button', { name: 'Add' }))
    expect(screen.getByText('A track needs a title or a source')).toBeTruthy()
    expect(screen.getByLabelText('Title').getAttribute('aria-invalid')).toBe('true')
    expect(onSave).not.toHaveBeenCalled()
  })

  it('shows the engine’s field errors beside their fields and stays open', async () => {
    const onSave = vi.fn(async () => {
      throw new ValidationError('Invalid request', [
        { path: 'tracks.0.album', message: 'Album is not allowed here' },
      ])
    })
    const onClose = vi.fn()
    const user = userEvent.setup()
    render(<TrackEditor onSave={onSave} onClose={onClose} />)
    await user.type(screen.getByLabelText('Title'), 'X')
    await user.click(screen.getByRole('button', { name: 'Add' }))
    expect(await screen.findByText('Album is not allowed here')).toBeTruthy()
    expect(screen.getByLabelText('Album').getAttribute('aria-invalid')).toBe('true')
    expect(onClose).not.toHaveBeenCalled()
  })

  it('closes on Escape without saving', async () => {
    const onSave = vi.fn(async () => {})
    const onClose = vi.fn()
    const user = userEvent.setup()
    render(<TrackEditor onSave={onSave} onClose={onClose} />)
    await user.type(screen.getByLabelText('Title'), 'X{Escape}')
    expect(onClose).toHaveBeenCalled()
    expect(onSave).not.toHaveBeenCalled()
  })
})

describe('issuesToFields', () => {
  it('maps request paths to the field they name, and the rest to the form', () => {
    expect(
      issuesToFields([
        { path: 'patch.title', message: 'a' },
        { path: 'tracks.0.durationMs', message: 'b' },
        { path: 'tracks.0.artists.2', message: 'c' },
        { path: 'playlistId', message: 'd' },
      ]),
    ).toEqual({ title: 'a', durationMs: 'b', artists: 'c', form: 'd' })
  })
})
