/**
 * Bundles the three Electron entries with esbuild into `dist/`:
 *
 * - `main.cjs` — the main process (`electron` external);
 * - `preload.cjs` — the sandboxed preload (CommonJS: sandboxed preloads cannot be ESM);
 * - `utility.cjs` — the engine's utility process, with core, storage and their deps.
 *
 * The web export is not copied: electron-builder takes `../web/out` as `web/` (see
 * electron-builder.config.cjs), and main finds it beside `dist/` in dev too.
 */
import { build as esbuild } from 'esbuild'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))

/** Builds into `outdir` (default `dist`); returns the output file paths. */
export async function build({ outdir = `${root}dist`, minify = false } = {}) {
  const common = {
    bundle: true,
    platform: 'node',
    target: 'node22',
    format: 'cjs',
    sourcemap: 'linked',
    minify,
    logLevel: 'warning',
    external: ['electron', 'electron-updater'],
    // Workspace packages import siblings with `.ts` extensions.
    resolveExtensions: ['.ts', '.js', '.mjs', '.json'],
    define: { 'process.env.NODE_ENV': JSON.stringify(minify ? 'production' : 'development') },
  }
  await Promise.all([
    esbuild({
      ...common,
      entryPoints: { main: `${root}src/main/main.ts` },
      outdir,
      outExtension: { '.js': '.cjs' },
    }),
    esbuild({
      ...common,
      entryPoints: { preload: `${root}src/preload/preload.ts` },
      outdir,
      outExtension: { '.js': '.cjs' },
    }),
    esbuild({
      ...common,
      external: [],
      entryPoints: { utility: `${root}src/utility/engine.utility.ts` },
      outdir,
      outExtension: { '.js': '.cjs' },
    }),
  ])
  return ['main.cjs', 'preload.cjs', 'utility.cjs'].map((f) => `${outdir}/${f}`)
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const files = await build({ minify: process.argv.includes('--minify') })
  console.log(`built ${files.join(', ')}`)
}
