import type { UpdateBroadcast } from '@whatnext/core'

/**
 * Shares durable document updates with the other tabs of this browser profile over a
 * BroadcastChannel, so an edit in one tab shows in the others at once. Storage stays
 * the truth: a tab that misses a message still loads the update from IndexedDB.
 */
export function broadcastChannelUpdates(name: string): UpdateBroadcast {
  const channel = new BroadcastChannel(name)
  const listeners = new Set<(docId: string, update: Uint8Array) => void>()
  channel.onmessage = (event: MessageEvent<unknown>) => {
    const data = event.data as { docId?: unknown; update?: unknown } | null
    if (!data || typeof data.docId !== 'string' || !(data.update instanceof Uint8Array)) return
    for (const l of listeners) l(data.docId, data.update)
  }
  return {
    post: (docId, update) => channel.postMessage({ docId, update }),
    subscribe(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    close: () => channel.close(),
  }
}
