import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { defineConfig } from 'vitest/config'
import { preactAliases } from './preact.mjs'

const require = createRequire(import.meta.url)
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')

export default defineConfig({
  resolve: {
    // Libraries' ES builds, so the aliases below reach their imports too.
    mainFields: ['module', 'browser', 'main'],
    alias: [
      // Testing Library's ES build (its CommonJS one would load React itself).
      {
        find: /^@testing-library\/react$/,
        replacement: join(
          dirname(require.resolve('@testing-library/react')),
          '@testing-library/react.esm.js',
        ),
      },
      // The components run on Preact, as in the web build.
      ...preactAliases.map(([name, target]) => ({
        find: new RegExp(`^${escape(name)}$`),
        replacement: target,
      })),
    ],
  },
  test: {
    include: ['src/**/*.test.{ts,tsx}'],
    environment: 'jsdom',
    setupFiles: ['./src/test-support/setup.ts'],
    testTimeout: 20_000,
    server: { deps: { inline: [/@testing-library\/react/, /cmdk/, /@dnd-kit/, /@radix-ui/] } },
  },
})
