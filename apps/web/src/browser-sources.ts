/**
 * The browser's figures for the performance monitor: heap use (Chromium's
 * `performance.memory`; absent elsewhere) and main-thread long tasks (Long Tasks API).
 */
import type { HeapSource, LongTaskSource } from '@whatnext/core/client'

interface ChromiumMemory {
  usedJSHeapSize: number
  jsHeapSizeLimit: number
}

/** Heap use where the browser reports it. */
export const browserHeap: HeapSource = {
  read() {
    const memory = (performance as Performance & { memory?: ChromiumMemory }).memory
    return memory
      ? { usedBytes: memory.usedJSHeapSize, limitBytes: memory.jsHeapSizeLimit }
      : undefined
  },
}

/** Long tasks of this thread (pages only: workers have no `longtask` entries). */
export const browserLongTasks: LongTaskSource = {
  subscribe(listener) {
    if (
      typeof PerformanceObserver !== 'function' ||
      !PerformanceObserver.supportedEntryTypes.includes('longtask')
    )
      return () => undefined
    const observer = new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) listener(entry.duration)
    })
    observer.observe({ type: 'longtask' })
    return () => observer.disconnect()
  },
}
