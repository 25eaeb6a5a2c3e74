import { readFileSync } from 'node:fs'
import { preactAliases } from '@whatnext/ui/preact.mjs'

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
    // The browser bundle renders with Preact (see @whatnext/ui/preact.mjs); the static
    // export's HTML is still rendered by React at build time.
    if (!isServer)
      for (const [name, target] of preactAliases) config.resolve.alias[`${name}$`] = target
    return config
  },
}

export default nextConfig
