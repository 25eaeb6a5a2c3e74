/**
 * jsdom shims, for tests only. jsdom has no layout, so the virtualizer's scroll
 * container reports a fixed viewport, and `scrollTo` moves `scrollTop` and fires
 * `scroll` the way a browser would.
 */
import { cleanup, configure } from '@testing-library/react'
import { afterEach } from 'vitest'

// Lazily loaded views (the palette, dialogs) are transformed on their first import;
// on a busy two-core machine that alone can take over the default second.
configure({ asyncUtilTimeout: 3000 })

/** Height the track list's scroll container reports in tests. */
export const TEST_VIEWPORT_HEIGHT = 600

const isScroller = (el: Element) => el.getAttribute('data-testid') === 'track-scroll'

Object.defineProperty(HTMLElement.prototype, 'clientHeight', {
  configurable: true,
  get(this: HTMLElement) {
    return isScroller(this) ? TEST_VIEWPORT_HEIGHT : 0
  },
})
Object.defineProperty(HTMLElement.prototype, 'clientWidth', {
  configurable: true,
  get(this: HTMLElement) {
    return isScroller(this) ? 800 : 0
  },
})
Object.defineProperty(HTMLElement.prototype, 'scrollHeight', {
  configurable: true,
  get(this: HTMLElement) {
    // The virtualizer's sizer sets the scrollable height.
    const sizer = this.firstElementChild as HTMLElement | null
    return isScroller(this) ? Number.parseFloat(sizer?.style.height ?? '0') || 0 : 0
  },
})
Element.prototype.scrollTo = function scrollTo(
  this: Element,
  options?: ScrollToOptions | number,
  y?: number,
) {
  const top = typeof options === 'number' ? (y ?? 0) : (options?.top ?? this.scrollTop)
  this.scrollTop = top
  this.dispatchEvent(new Event('scroll'))
}
Element.prototype.scrollIntoView ??= function scrollIntoView() {}

if (typeof globalThis.CSS === 'undefined' || typeof CSS.escape !== 'function') {
  ;(globalThis as { CSS?: unknown }).CSS = {
    escape: (value: string) => value.replace(/[^\w-]/g, (c) => `\\${c}`),
  }
}

if (typeof window.matchMedia !== 'function') {
  window.matchMedia = (query: string) =>
    ({
      matches: false,
      media: query,
      onchange: null,
      addEventListener() {},
      removeEventListener() {},
      addListener() {},
      removeListener() {},
      dispatchEvent: () => false,
    }) as MediaQueryList
}

// cmdk measures its list with ResizeObserver.
globalThis.ResizeObserver ??= class {
  observe() {}
  unobserve() {}
  disconnect() {}
} as unknown as typeof ResizeObserver

afterEach(() => {
  cleanup()
  localStorage.clear()
  history.replaceState(null, '', '/')
})

// Both jsdom's structuredClone and Node's v8 clone make typed arrays of another realm
// than the test's, which fail the engine's `instanceof Uint8Array` check; a browser's clone
// stays in the page's realm. Messages on the bus are plain data, so a plain copy will do.
const cloneInRealm = (value: unknown): unknown => {
  if (value === null || typeof value !== 'object') return value
  if (ArrayBuffer.isView(value)) {
    const v = value as unknown as {
      buffer: ArrayBufferLike
      byteOffset: number
      byteLength: number
    }
    return new Uint8Array(new Uint8Array(v.buffer, v.byteOffset, v.byteLength))
  }
  if (value instanceof Date) return new Date(value.getTime())
  if (Array.isArray(value)) return value.map(cloneInRealm)
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(value)) out[k] = cloneInRealm(v)
  return out
}
globalThis.structuredClone = ((value: unknown) => cloneInRealm(value)) as typeof structuredClone
