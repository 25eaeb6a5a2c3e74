/**
 * Bundles a benchmark's `page.ts` and `worker.ts` (in `dir`) with esbuild into `outDir`,
 * with an index.html that loads the page: what the browser benchmarks of the bus serve.
 */
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { build } from 'esbuild'

export async function bundleWorkerPage(dir: string, outDir: string, title: string) {
  await mkdir(outDir, { recursive: true })
  await build({
    entryPoints: { page: join(dir, 'page.ts'), worker: join(dir, 'worker.ts') },
    outdir: outDir,
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    legalComments: 'none',
    logLevel: 'warning',
  })
  await writeFile(
    join(outDir, 'index.html'),
    `<!doctype html><meta charset="utf-8"><title>${title}</title><script type="module" src="./page.js"></script>\n`,
  )
}
