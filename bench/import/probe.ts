/**
 * Runs in the app page (bundled by esbuild and evaluated there): records
 * long tasks and animation-frame timestamps, the time the file input changes (t0), and
 * the time the imported playlist is on screen (t1): its first row is rendered and its
 * track count (or the "Imported N tracks" toast) shows `countText`.
 */
export interface ImportProbe {
  t0: number | null
  t1: number | null
  longTasks: { start: number; duration: number }[]
  frames: number[]
  stop(): void
}

declare global {
  interface Window {
    __importProbe?: ImportProbe
  }
}

export interface ProbeOptions {
  /** aria-label of the first row of the imported playlist. */
  firstRow: string
  /** Text of its track count, e.g. `10,000 tracks`. */
  countText: string
}

export function installImportProbe({ firstRow, countText }: ProbeOptions): void {
  const probe: ImportProbe = {
    t0: null,
    t1: null,
    longTasks: [],
    frames: [],
    stop: () => undefined,
  }
  window.__importProbe = probe
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries())
      probe.longTasks.push({ start: entry.startTime, duration: entry.duration })
  })
  observer.observe({ type: 'longtask', buffered: true })

  // Bounded: one frame per vsync, at most 10 minutes' worth.
  let running = true
  const onFrame = (time: number) => {
    probe.frames.push(time)
    if (running && probe.frames.length < 36_000) requestAnimationFrame(onFrame)
  }
  requestAnimationFrame(onFrame)

  // Capture phase on window: runs before React's handler sees the change.
  const onChange = (event: Event) => {
    if ((event.target as HTMLInputElement | null)?.type === 'file' && probe.t0 === null)
      probe.t0 = performance.now()
  }
  window.addEventListener('change', onChange, true)

  const done = () => {
    if (probe.t0 === null) return false
    const row = document.querySelector(`[role="row"][aria-label="${CSS.escape(firstRow)}"]`)
    if (!row) return false
    if (document.querySelector('main')?.textContent?.includes(countText)) return true
    for (const region of document.querySelectorAll('[aria-live]'))
      if (region.textContent?.includes(countText)) return true
    return false
  }
  const mutations = new MutationObserver(() => {
    if (probe.t1 === null && done()) {
      probe.t1 = performance.now()
      mutations.disconnect()
    }
  })
  mutations.observe(document.body, { childList: true, subtree: true, characterData: true })

  probe.stop = () => {
    running = false
    observer.disconnect()
    mutations.disconnect()
    window.removeEventListener('change', onChange, true)
  }
}
