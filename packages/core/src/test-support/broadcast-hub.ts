import type { UpdateBroadcast } from '../ports.ts'

/** In-memory stand-in for BroadcastChannel: every member hears the others, asynchronously. */
export function createBroadcastHub() {
  const members = new Set<(docId: string, update: Uint8Array) => void>()
  return {
    join(): UpdateBroadcast {
      const own = new Set<(docId: string, update: Uint8Array) => void>()
      const deliver = (docId: string, update: Uint8Array) => {
        for (const l of own) l(docId, update)
      }
      members.add(deliver)
      return {
        post(docId, update) {
          for (const m of members) if (m !== deliver) queueMicrotask(() => m(docId, update.slice()))
        },
        subscribe(listener) {
          own.add(listener)
          return () => own.delete(listener)
        },
        close() {
          members.delete(deliver)
        },
      }
    },
  }
}
