/**
 * The host's collaboration service in React: {@link useCollab} gives the source (null
 * when the host offers no sharing) and {@link useCollabSnapshot} its current snapshot,
 * re-rendering whenever the host publishes a new one.
 */
import { createContext, useCallback, useContext, useSyncExternalStore, type ReactNode } from 'react'
import { EMPTY_COLLAB, type CollabSnapshot, type CollabSource } from './types'

const CollabContext = createContext<CollabSource | null>(null)

/** Props of {@link CollabProvider}. */
export interface CollabProviderProps {
  source: CollabSource | null | undefined
  children: ReactNode
}

/** Makes `source` available below it (absent: no sharing UI). */
export function CollabProvider({ source, children }: CollabProviderProps) {
  return <CollabContext.Provider value={source ?? null}>{children}</CollabContext.Provider>
}

/** The collaboration source, or null when the host offers none. */
export function useCollab(): CollabSource | null {
  return useContext(CollabContext)
}

/** The current collaboration snapshot ({@link EMPTY_COLLAB} without a source). */
export function useCollabSnapshot(): CollabSnapshot {
  const source = useCollab()
  // Called as methods: a host may implement the source as a class.
  const subscribe = useCallback(
    (listener: () => void) => (source ? source.subscribe(listener) : () => {}),
    [source],
  )
  const get = useCallback(() => (source ? source.getSnapshot() : EMPTY_COLLAB), [source])
  return useSyncExternalStore(subscribe, get)
}

/** `12D3…a1b2c3`: enough of a peer id to tell people apart (they all start alike). */
export function shortPeerId(peerId: string): string {
  return peerId.length > 14 ? `${peerId.slice(0, 4)}…${peerId.slice(-6)}` : peerId
}

/** Up to two initials of a display name, for an avatar. */
export function initials(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean)
  if (words.length === 0) return '?'
  const letters =
    words.length === 1
      ? [...words[0]!].slice(0, 2)
      : [words[0]!, words.at(-1)!].map((w) => [...w][0]!)
  return letters.join('').toUpperCase()
}
