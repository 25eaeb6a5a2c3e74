/** Runs the selected benchmarks, writes bench/results.json and prints a table. */
import { mkdir, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { batchBenchmark } from './batch/index.ts'
import { busBenchmark } from './bus/index.ts'
import { importBenchmark } from './import/index.ts'
import type { BenchContext, BenchResult, Benchmark } from './lib/types.ts'
import { p2pBenchmark } from './p2p/index.ts'
import { storeBenchmark } from './store/index.ts'
import { lighthouseBenchmark } from './web/lighthouse.ts'
import { shellSizeBenchmark } from './web/shell-size.ts'
import { startupBenchmark } from './web/startup.ts'

const benchDir = dirname(fileURLToPath(import.meta.url))

/** Every benchmark, in running order. */
export const benchmarks: readonly Benchmark[] = [
  busBenchmark,
  batchBenchmark,
  shellSizeBenchmark,
  importBenchmark,
  lighthouseBenchmark,
  startupBenchmark,
  storeBenchmark,
  p2pBenchmark,
]

export async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { only: { type: 'string', multiple: true }, help: { type: 'boolean' } },
  })
  if (values.help) {
    console.log('usage: node bench/run.mjs [--only <name prefix>[,<prefix>…]]…')
    console.log(benchmarks.flatMap((b) => b.names).join('\n'))
    return 0
  }
  const prefixes = (values.only ?? []).flatMap((o) => o.split(',')).filter(Boolean)
  const wanted = (name: string) => prefixes.length === 0 || prefixes.some((p) => name.startsWith(p))
  const selected = benchmarks.filter((b) => b.names.some(wanted))
  if (selected.length === 0) {
    console.error(`--only ${prefixes.join(',')} matches no benchmark; names:`)
    console.error(benchmarks.flatMap((b) => b.names).join('\n'))
    return 2
  }

  const context: BenchContext = {
    root: join(benchDir, '..'),
    tmp: join(benchDir, '.tmp'),
    log: (message) => console.error(message),
  }
  await mkdir(context.tmp, { recursive: true })

  const results: BenchResult[] = []
  const failures: string[] = []
  const started = performance.now()
  for (const bench of selected) {
    const t0 = performance.now()
    context.log(`▶ ${bench.id}`)
    try {
      results.push(...(await bench.run(context)).filter((r) => wanted(r.name)))
      context.log(`✔ ${bench.id} (${((performance.now() - t0) / 1000).toFixed(1)} s)`)
    } catch (error) {
      const message = error instanceof Error ? (error.stack ?? error.message) : String(error)
      failures.push(`${bench.id}: ${message}`)
      context.log(`✘ ${bench.id} failed: ${message}`)
    }
  }

  await writeFile(join(benchDir, 'results.json'), `${JSON.stringify(results, null, 2)}\n`)
  console.log(table(results))
  console.log(
    `\n${results.length} figures → bench/results.json in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  )
  if (failures.length > 0) {
    console.error(`\n${failures.length} benchmark(s) failed:\n${failures.join('\n')}`)
    return 1
  }
  return 0
}

/** name │ value │ unit │ baseline │ ratio (value ÷ baseline). */
function table(results: readonly BenchResult[]): string {
  const rows = [
    ['name', 'value', 'unit', 'baseline', 'ratio'],
    ...results.map((r) => [
      r.name,
      format(r.value),
      `${r.unit} (${r.better === 'lower' ? '↓' : '↑'})`,
      r.baseline ? `${r.baseline.name} ${format(r.baseline.value)}` : '',
      r.baseline && r.baseline.value !== 0 ? `${(r.value / r.baseline.value).toFixed(2)}×` : '',
    ]),
  ]
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)))
  const line = (row: string[]) =>
    row
      .map((cell, i) => (i === 1 || i === 4 ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd()
  return [
    line(rows[0]!),
    widths.map((w) => '─'.repeat(w)).join('  '),
    ...rows.slice(1).map(line),
  ].join('\n')
}

function format(value: number): string {
  if (Number.isInteger(value)) return value.toLocaleString('en')
  return Math.abs(value) >= 100 ? value.toFixed(1) : String(value)
}
