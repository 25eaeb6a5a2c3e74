/**
 * The web build renders the UI with Preact (preact/compat) instead of React: the same
 * components, 55 KiB less JavaScript on the first page. These are the module names the
 * client bundle and the UI tests map, so the tests exercise what ships.
 * Server-side rendering at build time (the static export's HTML) keeps React.
 */
export const preactAliases = /** @type {const} */ ([
  ['react', 'preact/compat'],
  ['react-dom', 'preact/compat'],
  ['react-dom/client', 'preact/compat/client'],
  ['react-dom/test-utils', 'preact/test-utils'],
  ['react/jsx-runtime', 'preact/jsx-runtime'],
  ['react/jsx-dev-runtime', 'preact/jsx-dev-runtime'],
])
