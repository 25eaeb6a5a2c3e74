/**
 * `whtnxt://join/<token>` links, from the three places they arrive: `open-url` (macOS),
 * the argv of a second instance (Windows, Linux: the OS starts the app again and the
 * single-instance lock hands the argv to the first), and the argv of a cold start. All
 * three go through one router, which holds links until a window is ready for them.
 */

/** The protocol registered with the OS. PERSISTED NAME: links in the wild use it. */
export const LINK_SCHEME = 'whtnxt'

/** A link the app acts on. */
export type DeepLink = { kind: 'join'; token: string }

/** Longest token accepted (a token holds a peer id, a few multiaddrs and a secret). */
const MAX_TOKEN = 4096

/** Reads a `whtnxt://` URL; anything else (or malformed) is `null`. */
export function parseDeepLink(raw: string): DeepLink | null {
  if (typeof raw !== 'string' || raw.length > MAX_TOKEN + 64) return null
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    return null
  }
  if (url.protocol !== `${LINK_SCHEME}:`) return null
  // `whtnxt://join/<token>` parses with host "join"; tolerate `whtnxt:join/<token>` and a fragment.
  const path = `${url.host}${url.pathname}`.replace(/^\/+/, '')
  const match = /^join\/?(.*)$/.exec(path)
  if (!match) return null
  const token = (match[1] || url.hash.slice(1)).replace(/\/+$/, '')
  if (!token || token.length > MAX_TOKEN || !/^[A-Za-z0-9_.~-]+$/.test(token)) return null
  return { kind: 'join', token }
}

/** The first `whtnxt://` argument of a command line (Windows and Linux pass links this way). */
export function deepLinkFromArgv(argv: readonly string[]): DeepLink | null {
  for (const arg of argv) {
    if (!arg.toLowerCase().startsWith(`${LINK_SCHEME}:`)) continue
    const link = parseDeepLink(arg)
    if (link) return link
  }
  return null
}

/** Where the router delivers links. */
export interface DeepLinkTarget {
  /** Shows and focuses the window that will handle the link (creating it if needed). */
  focus(): void
  /** Hands the link to the window. */
  open(link: DeepLink): void
}

/** Routes links from every entry path; see the module comment. */
export interface DeepLinkRouter {
  /** macOS `open-url` (call `event.preventDefault()` yourself). */
  onOpenUrl(url: string): void
  /** `second-instance`: another launch's argv. Focuses the app even without a link. */
  onSecondInstance(argv: readonly string[]): void
  /** This process's own argv at a cold start. */
  onColdStart(argv: readonly string[]): void
  /** A window can take links now; held ones are delivered. */
  ready(target: DeepLinkTarget): void
  /** Links received and not yet delivered. */
  pending(): readonly DeepLink[]
}

/** Creates the router. `onInvalid` hears links that were refused (for the log). */
export function createDeepLinkRouter(
  init: { onInvalid?: (raw: string) => void } = {},
): DeepLinkRouter {
  const held: DeepLink[] = []
  let target: DeepLinkTarget | null = null
  const deliver = (link: DeepLink | null, raw?: string) => {
    if (!link) {
      if (raw !== undefined) init.onInvalid?.(raw)
      return
    }
    if (!target) {
      held.push(link)
      return
    }
    target.focus()
    target.open(link)
  }
  return {
    onOpenUrl: (url) => deliver(parseDeepLink(url), url),
    onSecondInstance(argv) {
      const link = deepLinkFromArgv(argv)
      if (!link) target?.focus()
      deliver(link)
    },
    onColdStart: (argv) => deliver(deepLinkFromArgv(argv)),
    ready(next) {
      target = next
      for (const link of held.splice(0)) deliver(link)
    },
    pending: () => [...held],
  }
}
