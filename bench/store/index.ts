/**
 * store.*: the settings store on its file backend (`@whatnext/storage/settings/file`)
 * against `conf` (what electron-store is built on), same data, same validation, same
 * process, in fresh directories under bench/.tmp, for stores of about 1 KB, 100 KB and
 * 1 MB (a record of 1 KB strings).
 *
 * - `set_durable.<size>.p50_ms` / `.p99_ms`: one `await set()` at a time (durable when it
 *   returns: our log append + fdatasync; conf's atomic write with fsync).
 * - `set_1000.<size>.total_ms`: 1000 sets issued back to back, until all are durable
 *   (ours coalesce into a few commits; conf writes each synchronously).
 * - `get.<size>.p50_us`: one `get` of a nested value (median of 200 batches of 1000).
 * - `open.<size>.ms`: opening an existing store (median of 7), from nothing to readable.
 *
 * conf runs with `cache: true` (reads from memory, as ours do) and a JSON schema
 * equivalent to our zod schema.
 */
import { mkdir, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { createSettingsStore, type SettingsStore } from '@whatnext/storage/settings'
import { FileSettingsBackend } from '@whatnext/storage/settings/file'
import Conf from 'conf'
import { z } from 'zod'
import { median, percentile, round } from '../lib/stats.ts'
import type { BenchContext, BenchResult, Benchmark } from '../lib/types.ts'

const SIZES = { '1KB': 1, '100KB': 100, '1MB': 1000 } as const
type Size = keyof typeof SIZES

const schema = z.object({
  theme: z.enum(['light', 'dark', 'system']),
  displayName: z.string(),
  blobs: z.record(z.string(), z.string()),
})
type Data = z.infer<typeof schema>

const jsonSchema = {
  theme: { enum: ['light', 'dark', 'system'] },
  displayName: { type: 'string' },
  blobs: { type: 'object', additionalProperties: { type: 'string' } },
} as const

function blob(seed: number): string {
  return `${seed}:`.padEnd(1000, String.fromCharCode(97 + (seed % 26)))
}

function dataOf(blobs: number): Data {
  const data: Data = { theme: 'system', displayName: 'bench', blobs: {} }
  for (let i = 0; i < blobs; i++) data.blobs[`k${i}`] = blob(i)
  return data
}

const names = (Object.keys(SIZES) as Size[]).flatMap((size) => [
  `store.set_durable.${size}.p50_ms`,
  `store.set_durable.${size}.p99_ms`,
  `store.set_1000.${size}.total_ms`,
  `store.get.${size}.p50_us`,
  `store.open.${size}.ms`,
])

interface Subject {
  open(): Promise<void>
  set(i: number): Promise<void> | void
  get(): unknown
  close(): Promise<void>
}

function ours(dir: string, blobs: number): Subject {
  let store: SettingsStore<Data> | null = null
  return {
    async open() {
      store = await createSettingsStore({
        schema,
        defaults: dataOf(blobs),
        backend: await FileSettingsBackend.open({ dir }),
      })
    },
    set: (i) => store!.set('blobs.k0', blob(i)),
    get: () => store!.get('blobs.k0'),
    async close() {
      await store?.close()
      store = null
    },
  }
}

function conf(dir: string, blobs: number): Subject {
  let store: Conf<Data> | null = null
  return {
    async open() {
      store = new Conf<Data>({
        cwd: dir,
        projectName: 'whatnext-bench',
        schema: jsonSchema,
        defaults: dataOf(blobs),
        cache: true,
      })
    },
    set: (i) => store!.set('blobs.k0', blob(i)),
    get: () => store!.get('blobs.k0'),
    async close() {
      store = null
    },
  }
}

async function measure(subject: Subject, blobs: number) {
  await subject.open()
  // Make the store its full size on disk first (defaults alone may not be written).
  await subject.set(-1)
  const durable: number[] = []
  const rounds = blobs >= 1000 ? 150 : 300
  for (let i = 0; i < rounds; i++) {
    const t0 = performance.now()
    await subject.set(i)
    durable.push(performance.now() - t0)
  }
  const t1 = performance.now()
  const burst: (Promise<void> | void)[] = []
  for (let i = 0; i < 1000; i++) burst.push(subject.set(10_000 + i))
  await Promise.all(burst)
  const set1000 = performance.now() - t1
  const gets: number[] = []
  let sink = 0
  for (let batch = 0; batch < 200; batch++) {
    const t0 = performance.now()
    for (let i = 0; i < 1000; i++) sink += (subject.get() as string).length
    // ms per 1000 gets is µs per get.
    gets.push(performance.now() - t0)
  }
  if (sink === 0) throw new Error('get returned nothing')
  await subject.close()
  const opens: number[] = []
  for (let i = 0; i < 7; i++) {
    const t0 = performance.now()
    await subject.open()
    opens.push(performance.now() - t0)
    await subject.close()
  }
  return {
    p50: percentile(durable, 50),
    p99: percentile(durable, 99),
    set1000,
    get: median(gets),
    open: median(opens),
  }
}

export const storeBenchmark: Benchmark = {
  id: 'store',
  names,
  async run(context: BenchContext): Promise<BenchResult[]> {
    const results: BenchResult[] = []
    for (const [size, blobs] of Object.entries(SIZES) as [Size, number][]) {
      const base = join(context.tmp, 'store', size)
      await rm(base, { recursive: true, force: true })
      await mkdir(base, { recursive: true })
      context.log(`  store ${size}: ours`)
      const a = await measure(ours(join(base, 'ours'), blobs), blobs)
      context.log(`  store ${size}: conf`)
      const b = await measure(conf(join(base, 'conf'), blobs), blobs)
      const figure = (
        name: string,
        value: number,
        baseline: number,
        unit: string,
      ): BenchResult => ({
        name,
        value: round(value),
        unit,
        better: 'lower',
        baseline: { name: 'conf', value: round(baseline) },
      })
      results.push(
        figure(`store.set_durable.${size}.p50_ms`, a.p50, b.p50, 'ms'),
        figure(`store.set_durable.${size}.p99_ms`, a.p99, b.p99, 'ms'),
        figure(`store.set_1000.${size}.total_ms`, a.set1000, b.set1000, 'ms'),
        figure(`store.get.${size}.p50_us`, a.get, b.get, 'µs'),
        figure(`store.open.${size}.ms`, a.open, b.open, 'ms'),
      )
      await rm(base, { recursive: true, force: true })
    }
    return results
  },
}
