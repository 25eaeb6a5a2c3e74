import { render, screen, waitFor } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { App } from '../App/App'
import { seedPlaylist, startTestEngine, type TestEngine } from '../test-support/engine'
import { dropTarget, moveAnnouncement, nudgeTarget } from './moves'

let t: TestEngine
beforeEach(async () => {
  t = await startTestEngine()
})
afterEach(() => t.close())

describe('TrackList', () => {
  it('keeps a 10,000-track playlist virtualized while the keyboard travels to its end', async () => {
    await seedPlaylist(t.engine, 'Huge', 10_000)
    const user = userEvent.setup()
    render(<App client={t.client} settings={t.settings} />)
    const first = await screen.findByRole('row', { name: 'Track 1' })
    const grid = screen.getByRole('grid', { name: 'Tracks' })
    expect(grid.getAttribute('aria-rowcount')).toBe('10001')
    expect(screen.getAllByTestId('track-row').length).toBeLessThan(60)
    await user.click(first)
    await user.keyboard('{End}')
    const last = await screen.findByRole('row', { name: 'Track 10000' })
    expect(last.getAttribute('aria-rowindex')).toBe('10001')
    await waitFor(() => expect(document.activeElement).toBe(last))
    expect(screen.queryByRole('row', { name: 'Track 1' })).toBeNull()
    expect(screen.getAllByTestId('track-row').length).toBeLessThan(60)
    // Exactly one row is the grid's tab stop.
    expect(screen.getAllByTestId('track-row').filter((r) => r.tabIndex === 0)).toHaveLength(1)
  })

  it('names each drag handle after its track', async () => {
    await seedPlaylist(t.engine, 'Handles', [{ title: 'Teardrop' }])
    render(<App client={t.client} settings={t.settings} />)
    expect(await screen.findByRole('button', { name: 'Drag to reorder Teardrop' })).toBeTruthy()
  })
})

describe('reorder arithmetic', () => {
  const ids = ['a', 'b', 'c', 'd', 'e']
  const indexOf = new Map(ids.map((id, i) => [id, i]))

  it('nudges a block one place and stops at the edges', () => {
    expect(nudgeTarget(indexOf, 5, ['b', 'c'], -1)).toBe(0)
    expect(nudgeTarget(indexOf, 5, ['b', 'c'], 1)).toBe(2)
    expect(nudgeTarget(indexOf, 5, ['a'], -1)).toBeNull()
    expect(nudgeTarget(indexOf, 5, ['d', 'e'], 1)).toBeNull()
  })

  it('gathers a scattered selection when nudged', () => {
    expect(nudgeTarget(indexOf, 5, ['a', 'c'], -1)).toBe(0)
    expect(nudgeTarget(indexOf, 5, ['b', 'e'], 1)).toBe(2)
  })

  it('drops before or after the row under the pointer, in the list without the moved rows', () => {
    expect(dropTarget(ids, new Set(['e']), 'a', false)).toBe(0)
    expect(dropTarget(ids, new Set(['a', 'b']), 'd', true)).toBe(2)
    expect(dropTarget(ids, new Set(['a']), 'a', true)).toBeNull()
  })

  it('announces single and multiple moves', () => {
    expect(moveAnnouncement('X', 1, 2, 10)).toBe('Moved ‘X’ to position 3 of 10')
    expect(moveAnnouncement('X', 3, 0, 10)).toBe('Moved 3 tracks to positions 1–3 of 10')
  })
})
