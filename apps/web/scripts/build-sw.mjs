// Builds the service worker over the static export: every asset precached (offline
// after the first visit), navigations answered from the cached shell, and a new
// version waits for the user's "Reload" (skipWaiting on message) instead of taking over.
import { generateSW } from 'workbox-build'

const { count, size, warnings } = await generateSW({
  globDirectory: 'out',
  globPatterns: ['**/*.{html,js,css,png,svg,ico,webmanifest,json,txt,woff2}'],
  swDest: 'out/sw.js',
  navigateFallback: '/index.html',
  navigateFallbackDenylist: [/^\/_next\//, /\/[^/?]+\.[^/]+$/],
  // Next's client router asks for `/?_rsc=…` payloads; the precached file answers them.
  ignoreURLParametersMatching: [/^_rsc$/, /^utm_/],
  cleanupOutdatedCaches: true,
  clientsClaim: true,
  skipWaiting: false,
  maximumFileSizeToCacheInBytes: 8 * 1024 * 1024,
  sourcemap: false,
  inlineWorkboxRuntime: true,
  mode: 'production',
})
for (const w of warnings) console.warn(w)
console.log(`service worker: ${count} files precached (${(size / 1024).toFixed(0)} KiB)`)
