/**
 * web.shell_js_gzip_kb: gzip (zlib level 9) size of every JavaScript file the first page
 * (`/`) loads, until the network is idle; the engine worker's scripts are reported apart.
 */
import { gzipSync } from 'node:zlib'
import { withAppInChromium } from '../lib/serve-app.ts'
import { round } from '../lib/stats.ts'
import type { BenchContext, BenchResult, Benchmark } from '../lib/types.ts'

const KIB = 1024

export const shellSizeBenchmark: Benchmark = {
  id: 'web.size',
  names: ['web.shell_js_gzip_kb', 'web.worker_js_gzip_kb'],
  async run(context: BenchContext): Promise<BenchResult[]> {
    return withAppInChromium(context.root, async (url, browser) => {
      // No service worker: its precache would fetch every chunk of the build, which is
      // not what the first page needs.
      const browserContext = await browser.newContext({ serviceWorkers: 'block' })
      const page = await browserContext.newPage()
      const pageScripts = new Map<string, number>()
      const workerScripts = new Map<string, number>()
      const pending: Promise<void>[] = []
      const workerUrls = new Set<string>()
      page.on('worker', (worker) => workerUrls.add(worker.url()))
      page.on('response', (response) => {
        const url = new URL(response.url())
        if (!url.pathname.endsWith('.js') || response.status() !== 200) return
        const request = response.request()
        pending.push(
          Promise.all([request.allHeaders(), response.body()]).then(([headers, body]) => {
            // The page's <script>s and dynamic imports are resource type `script` with
            // destination `script`; the worker's main script has destination `worker`,
            // and the chunks it pulls with importScripts are resource type `other`.
            const fromPage =
              request.resourceType() === 'script' &&
              headers['sec-fetch-dest'] !== 'worker' &&
              !workerUrls.has(response.url())
            const size = gzipSync(body, { level: 9 }).length
            ;(fromPage ? pageScripts : workerScripts).set(url.pathname, size)
          }),
        )
      })
      await page.goto(url, { waitUntil: 'networkidle', timeout: 60_000 })
      await Promise.all(pending)
      const sum = (m: Map<string, number>) => [...m.values()].reduce((a, b) => a + b, 0)
      for (const [label, files] of [
        ['page', pageScripts],
        ['worker', workerScripts],
      ] as const) {
        context.log(`  ${label} scripts (gzip -9):`)
        for (const [path, size] of [...files].sort((a, b) => b[1] - a[1]))
          context.log(`    ${(size / KIB).toFixed(1).padStart(7)} KiB  ${path}`)
      }
      if (pageScripts.size === 0) throw new Error('the first page loaded no JavaScript')
      return [
        {
          name: 'web.shell_js_gzip_kb',
          value: round(sum(pageScripts) / KIB, 1),
          unit: 'KiB',
          better: 'lower',
        },
        {
          name: 'web.worker_js_gzip_kb',
          value: round(sum(workerScripts) / KIB, 1),
          unit: 'KiB',
          better: 'lower',
        },
      ]
    })
  },
}
