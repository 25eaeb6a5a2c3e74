/**
 * Windows: several at once (the library, or a playlist in its own window), their
 * positions, sizes and open playlists restored after a restart, and each one's ports and
 * listeners released when it closes. Pure: main passes a factory of {@link WindowLike}
 * (a thin wrapper of `BrowserWindow`) and a store for the saved state.
 */

/** A saved window. PERSISTED NAMES (in the desktop state file). */
export interface WindowState {
  bounds: { x: number; y: number; width: number; height: number }
  maximized: boolean
  /** The playlist shown, or null for the library. */
  playlistId: string | null
}

/** The slice of a BrowserWindow the manager uses. */
export interface WindowLike {
  readonly id: number
  getBounds(): WindowState['bounds']
  isMaximized(): boolean
  focus(): void
  /** Registers the handlers the manager needs; returns their removal. */
  onMoveOrResize(listener: () => void): () => void
  onClosed(listener: () => void): () => void
}

/** A display's work area, to keep restored windows on screen. */
export interface WorkArea {
  x: number
  y: number
  width: number
  height: number
}

/** What the manager needs from main. */
export interface WindowManagerComponents {
  create(state: WindowState): WindowLike
  load(): WindowState[] | null
  save(states: WindowState[]): void
  /** Work areas of the connected displays (windows off all of them are moved back). */
  workAreas(): WorkArea[]
  setTimeout(fn: () => void, ms: number): unknown
  clearTimeout(handle: unknown): void
}

export const DEFAULT_BOUNDS = { width: 1200, height: 800 }
const MIN = { width: 480, height: 360 }

/** Manages the app's windows; see the module comment. */
export class WindowManager {
  private readonly windows = new Map<
    number,
    { win: WindowLike; state: WindowState; dispose: (() => void)[] }
  >()
  private saveTimer: unknown = null
  private quitting = false

  constructor(
    private readonly components: WindowManagerComponents,
    private readonly init: { saveDelayMs?: number } = {},
  ) {}

  /** Opens the windows of the last session (or one library window). */
  restore(): WindowLike[] {
    const saved = (this.components.load() ?? []).filter(isWindowState)
    const states = saved.length > 0 ? saved : [this.fresh(null)]
    return states.map((s) => this.open({ ...s, bounds: this.onScreen(s.bounds) }))
  }

  /** Opens a window showing `playlistId` (focusing one that already does). */
  openPlaylist(playlistId: string): WindowLike {
    for (const { win, state } of this.windows.values())
      if (state.playlistId === playlistId) {
        win.focus()
        return win
      }
    return this.open(this.fresh(playlistId))
  }

  /** The window's shown playlist changed (the renderer tells main). */
  setPlaylist(windowId: number, playlistId: string | null): void {
    const entry = this.windows.get(windowId)
    if (!entry) return
    entry.state.playlistId = playlistId
    this.scheduleSave()
  }

  /** Runs `fn` when `windowId` closes (ports, listeners of that window). */
  onWindowClosed(windowId: number, fn: () => void): void {
    this.windows.get(windowId)?.dispose.push(fn)
  }

  /** The app is quitting: windows closing now stay in the saved session. */
  beforeQuit(): void {
    this.saveNow()
    this.quitting = true
  }

  /** Ids of open windows. */
  ids(): number[] {
    return [...this.windows.keys()]
  }

  get(windowId: number): WindowLike | undefined {
    return this.windows.get(windowId)?.win
  }

  /** Listeners and cleanups still registered (0 once every window closed). */
  liveHandles(): number {
    let n = 0
    for (const entry of this.windows.values()) n += entry.dispose.length
    return n
  }

  private open(state: WindowState): WindowLike {
    const win = this.components.create(state)
    const entry = { win, state: { ...state }, dispose: [] as (() => void)[] }
    this.windows.set(win.id, entry)
    entry.dispose.push(
      win.onMoveOrResize(() => {
        entry.state.maximized = win.isMaximized()
        if (!entry.state.maximized) entry.state.bounds = win.getBounds()
        this.scheduleSave()
      }),
    )
    const offClosed = win.onClosed(() => {
      offClosed()
      for (const fn of entry.dispose.splice(0).reverse()) fn()
      // A window closed while quitting stays in the session; closed by the user, it goes.
      if (!this.quitting) {
        this.windows.delete(win.id)
        this.scheduleSave()
      } else this.windows.delete(win.id)
    })
    this.scheduleSave()
    return win
  }

  private fresh(playlistId: string | null): WindowState {
    const area = this.components.workAreas()[0] ?? { x: 0, y: 0, width: 1280, height: 900 }
    const offset = 24 * this.windows.size
    const width = Math.min(DEFAULT_BOUNDS.width, area.width)
    const height = Math.min(DEFAULT_BOUNDS.height, area.height)
    return {
      bounds: {
        x: area.x + Math.max(0, Math.floor((area.width - width) / 2)) + offset,
        y: area.y + Math.max(0, Math.floor((area.height - height) / 2)) + offset,
        width,
        height,
      },
      maximized: false,
      playlistId,
    }
  }

  /** Keeps a restored window visible: a display may be gone since it was saved. */
  private onScreen(bounds: WindowState['bounds']): WindowState['bounds'] {
    const areas = this.components.workAreas()
    const width = Math.max(MIN.width, bounds.width)
    const height = Math.max(MIN.height, bounds.height)
    const visible = areas.find(
      (a) =>
        bounds.x + 64 <= a.x + a.width &&
        bounds.x + width - 64 >= a.x &&
        bounds.y >= a.y - 8 &&
        bounds.y + 32 <= a.y + a.height,
    )
    const area = visible ?? areas[0] ?? { x: 0, y: 0, width, height }
    const w = Math.min(width, area.width)
    const h = Math.min(height, area.height)
    if (visible) return { x: bounds.x, y: bounds.y, width: w, height: h }
    return {
      x: area.x + Math.floor((area.width - w) / 2),
      y: area.y + Math.floor((area.height - h) / 2),
      width: w,
      height: h,
    }
  }

  private scheduleSave(): void {
    if (this.quitting) return
    if (this.saveTimer !== null) this.components.clearTimeout(this.saveTimer)
    this.saveTimer = this.components.setTimeout(() => this.saveNow(), this.init.saveDelayMs ?? 500)
  }

  private saveNow(): void {
    if (this.saveTimer !== null) this.components.clearTimeout(this.saveTimer)
    this.saveTimer = null
    if (this.quitting) return
    this.components.save([...this.windows.values()].map((e) => ({ ...e.state })))
  }
}

function isWindowState(value: unknown): value is WindowState {
  const v = value as WindowState | null
  const b = v?.bounds
  return (
    !!b &&
    [b.x, b.y, b.width, b.height].every((n) => Number.isFinite(n)) &&
    typeof v.maximized === 'boolean' &&
    (v.playlistId === null ||
      (typeof v.playlistId === 'string' && /^[A-Za-z0-9_-]{1,64}$/.test(v.playlistId)))
  )
}
