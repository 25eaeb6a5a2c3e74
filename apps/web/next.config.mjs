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
  webpack(config) {
    // Workspace packages import siblings with explicit `.ts` extensions.
    config.resolve.extensionAlias = { '.js': ['.ts', '.tsx', '.js'] }
    return config
  },
}

export default nextConfig
