import { describe, expect, it } from 'vitest'
import { buildMenu, type MenuItem } from './menu.ts'

const actions = { newWindow() {}, importPlaylists() {}, checkForUpdates() {}, openHelp() {} }
const roles = (items: MenuItem[]): string[] =>
  items.flatMap((i) => [...(i.role ? [i.role] : []), ...roles(i.submenu ?? [])])

describe('application menu', () => {
  it('has the usual edit shortcuts (by role) on every platform', () => {
    for (const platform of ['darwin', 'win32', 'linux'])
      expect(roles(buildMenu(platform, 'WhatNext', actions))).toEqual(
        expect.arrayContaining([
          'undo',
          'redo',
          'cut',
          'copy',
          'paste',
          'selectAll',
          'togglefullscreen',
        ]),
      )
  })
  it('puts the app menu first on macOS only', () => {
    expect(buildMenu('darwin', 'WhatNext', actions)[0]!.label).toBe('WhatNext')
    expect(buildMenu('win32', 'WhatNext', actions)[0]!.label).toBe('File')
  })
})
