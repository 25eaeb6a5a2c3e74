/**
 * `p2p.join_10k.ms` as a user sees it, in the real app (the production build): profile A
 * imports a 10,000-track M3U and makes an edit link; profile B opens the link and joins.
 * Timed in B's page from the first sign of the sync running over an established
 * connection (the "Syncing from …" progress bar) until the track grid holds all 10,000
 * rows; set-up (B's node starting, the dial) is reported apart, from the Join click.
 */
import { mkdtemp } from 'node:fs/promises'
import { join } from 'node:path'
import { chromium, type BrowserContext, type Page } from 'playwright-core'
import { chromiumFlags, chromiumPath, webrtcFlags } from '../lib/chromium.ts'

export interface AppJoinRun {
  /** Sync running → 10,000 rows in the grid. */
  renderMs: number
  /** Join click → 10,000 rows (includes starting B's node and the dial). */
  totalMs: number
  /** B's longest main-thread task from the click to the full grid (the page's freeze). */
  longestTaskMs: number
}

const TRACKS = 10_000

function m3u(n: number): string {
  const lines = ['#EXTM3U']
  for (let i = 0; i < n; i++)
    lines.push(`#EXTINF:${180 + (i % 120)},Artist ${i % 97} - Track ${i}`, `music/${i}.mp3`)
  return `${lines.join('\n')}\n`
}

async function profile(
  tmp: string,
  name: string,
  appUrl: string,
  relayAddr: string,
  contexts: BrowserContext[],
): Promise<Page> {
  const dir = await mkdtemp(join(tmp, `app-${name}-`))
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: chromiumPath,
    args: [...chromiumFlags, ...webrtcFlags],
    headless: true,
    timeout: 60_000,
    acceptDownloads: false,
  })
  contexts.push(context)
  // The relays a deployment recommends: this run's relay.
  await context.route('**/relays.json', (route) =>
    route.fulfill({ contentType: 'application/json', body: JSON.stringify([relayAddr]) }),
  )
  const page = context.pages()[0] ?? (await context.newPage())
  await page.goto(appUrl, { timeout: 30_000 })
  await page.getByRole('button', { name: 'New playlist', exact: true }).waitFor({ timeout: 30_000 })
  return page
}

/** One join of a fresh 10k playlist by a fresh profile; bounded throughout. */
export async function appJoin(init: {
  appUrl: string
  relayAddr: string
  tmp: string
  log(message: string): void
}): Promise<AppJoinRun> {
  const contexts: BrowserContext[] = []
  try {
    const [a, b] = await Promise.all([
      profile(init.tmp, 'A', init.appUrl, init.relayAddr, contexts),
      profile(init.tmp, 'B', init.appUrl, init.relayAddr, contexts),
    ])
    // A: import 10,000 tracks, then make an edit link that names the relay.
    const chooser = a.waitForEvent('filechooser', { timeout: 15_000 })
    await a.getByRole('button', { name: 'Import', exact: true }).click()
    await (
      await chooser
    ).setFiles({ name: 'big.m3u', mimeType: 'audio/x-mpegurl', buffer: Buffer.from(m3u(TRACKS)) })
    await a
      .getByRole('grid', { name: 'Tracks' })
      .and(a.locator(`[aria-rowcount="${TRACKS + 1}"]`))
      .waitFor({ timeout: 60_000 })
    await a.getByRole('button', { name: 'Share', exact: true }).click()
    const dialog = a.getByRole('dialog', { name: /^Share/ })
    const section = dialog.getByRole('region', { name: 'Edit link' })
    await section.getByRole('button', { name: 'Create edit link' }).click()
    // Until the node holds a relay reservation the dialog says so ("Looking for a relay…").
    await a.waitForFunction(
      `!/relay/i.test(document.querySelector('[role="dialog"]')?.textContent ?? 'relay')`,
      null,
      { timeout: 30_000, polling: 100 },
    )
    const field = section.getByRole('textbox', { name: 'Edit link (web)' })
    await field.waitFor({ timeout: 15_000 })
    const link = await field.inputValue()
    if (!link.includes('/join#')) throw new Error(`not a share link: ${link}`)

    // B: open the link; watch for the sync and the full grid from inside the page.
    await b.goto(link, { timeout: 30_000 })
    const join = b.getByRole('dialog', { name: 'Join a shared playlist' })
    await join.waitFor({ timeout: 15_000 })
    // A plain string: tsx's transpiled functions call a `__name` helper pages do not have.
    await b.evaluate(`(() => {
      const rows = ${TRACKS + 1}
      window.joinTimes = {}
      window.joinLongestTask = 0
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries())
          window.joinLongestTask = Math.max(window.joinLongestTask, entry.duration)
      }).observe({ type: 'longtask' })
      const observer = new MutationObserver(() => {
        const t = performance.now()
        const bar = document.querySelector('[role="progressbar"][aria-label^="Syncing"]')
        if (!window.joinTimes.sync && bar) window.joinTimes.sync = t
        if (window.joinTimes.sync && !window.joinTimes.barGone && !bar) window.joinTimes.barGone = t
        const firstRow = document.querySelector('[data-testid="track-row"]')
        if (!window.joinTimes.firstRow && firstRow) window.joinTimes.firstRow = t
        const grid = document.querySelector('[role="grid"][aria-rowcount]')
        if (!window.joinTimes.rendered && grid && grid.getAttribute('aria-rowcount') === String(rows)) {
          window.joinTimes.rendered = t
          observer.disconnect()
        }
      })
      observer.observe(document.body, { subtree: true, childList: true, attributes: true })
    })()`)
    const clicked = (await b.evaluate('performance.now()')) as number
    await join.getByRole('button', { name: 'Join', exact: true }).click()
    await b.waitForFunction('window.joinTimes.rendered', null, { timeout: 60_000, polling: 50 })
    const times = (await b.evaluate('window.joinTimes')) as {
      sync?: number
      barGone?: number
      firstRow?: number
      rendered: number
    }
    if (times.sync !== undefined)
      init.log(
        `app join timeline from the progress bar: bar gone +${((times.barGone ?? NaN) - times.sync).toFixed(0)} ms, ` +
          `first row +${((times.firstRow ?? NaN) - times.sync).toFixed(0)} ms, ` +
          `10,000 rows +${(times.rendered - times.sync).toFixed(0)} ms`,
      )
    if (times.sync === undefined) init.log('app join: no progress bar seen; timed from the click')
    // Long tasks are reported after they end: one more frame for the last of them.
    await b.evaluate('new Promise((r) => setTimeout(r, 100))')
    const longestTaskMs = (await b.evaluate('window.joinLongestTask')) as number
    return {
      renderMs: times.rendered - (times.sync ?? clicked),
      totalMs: times.rendered - clicked,
      longestTaskMs,
    }
  } finally {
    await Promise.all(contexts.map((c) => c.close().catch(() => undefined)))
  }
}
