import { describe, expect, it } from 'vitest'
import { WindowManager, type WindowLike, type WindowState } from './window-manager.ts'

class FakeWindow implements WindowLike {
  static next = 1
  readonly id = FakeWindow.next++
  bounds: WindowState['bounds']
  maximized: boolean
  focused = 0
  moveListeners = new Set<() => void>()
  closedListeners = new Set<() => void>()
  constructor(readonly created: WindowState) {
    this.bounds = { ...created.bounds }
    this.maximized = created.maximized
  }
  getBounds = () => ({ ...this.bounds })
  isMaximized = () => this.maximized
  focus = () => void this.focused++
  onMoveOrResize(l: () => void) {
    this.moveListeners.add(l)
    return () => this.moveListeners.delete(l)
  }
  onClosed(l: () => void) {
    this.closedListeners.add(l)
    return () => this.closedListeners.delete(l)
  }
  move(b: Partial<WindowState['bounds']>) {
    Object.assign(this.bounds, b)
    for (const l of this.moveListeners) l()
  }
  close() {
    for (const l of [...this.closedListeners]) l()
  }
}

function setup(saved: unknown = null, areas = [{ x: 0, y: 0, width: 1920, height: 1080 }]) {
  const windows: FakeWindow[] = []
  const saves: WindowState[][] = []
  const timers: (() => void)[] = []
  const manager = new WindowManager({
    create: (s) => {
      const w = new FakeWindow(s)
      windows.push(w)
      return w
    },
    load: () => saved as WindowState[] | null,
    save: (s) => saves.push(s),
    workAreas: () => areas,
    setTimeout: (fn) => timers.push(fn),
    clearTimeout: () => {},
  })
  const flush = () => timers.splice(0).forEach((fn) => fn())
  return { manager, windows, saves, flush }
}

describe('WindowManager', () => {
  it('opens one centred library window the first time', () => {
    const { manager, windows } = setup()
    manager.restore()
    expect(windows).toHaveLength(1)
    expect(windows[0]!.created).toEqual({
      bounds: { x: 360, y: 140, width: 1200, height: 800 },
      maximized: false,
      playlistId: null,
    })
  })

  it('saves positions, sizes and playlists, and restores them after a restart', () => {
    const first = setup()
    first.manager.restore()
    const playlist = first.manager.openPlaylist('pl-1')
    first.windows[0]!.move({ x: 10, y: 20, width: 900, height: 700 })
    first.manager.setPlaylist(first.windows[0]!.id, 'pl-0')
    first.flush()
    const saved = first.saves.at(-1)!
    expect(saved).toHaveLength(2)
    expect(saved[0]).toEqual({
      bounds: { x: 10, y: 20, width: 900, height: 700 },
      maximized: false,
      playlistId: 'pl-0',
    })
    expect(saved[1]!.playlistId).toBe('pl-1')
    // Quitting closes every window, but they stay in the session.
    first.manager.beforeQuit()
    for (const w of first.windows) w.close()
    expect(first.saves.at(-1)).toHaveLength(2)
    expect(playlist.id).toBe(first.windows[1]!.id)

    const second = setup(saved)
    second.manager.restore()
    expect(second.windows.map((w) => w.created)).toEqual(saved)
  })

  it('forgets a window the user closes and releases its listeners and ports', () => {
    const { manager, windows, saves, flush } = setup()
    manager.restore()
    manager.openPlaylist('pl-1')
    let portsClosed = 0
    manager.onWindowClosed(windows[1]!.id, () => portsClosed++)
    expect(manager.liveHandles()).toBe(3)
    windows[1]!.close()
    expect(portsClosed).toBe(1)
    expect(windows[1]!.moveListeners.size).toBe(0)
    expect(windows[1]!.closedListeners.size).toBe(0)
    flush()
    expect(saves.at(-1)!.map((s) => s.playlistId)).toEqual([null])
    windows[0]!.close()
    expect(manager.liveHandles()).toBe(0)
    expect(manager.ids()).toEqual([])
  })

  it('focuses the window that already shows a playlist instead of opening another', () => {
    const { manager, windows } = setup()
    manager.restore()
    manager.openPlaylist('pl-1')
    manager.openPlaylist('pl-1')
    expect(windows).toHaveLength(2)
    expect(windows[1]!.focused).toBe(1)
  })

  it('moves a window saved on a display that is gone back on screen', () => {
    const saved: WindowState[] = [
      { bounds: { x: 3000, y: 100, width: 800, height: 600 }, maximized: true, playlistId: null },
    ]
    const { manager, windows } = setup(saved, [{ x: 0, y: 0, width: 1280, height: 720 }])
    manager.restore()
    expect(windows[0]!.created).toEqual({
      bounds: { x: 240, y: 60, width: 800, height: 600 },
      maximized: true,
      playlistId: null,
    })
  })

  it('ignores a damaged saved state', () => {
    const { manager, windows } = setup([
      { bounds: { x: 'a' } },
      null,
      { bounds: { x: 0, y: 0, width: 1, height: 1 }, maximized: false, playlistId: '../x' },
    ])
    manager.restore()
    expect(windows).toHaveLength(1)
    expect(windows[0]!.created.playlistId).toBeNull()
  })
})
