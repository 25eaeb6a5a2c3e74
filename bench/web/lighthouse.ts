/**
 * web.lighthouse.*: Lighthouse 13 (mobile preset, simulated throttling) on the
 * production build served from 127.0.0.1, categories performance and accessibility.
 */
import { writeFile } from 'node:fs/promises'
import * as chromeLauncher from 'chrome-launcher'
import lighthouse from 'lighthouse'
import { chromiumFlags, chromiumPath } from '../lib/chromium.ts'
import { serveApp } from '../lib/serve-app.ts'
import { median } from '../lib/stats.ts'
import type { BenchContext, BenchResult, Benchmark } from '../lib/types.ts'

/** Each run gets a fresh Chromium and profile; the figures are medians. */
const RUNS = 3
const CATEGORIES = ['performance', 'accessibility'] as const

/** One Lighthouse run (mobile preset: the default config) in its own Chromium. */
async function audit(url: string, context: BenchContext) {
  const chrome = await chromeLauncher.launch({
    chromePath: chromiumPath,
    chromeFlags: [...chromiumFlags, '--headless=new'],
    logLevel: 'error',
  })
  try {
    const result = await lighthouse(url, {
      port: chrome.port,
      output: 'json',
      logLevel: 'error',
      onlyCategories: [...CATEGORIES],
    })
    if (!result) throw new Error('Lighthouse returned no result')
    const { lhr } = result
    if (lhr.runtimeError) throw new Error(`Lighthouse: ${lhr.runtimeError.message}`)
    for (const warning of lhr.runWarnings) context.log(`  lighthouse warning: ${warning}`)
    const score = (id: (typeof CATEGORIES)[number]) => {
      const value = lhr.categories[id]?.score
      if (typeof value !== 'number') throw new Error(`Lighthouse gave no ${id} score`)
      return value
    }
    const metrics = [
      'first-contentful-paint',
      'largest-contentful-paint',
      'total-blocking-time',
      'cumulative-layout-shift',
      'speed-index',
    ].map((id) => `${id} ${lhr.audits[id]?.displayValue ?? '?'}`)
    context.log(`  ${metrics.join(', ')}`)
    // What to look at when the score drops: the LCP element and the main-thread work.
    // Lighthouse 13 names the LCP element in its LCP breakdown insight (a node item).
    const lcp = lhr.audits['lcp-breakdown-insight']?.details as
      { items?: { type?: string; selector?: string; nodeLabel?: string }[] } | undefined
    if (process.env.WHATNEXT_LH_DUMP)
      await writeFile(process.env.WHATNEXT_LH_DUMP, JSON.stringify(lhr))
    const node = lcp?.items?.find((item) => item.type === 'node')
    const snippet = node && `${node.selector ?? '?'} "${(node.nodeLabel ?? '').slice(0, 40)}"`
    if (snippet) context.log(`  LCP element: ${snippet}`)
    const work = lhr.audits['bootup-time']?.details as
      { items?: { url?: string; scripting?: number }[] } | undefined
    for (const item of (work?.items ?? []).slice(0, 4))
      context.log(`  script time: ${Math.round(item.scripting ?? 0)} ms ${item.url ?? ''}`)
    const a11yIds = new Set(lhr.categories.accessibility?.auditRefs.map((r) => r.id))
    for (const a of Object.values(lhr.audits))
      if (a11yIds.has(a.id) && a.score !== null && a.score < 1)
        context.log(`  accessibility audit below 1: ${a.id} (${a.title})`)
    return { performance: score('performance'), accessibility: score('accessibility') }
  } finally {
    chrome.kill()
  }
}

export const lighthouseBenchmark: Benchmark = {
  id: 'web.lighthouse',
  names: ['web.lighthouse.performance', 'web.lighthouse.accessibility'],
  async run(context: BenchContext): Promise<BenchResult[]> {
    const major = Number(process.versions.node.split('.')[0])
    if (major < 22)
      throw new Error(
        `Lighthouse 13 needs Node 22 or later; this is ${process.version}. ` +
          `Run through npm (npm run bench) or node_modules/.bin/node bench/run.mjs.`,
      )
    process.env.CHROME_PATH = chromiumPath
    const server = await serveApp(context.root)
    try {
      const runs: { performance: number; accessibility: number }[] = []
      for (let r = 0; r < RUNS; r++) {
        const scores = await audit(server.url, context)
        context.log(
          `  lighthouse run ${r + 1}/${RUNS}: performance ${scores.performance}, accessibility ${scores.accessibility}`,
        )
        runs.push(scores)
      }
      return [
        {
          name: 'web.lighthouse.performance',
          value: median(runs.map((r) => r.performance)),
          unit: 'score',
          better: 'higher',
        },
        {
          name: 'web.lighthouse.accessibility',
          value: median(runs.map((r) => r.accessibility)),
          unit: 'score',
          better: 'higher',
        },
      ]
    } finally {
      await server.close()
    }
  },
}
