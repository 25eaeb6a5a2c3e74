import {
  createLogRing,
  createPerformanceMonitor,
  systemClock,
  type DiagnosticsBundle,
} from '@whatnext/core/client'
import { act, render, screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { App } from '../App/App'
import { seedPlaylist, startTestEngine, type TestEngine } from '../test-support/engine'
import type { DiagnosticsSource } from './DiagnosticsView'

let t: TestEngine
let source: DiagnosticsSource
beforeEach(async () => {
  t = await startTestEngine()
  const clock = systemClock(globalThis)
  const ring = createLogRing({ clock })
  source = {
    ring,
    monitor: createPerformanceMonitor({
      clock,
      heap: { read: () => ({ usedBytes: 42 * 1024 * 1024, limitBytes: 1024 * 1024 * 1024 }) },
    }),
    app: { name: 'WhatNext', version: 'test' },
  }
  source.monitor.sample()
})
afterEach(async () => {
  vi.restoreAllMocks()
  source.monitor.dispose()
  await t.close()
})

async function openDiagnostics() {
  const user = userEvent.setup()
  render(<App client={t.client} settings={t.settings} diagnostics={source} />)
  await screen.findByRole('button', { name: 'New playlist' })
  await user.keyboard('{Control>}k{/Control}')
  await user.type(await screen.findByRole('combobox'), 'Open diagnostics{Enter}')
  return { user, dialog: await screen.findByRole('dialog', { name: 'Diagnostics' }) }
}

describe('DiagnosticsView', () => {
  it('shows live per-channel figures of the page and the engine, and the shared log', async () => {
    await seedPlaylist(t.engine, 'Secret mixtape', 3)
    const { dialog } = await openDiagnostics()
    const page = await within(dialog).findByRole('table', {
      name: 'Requests and events from this page',
    })
    await within(page).findByText('library/list')
    expect(within(dialog).getByText('Page heap').nextSibling?.textContent).toMatch(/^42\.0 MB/)
    // Traffic made while the view is open shows up on the next refresh.
    await act(() => t.client.request('playlist/create', { name: 'Fresh' }))
    await within(page).findByText('playlist/create', {}, { timeout: 3000 })
    const engine = within(dialog).getByRole('table', { name: 'Handled by the engine' })
    await within(engine).findByText('playlist/create', {}, { timeout: 3000 })
    source.ring.logger('page').warn('something to look at', { channel: 'x/y' })
    await within(dialog).findByText(/something to look at/, {}, { timeout: 3000 })
  })

  it('exports a bundle with figures and logs but no playlist names', async () => {
    await seedPlaylist(t.engine, 'Secret mixtape', 3)
    source.ring.logger('engine').info('opened playlist', { name: 'Secret mixtape' })
    let saved = ''
    vi.spyOn(URL, 'createObjectURL').mockImplementation((blob) => {
      void (blob as Blob).text().then((text) => (saved = text))
      return 'blob:test'
    })
    vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => undefined)
    const { user, dialog } = await openDiagnostics()
    await within(dialog).findByRole('table', { name: 'Handled by the engine' })
    await user.click(within(dialog).getByRole('button', { name: 'Export diagnostics' }))
    await waitFor(() => expect(saved).not.toBe(''))
    const bundle = JSON.parse(saved) as DiagnosticsBundle
    expect(bundle.format).toBe('whatnext-diagnostics')
    expect(bundle.metrics.map((m) => m.endpoint)).toEqual(['ui', 'engine'])
    expect(bundle.logs.some((l) => l.message === 'opened playlist')).toBe(true)
    expect(saved).not.toContain('Secret mixtape')
  })
})
