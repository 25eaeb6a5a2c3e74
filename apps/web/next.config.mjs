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
    if (!isServer) keepWorkersApart(config.optimization.splitChunks)
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
  const onPage = (chunk) =>
    (typeof chunk.runtime === 'string' ? [chunk.runtime] : [...(chunk.runtime ?? [])]).every(
      (runtime) => runtime === 'webpack',
    )
  splitChunks.chunks = (chunk) => onPage(chunk) && chosen(chunk)
}

export default nextConfig
