/**
 * bus.*: page ↔ dedicated worker round trips and throughput over our bus (zod on),
 * against comlink, raw postMessage and our bus with passthrough schemas, in headless
 * Chromium, all in the same run.
 */
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { launchChromium } from '../lib/chromium.ts'
import { bundleWorkerPage } from '../lib/worker-page.ts'
import { serveDir } from '../lib/static-server.ts'
import { median, percentile, round } from '../lib/stats.ts'
import type { BenchContext, BenchResult, Benchmark } from '../lib/types.ts'
import { MODES, type Mode, type PassOptions, type PassResult } from './shared.ts'

const here = fileURLToPath(new URL('.', import.meta.url))

const OPTIONS: PassOptions = { warmup: 500, sequential: 2000, total: 20_000, inflight: 64 }
/** Every mode runs this many times, in rotated order; RTTs are pooled, rates take the median. */
const ROUNDS = 5

export const busBenchmark: Benchmark = {
  id: 'bus',
  names: [
    'bus.worker.rtt_p50_ms',
    'bus.worker.rtt_p99_ms',
    'bus.worker.requests_per_s',
    'bus.worker.rtt_p50_ms.raw_postmessage',
    'bus.worker.rtt_p99_ms.raw_postmessage',
    'bus.worker.requests_per_s.raw_postmessage',
    'bus.validation.requests_per_s',
  ],
  async run(context: BenchContext): Promise<BenchResult[]> {
    const outDir = join(context.tmp, 'bus')
    await bundleWorkerPage(here, outDir, 'bus bench')
    const server = await serveDir(outDir)
    const browser = await launchChromium()
    try {
      const page = await (await browser.newContext()).newPage()
      page.on('pageerror', (error) => context.log(`bus page error: ${error.message}`))
      await page.goto(server.url)
      await page.waitForFunction(() => 'busBench' in window, null, { timeout: 15_000 })
      if (!(await page.evaluate(() => window.busBench.isolated)))
        context.log('warning: bench page is not cross-origin isolated (timer resolution 100 µs)')

      const rtt = new Map<Mode, number[]>(MODES.map((m) => [m, []]))
      const rate = new Map<Mode, number[]>(MODES.map((m) => [m, []]))
      for (let r = 0; r < ROUNDS; r++) {
        const order = [...MODES.slice(r % MODES.length), ...MODES.slice(0, r % MODES.length)]
        for (const mode of order) {
          const pass: PassResult = await page.evaluate(
            ({ mode, options }) => window.busBench.run(mode, options),
            { mode, options: OPTIONS },
          )
          if (mode === 'bus' && pass.rejectedInvalid !== true)
            throw new Error('bus mode accepted an invalid request: validation is not on')
          rtt.get(mode)!.push(...pass.rtt)
          const perS = pass.total / (pass.throughputMs / 1000)
          rate.get(mode)!.push(perS)
          context.log(
            `  bus round ${r + 1}/${ROUNDS} ${mode.padEnd(14)} p50 ${percentile(pass.rtt, 50).toFixed(3)} ms` +
              `  p99 ${percentile(pass.rtt, 99).toFixed(3)} ms  ${Math.round(perS)} req/s`,
          )
        }
      }

      const p = (mode: Mode, q: number) => round(percentile(rtt.get(mode)!, q), 4)
      const rps = (mode: Mode) => Math.round(median(rate.get(mode)!))
      const results: BenchResult[] = []
      for (const [name, figure, unit, better] of [
        ['bus.worker.rtt_p50_ms', (m: Mode) => p(m, 50), 'ms', 'lower'],
        ['bus.worker.rtt_p99_ms', (m: Mode) => p(m, 99), 'ms', 'lower'],
        ['bus.worker.requests_per_s', rps, 'req/s', 'higher'],
      ] as const) {
        results.push({
          name,
          value: figure('bus'),
          unit,
          better,
          baseline: { name: 'comlink', value: figure('comlink') },
        })
        results.push({ name: `${name}.raw_postmessage`, value: figure('raw'), unit, better })
      }
      results.push({
        name: 'bus.validation.requests_per_s',
        value: rps('bus'),
        unit: 'req/s',
        better: 'higher',
        baseline: { name: 'no-validation', value: rps('bus-novalidate') },
      })
      return results
    } finally {
      await browser.close()
      await server.close()
    }
  },
}
