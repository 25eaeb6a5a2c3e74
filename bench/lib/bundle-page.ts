/**
 * Bundles single-file browser pages with esbuild (minified, like production) into
 * `outDir`: for each entry `name → file.ts`, `name.js` and a `name.html` that loads it.
 * The sibling of `bundleWorkerPage` for pages without a worker.
 */
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { build, type Plugin } from 'esbuild'

/**
 * Treats @whatnext/core's files as having side effects. Core declares
 * `"sideEffects": false` and lazily imports its formats (`import('../formats/index.ts')`),
 * so esbuild (0.28) wraps modules such as `errors.ts` in lazy initialisers, then drops
 * the initialiser calls as side-effect free: the error classes are `undefined` at run time
 * (`UnavailableError is not a constructor`). Keeping the calls fixes that.
 */
const coreSideEffects: Plugin = {
  name: 'core-side-effects',
  setup(b) {
    b.onResolve({ filter: /.*/ }, async (args) => {
      if (args.pluginData === coreSideEffects) return undefined
      const resolved = await b.resolve(args.path, {
        kind: args.kind,
        importer: args.importer,
        resolveDir: args.resolveDir,
        pluginData: coreSideEffects,
      })
      if (resolved.errors.length > 0 || !resolved.path.includes('/packages/core/src/'))
        return undefined
      return { path: resolved.path, sideEffects: true }
    })
  },
}

export async function bundlePages(
  entries: Record<string, string>,
  outDir: string,
  title: string,
  options: { minify?: boolean } = {},
): Promise<void> {
  await mkdir(outDir, { recursive: true })
  await build({
    entryPoints: entries,
    outdir: outDir,
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: options.minify ?? true,
    legalComments: 'none',
    logLevel: 'warning',
    plugins: [coreSideEffects],
  })
  for (const name of Object.keys(entries)) {
    await writeFile(
      join(outDir, `${name}.html`),
      `<!doctype html><meta charset="utf-8"><title>${title}</title><link rel="icon" href="data:,"><script type="module" src="./${name}.js"></script>\n`,
    )
  }
}
