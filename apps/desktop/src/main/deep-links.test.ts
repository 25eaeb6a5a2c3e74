import { describe, expect, it } from 'vitest'
import {
  createDeepLinkRouter,
  deepLinkFromArgv,
  parseDeepLink,
  type DeepLink,
} from './deep-links.ts'

const TOKEN = 'eyJob3N0IjoiMTJEM0tvbyJ9.abc_-~'

function target() {
  const opened: DeepLink[] = []
  let focused = 0
  return {
    opened,
    focused: () => focused,
    focus: () => void focused++,
    open: (l: DeepLink) => void opened.push(l),
  }
}

describe('deep links', () => {
  it('parses whtnxt://join/<token> and close variants', () => {
    expect(parseDeepLink(`whtnxt://join/${TOKEN}`)).toEqual({ kind: 'join', token: TOKEN })
    expect(parseDeepLink(`whtnxt://join/${TOKEN}/`)).toEqual({ kind: 'join', token: TOKEN })
    expect(parseDeepLink(`whtnxt://join#${TOKEN}`)).toEqual({ kind: 'join', token: TOKEN })
    expect(parseDeepLink(`WHTNXT://join/${TOKEN}`)).toEqual({ kind: 'join', token: TOKEN })
  })

  it.each([
    'https://whatnext.app/join#abc',
    'whtnxt://leave/abc',
    'whtnxt://join/',
    'whtnxt://join/abc<script>',
    `whtnxt://join/${'a'.repeat(5000)}`,
    'whtnxt://join/a%2F..%2Fb',
    'garbage',
  ])('refuses %s', (raw) => {
    expect(parseDeepLink(raw)).toBeNull()
  })

  it('finds the link among Chromium switches in argv (Windows and Linux)', () => {
    const argv = [
      'C:\\WhatNext\\WhatNext.exe',
      '--allow-file-access-from-files',
      `whtnxt://join/${TOKEN}`,
    ]
    expect(deepLinkFromArgv(argv)).toEqual({ kind: 'join', token: TOKEN })
    expect(deepLinkFromArgv(['/usr/bin/whatnext', '--no-sandbox'])).toBeNull()
  })

  it('holds a cold-start link until a window is ready, then opens it', () => {
    const router = createDeepLinkRouter()
    router.onColdStart(['/opt/WhatNext/whatnext', `whtnxt://join/${TOKEN}`])
    expect(router.pending()).toEqual([{ kind: 'join', token: TOKEN }])
    const t = target()
    router.ready(t)
    expect(t.opened).toEqual([{ kind: 'join', token: TOKEN }])
    expect(t.focused()).toBe(1)
    expect(router.pending()).toEqual([])
  })

  it('routes macOS open-url, before and after the window is ready', () => {
    const router = createDeepLinkRouter()
    router.onOpenUrl(`whtnxt://join/first`)
    const t = target()
    router.ready(t)
    router.onOpenUrl(`whtnxt://join/second`)
    expect(t.opened.map((l) => l.token)).toEqual(['first', 'second'])
  })

  it('routes a second instance: the link opens, and a bare relaunch just focuses', () => {
    const router = createDeepLinkRouter()
    const t = target()
    router.ready(t)
    router.onSecondInstance(['whatnext.exe', `whtnxt://join/${TOKEN}`])
    expect(t.opened).toEqual([{ kind: 'join', token: TOKEN }])
    router.onSecondInstance(['whatnext.exe'])
    expect(t.focused()).toBe(2)
    expect(t.opened).toHaveLength(1)
  })

  it('reports refused links', () => {
    const refused: string[] = []
    const router = createDeepLinkRouter({ onInvalid: (raw) => refused.push(raw) })
    router.onOpenUrl('whtnxt://rm-rf/')
    expect(refused).toEqual(['whtnxt://rm-rf/'])
    expect(router.pending()).toEqual([])
  })
})
