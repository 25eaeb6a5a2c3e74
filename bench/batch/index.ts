/**
 * bus.batch.*: a burst of 200 events from a dedicated worker to the page, batched
 * (the bus's event batching) against the same events unbatched, in headless Chromium.
 * `added_latency_ms` is the p99 emit → listener latency of a batched event — an upper
 * bound of the latency batching adds — with the unbatched p99 as its baseline.
 */
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { launchChromium } from '../lib/chromium.ts'
import { bundleWorkerPage } from '../lib/worker-page.ts'
import { serveDir } from '../lib/static-server.ts'
import { median, percentile, round } from '../lib/stats.ts'
import type { BenchContext, BenchResult, Benchmark } from '../lib/types.ts'
import type { BurstResult } from './shared.ts'

const here = fileURLToPath(new URL('.', import.meta.url))
/** Bursts per mode, alternating batched and unbatched; the first few are warm-up. */
const ROUNDS = 40
const WARMUP = 5

export const batchBenchmark: Benchmark = {
  id: 'batch',
  names: [
    'bus.batch.messages_for_200_events',
    'bus.batch.reduction_pct',
    'bus.batch.added_latency_ms',
  ],
  async run(context: BenchContext): Promise<BenchResult[]> {
    const outDir = join(context.tmp, 'batch')
    await bundleWorkerPage(here, outDir, 'batch bench')
    const server = await serveDir(outDir)
    const browser = await launchChromium()
    try {
      const page = await (await browser.newContext()).newPage()
      page.on('pageerror', (error) => context.log(`batch page error: ${error.message}`))
      await page.goto(server.url)
      await page.waitForFunction(() => 'batchBench' in window, null, { timeout: 15_000 })
      await page.evaluate(() => window.batchBench.ready)
      if (!(await page.evaluate(() => window.batchBench.isolated)))
        context.log('warning: batch page is not cross-origin isolated (timer resolution 100 µs)')

      const runs: BurstResult[] = []
      for (let r = 0; r < ROUNDS; r++) {
        for (const batched of r % 2 === 0 ? [true, false] : [false, true]) {
          const result = await page.evaluate((b) => window.batchBench.burst(b), batched)
          if (r >= WARMUP) runs.push(result)
        }
      }
      const of = (batched: boolean) => runs.filter((x) => x.batched === batched)
      const messages = (batched: boolean) => median(of(batched).map((x) => x.messages))
      const latencies = (batched: boolean) => of(batched).flatMap((x) => x.latencies)
      const batchedMessages = messages(true)
      const unbatchedMessages = messages(false)
      const p = (batched: boolean, q: number) => percentile(latencies(batched), q)
      for (const batched of [true, false])
        context.log(
          `  batch ${batched ? 'batched  ' : 'unbatched'} messages ${messages(batched)}` +
            `  latency p50 ${p(batched, 50).toFixed(3)} ms  p99 ${p(batched, 99).toFixed(3)} ms  max ${p(batched, 100).toFixed(3)} ms`,
        )
      return [
        {
          name: 'bus.batch.messages_for_200_events',
          value: batchedMessages,
          unit: 'messages',
          better: 'lower',
          baseline: { name: 'unbatched', value: unbatchedMessages },
        },
        {
          name: 'bus.batch.reduction_pct',
          value: round((1 - batchedMessages / unbatchedMessages) * 100, 1),
          unit: '%',
          better: 'higher',
        },
        {
          name: 'bus.batch.added_latency_ms',
          // An upper bound of what batching adds: the whole emit → listener time of a
          // batched event, transport included (the added part alone cannot be larger).
          value: round(p(true, 99), 3),
          unit: 'ms',
          better: 'lower',
          baseline: { name: 'unbatched p99', value: round(p(false, 99), 3) },
        },
      ]
    } finally {
      await browser.close()
      await server.close()
    }
  },
}
