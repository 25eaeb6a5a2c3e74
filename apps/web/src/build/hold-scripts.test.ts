// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest'
import { HELD_TYPE, HoldScriptsError, holdScripts, startHeldScripts } from './hold-scripts'

/** The head of a page as `next build` exports it (trimmed). */
const exported =
  '<!DOCTYPE html><html lang="en"><head><meta charSet="utf-8"/>' +
  '<script defer="" noModule="" src="/_next/static/chunks/polyfills-1.js"></script>' +
  '<script src="/_next/static/chunks/webpack-2.js" defer=""></script>' +
  '<script src="/_next/static/chunks/framework-3.js" defer=""></script>' +
  '<script src="/_next/static/chunks/main-4.js" defer=""></script></head>' +
  '<body><div id="__next"><p>shell</p></div>' +
  '<script id="__NEXT_DATA__" type="application/json">{"page":"/"}</script></body></html>'

describe('holding the exported scripts', () => {
  it('turns each deferred script into a held one, in order, and adds the starter', () => {
    const html = holdScripts(exported, 'index.html')
    const held = [...html.matchAll(/<script type="whatnext\/after-paint" data-src="([^"]+)">/g)]
    expect(held.map((m) => m[1])).toEqual([
      '/_next/static/chunks/webpack-2.js',
      '/_next/static/chunks/framework-3.js',
      '/_next/static/chunks/main-4.js',
    ])
    expect(html).not.toMatch(/<script src="\/_next[^>]*defer/)
    expect(html).toContain('<script src="/after-paint.js" defer=""></script></head>')
    // What the browser skips or reads itself stays.
    expect(html).toContain('noModule="" src="/_next/static/chunks/polyfills-1.js"')
    expect(html).toContain('<script id="__NEXT_DATA__" type="application/json">')
  })

  it('leaves a page it already changed as it is', () => {
    const once = holdScripts(exported, 'index.html')
    expect(holdScripts(once, 'index.html')).toBe(once)
  })

  it('refuses a page without Next scripts, naming the file', () => {
    expect(() => holdScripts('<html><head></head><body></body></html>', 'join.html')).toThrow(
      HoldScriptsError,
    )
    expect(() => holdScripts('<html><head></head></html>', 'join.html')).toThrow(/join\.html/)
  })
})

describe('the starter', () => {
  afterEach(() => {
    vi.unstubAllGlobals()
    vi.useRealTimers()
  })

  function page(visibility: DocumentVisibilityState) {
    document.head.innerHTML = holdScripts(exported, 'index.html').match(/<head>(.*)<\/head>/)![1]!
    vi.spyOn(document, 'visibilityState', 'get').mockReturnValue(visibility)
  }
  const loading = () =>
    [...document.querySelectorAll('script[src]')]
      .map((s) => s.getAttribute('src'))
      .filter((src) => src?.includes('/_next/') && !src.includes('polyfills'))

  it('starts the scripts, in order and not async, after the next frame has painted', () => {
    vi.useFakeTimers()
    let frame: FrameRequestCallback | undefined
    vi.stubGlobal('requestAnimationFrame', (cb: FrameRequestCallback) => ((frame = cb), 1))
    page('visible')
    startHeldScripts()
    expect(loading()).toEqual([])
    frame!(0)
    expect(loading()).toEqual([]) // rAF runs before the paint; the task after it starts them
    vi.runAllTimers()
    expect(loading()).toEqual([
      '/_next/static/chunks/webpack-2.js',
      '/_next/static/chunks/framework-3.js',
      '/_next/static/chunks/main-4.js',
    ])
    expect(
      [...document.querySelectorAll('script[src*="main-4"]')].map(
        (s) => (s as HTMLScriptElement).async,
      ),
    ).toEqual([false])
    expect(document.querySelectorAll(`script[type="${HELD_TYPE}"]`)).toHaveLength(0)
  })

  it('starts them at once in a hidden tab, which paints no frames', () => {
    vi.stubGlobal('requestAnimationFrame', () => 1)
    page('hidden')
    startHeldScripts()
    expect(loading()).toHaveLength(3)
  })

  it('starts them when a waiting tab turns hidden, and only once', () => {
    let frame: FrameRequestCallback | undefined
    vi.stubGlobal('requestAnimationFrame', (cb: FrameRequestCallback) => ((frame = cb), 1))
    page('visible')
    startHeldScripts()
    vi.spyOn(document, 'visibilityState', 'get').mockReturnValue('hidden')
    document.dispatchEvent(new Event('visibilitychange'))
    expect(loading()).toHaveLength(3)
    vi.useFakeTimers()
    frame!(0)
    vi.runAllTimers()
    expect(loading()).toHaveLength(3)
  })
})
