import { readFileSync } from 'node:fs'

const { version } = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'))

/** Static export: the same bundle serves the PWA and, later, the desktop app (app://). */
const nextConfig = {
  output: 'export',
  reactStrictMode: true,
  poweredByHeader: false,
  images: { unoptimized: true },
  env: { NEXT_PUBLIC_APP_VERSION: version },
  transpilePackages: ['@whatnext/core', '@whatnext/p2p', '@whatnext/storage', '@whatnext/ui'],
  webpack(config, { isServer }) {
    // Workspace packages import siblings with explicit `.ts` extensions.
    config.resolve.extensionAlias = { '.js': ['.ts', '.tsx', '.js'] }
    if (!isServer) {
      keepWorkersApart(config.optimization.splitChunks)
      config.plugins.push(new StartupCompileHints())
    }
    return config
  },
}

/**
 * Splits only the page's chunks into shared chunks, not the workers' (the engine and
 * parser workers have runtimes of their own). A chunk shared by the page and the engine
 * held each module whole, with the exports either side used: the page downloaded and
 * parsed code only the engine runs (the settings store's writing half, zod checks the
 * page never makes). Each worker now loads as one script with just what it uses.
 */
function keepWorkersApart(splitChunks) {
  if (!splitChunks || typeof splitChunks.chunks !== 'function') return
  const chosen = splitChunks.chunks
  splitChunks.chunks = (chunk) => onPage(chunk) && chosen(chunk)
}

/** Whether a chunk belongs to the page (Next's runtime is named webpack), not a worker. */
function onPage(chunk) {
  const runtimes = typeof chunk.runtime === 'string' ? [chunk.runtime] : [...(chunk.runtime ?? [])]
  return runtimes.every((runtime) => runtime === 'webpack')
}

/** The chunk group MainLoader's dynamic import of the app makes (its webpackChunkName). */
const APP_CHUNK_GROUP = 'whatnext-app'
/** V8's explicit compile hint: compile every function of this script eagerly. */
const COMPILE_HINT = '//# allFunctionsCalledOnLoad\n'

/**
 * Marks the scripts the first page runs while it starts (React, Next, the page, and the
 * app MainLoader fetches after the first paint) with V8's explicit compile hint. V8
 * otherwise compiles a function only when it is first called, on the main thread, so
 * the webpack module factories and React's renderer were compiled in the middle of the
 * startup tasks; with the hint they are compiled with the script, which Chromium streams
 * and compiles off the main thread while it downloads. Measured with the CPU slowed 4x:
 * the long tasks' blocking time fell from 310-460 ms to 95-170 ms. Other browsers
 * ignore the comment. Chunks loaded later (importers, dialogs) and the workers keep
 * V8's lazy compilation.
 */
class StartupCompileHints {
  apply(compiler) {
    const { Compilation, sources } = compiler.webpack
    compiler.hooks.thisCompilation.tap('StartupCompileHints', (compilation) => {
      compilation.hooks.processAssets.tap(
        // After minification (which would drop the comment), before source maps and hashes.
        { name: 'StartupCompileHints', stage: Compilation.PROCESS_ASSETS_STAGE_OPTIMIZE_SIZE + 1 },
        () => {
          const startup = new Set(compilation.namedChunkGroups.get(APP_CHUNK_GROUP)?.chunks ?? [])
          if (startup.size === 0)
            throw new Error(`StartupCompileHints: no chunk group named ${APP_CHUNK_GROUP}`)
          for (const chunk of compilation.chunks)
            if (chunk.canBeInitial() && onPage(chunk)) startup.add(chunk)
          for (const chunk of startup)
            for (const file of chunk.files)
              if (file.endsWith('.js'))
                compilation.updateAsset(
                  file,
                  (source) => new sources.ConcatSource(COMPILE_HINT, source),
                )
        },
      )
    })
  }
}

export default nextConfig
