/**
 * A separate process writing to a file-backed settings store, for the crash and
 * multi-process tests (`file-backend.node.test.ts`, `crash.node.test.ts`). Run with
 * Node's type stripping: `node --experimental-strip-types writer.child.ts <mode> <dir> …`.
 *
 * - `crash <dir>`: commits `{ counter: n, check: checkOf(n), pad }` straight to the
 *   backend for n = 1, 2, … forever, two at a time, printing `ack <n>` once each is
 *   durable. (The backend alone: it starts in a third of the time the store with zod
 *   takes, and a hundred processes are started.)
 * - `keys <dir> <prefix> <count>`: through the store, sets `tags.<prefix><i>` for
 *   i < count in bursts of 5, then exits.
 */
import { FileSettingsBackend } from './file-backend.ts'

/** What `check` must be for a given `counter`: a torn or mixed state would not match. */
export function checkOf(n: number): string {
  return `check-${(n * 2654435761) % 4294967296}`
}

/** The crash writer's data when nothing is stored yet. */
export const crashDefaults = { counter: 0, check: checkOf(0), pad: '', tags: {} }

async function main(argv: string[]) {
  const [mode, dir, prefix = 'p', count = '100'] = argv
  const backend = await FileSettingsBackend.open({
    dir: dir!,
    compactBytes: 4096,
    idleCompactMs: 0,
    watch: mode !== 'crash',
  })
  if (mode === 'crash') {
    const { state } = await backend.load()
    let n = (state?.data.counter as number | undefined) ?? 0
    process.stdout.write('ready\n')
    for (;;) {
      const writes = [1, 2].map(async (step) => {
        const k = n + step
        await backend.commit((latest) => ({
          at: Date.now(),
          ...(latest ? {} : { replace: { version: 1, data: crashDefaults } }),
          changes: [
            { path: ['counter'], after: k },
            { path: ['check'], after: checkOf(k) },
            { path: ['pad'], after: String(k).repeat(300) },
          ],
          retain: { maxEntries: 20, maxAgeMs: 3_600_000 },
        }))
        process.stdout.write(`ack ${k}\n`)
      })
      n += 2
      await Promise.all(writes)
    }
  }
  const { z } = await import('zod')
  const { createSettingsStore } = await import('../store.ts')
  const store = await createSettingsStore({
    schema: z.object({
      counter: z.number().int(),
      check: z.string(),
      pad: z.string(),
      tags: z.record(z.string(), z.string()),
    }),
    defaults: crashDefaults,
    backend,
  })
  process.stdout.write('ready\n')
  const total = Number(count)
  for (let i = 0; i < total; i += 5) {
    const burst: Promise<void>[] = []
    for (let j = i; j < Math.min(total, i + 5); j++)
      burst.push(store.set(`tags.${prefix}${j}`, String(j)))
    await Promise.all(burst)
  }
  await store.close()
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop()!))
  await main(process.argv.slice(2))
