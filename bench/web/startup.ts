/**
 * web.startup.*: how long the first page keeps the main thread busy while it starts, in
 * Chromium with the CPU slowed 4x (Lighthouse's mobile factor), from navigation until
 * the library is ready and three quiet seconds more. `blocking_ms` adds up each long
 * task's time beyond 50 ms (what Lighthouse's total blocking time adds up, measured
 * here instead of simulated); `longest_task_ms` is the longest task. Medians of 7 fresh
 * contexts: Lighthouse's own figures vary by a factor of two between runs on this
 * machine, these by far less.
 */
import { withAppInChromium } from '../lib/serve-app.ts'
import { median, round } from '../lib/stats.ts'
import type { BenchContext, BenchResult, Benchmark } from '../lib/types.ts'

const RUNS = 7
const CPU_SLOWDOWN = 4
const QUIET_MS = 3000

export const startupBenchmark: Benchmark = {
  id: 'web.startup',
  names: ['web.startup.blocking_ms', 'web.startup.longest_task_ms'],
  async run(context: BenchContext): Promise<BenchResult[]> {
    return withAppInChromium(context.root, async (url, browser) => {
      const runs: { blocking: number; longest: number }[] = []
      for (let i = 0; i < RUNS; i++) {
        // No service worker: a first visit, as Lighthouse sees it.
        const browserContext = await browser.newContext({ serviceWorkers: 'block' })
        try {
          const page = await browserContext.newPage()
          const cdp = await browserContext.newCDPSession(page)
          await cdp.send('Emulation.setCPUThrottlingRate', { rate: CPU_SLOWDOWN })
          await page.addInitScript(
            `(() => { const t = (window.__longTasks = []); new PerformanceObserver((l) => { for (const e of l.getEntries()) t.push(e.duration) }).observe({ type: 'longtask', buffered: true }) })()`,
          )
          await page.goto(url, { timeout: 60_000 })
          await page
            .getByRole('button', { name: 'New playlist', exact: true })
            .waitFor({ timeout: 60_000 })
          await page.waitForTimeout(QUIET_MS)
          const tasks = (await page.evaluate('window.__longTasks')) as number[]
          const run = {
            blocking: tasks.reduce((sum, d) => sum + Math.max(0, d - 50), 0),
            longest: tasks.length > 0 ? Math.max(...tasks) : 0,
          }
          context.log(
            `  run ${i + 1}/${RUNS}: blocking ${Math.round(run.blocking)} ms, longest task ${Math.round(run.longest)} ms (${tasks.length} long tasks)`,
          )
          runs.push(run)
        } finally {
          await browserContext.close()
        }
      }
      const unit = `ms, ${CPU_SLOWDOWN}x CPU slowdown, median of ${RUNS}`
      return [
        {
          name: 'web.startup.blocking_ms',
          value: round(median(runs.map((r) => r.blocking)), 0),
          unit,
          better: 'lower',
        },
        {
          name: 'web.startup.longest_task_ms',
          value: round(median(runs.map((r) => r.longest)), 0),
          unit,
          better: 'lower',
        },
      ]
    })
  },
}
