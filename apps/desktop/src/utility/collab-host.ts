/**
 * The desktop's sync node, in the utility process next to the engine: libp2p (TCP and
 * WebSockets, circuit relay; WebRTC where node-datachannel is available), the sync
 * service and the engine bridge, the same modules the web page runs. Windows configure
 * it (they own the settings and the identity) and receive its snapshots.
 */
import {
  createEndpoint,
  EMPTY_COLLAB_SNAPSHOT,
  createTransportPair,
  engineContract,
  serveEngine,
  type Clock,
  type CollabConfig,
  type CollabSnapshotData,
  type Engine,
  type Logger,
} from '@whatnext/core'
import { startSyncRuntime, type Focus, type SyncRuntime } from '@whatnext/p2p'
import { createNode, privateKeyFromSettings } from '@whatnext/p2p/node'

/** The running node, as windows see it. */
export interface CollabHost {
  configure(config: CollabConfig): Promise<void>
  snapshot(): CollabSnapshotData
  focus(focus: { playlistId: string | null; trackId: string | null }): void
  reconnect(playlistId: string): void
  /** Called with every new snapshot. */
  onChange(listener: (snapshot: CollabSnapshotData) => void): () => void
  close(): Promise<void>
}

/** Creates the host over an opened engine; nothing runs until the first `configure`. */
export function createCollabHost(init: {
  engine: Engine
  clock: Clock
  logger: Logger
}): CollabHost {
  const { clock, logger } = init
  // The bridge speaks to the engine over the bus, as in the browser; here in-process.
  const [serverSide, clientSide] = createTransportPair()
  const server = createEndpoint(
    engineContract,
    { transport: serverSide, clock, logger },
    { name: 'engine→collab' },
  )
  const stopServing = serveEngine(init.engine, server)
  const client = createEndpoint(
    engineContract,
    { transport: clientSide, clock, logger },
    { name: 'collab' },
  )

  const listeners = new Set<(s: CollabSnapshotData) => void>()
  let snapshot = EMPTY_COLLAB_SNAPSHOT
  let config: CollabConfig | null = null
  let running: SyncRuntime | null = null
  let queue: Promise<void> = Promise.resolve()
  let focus: Focus = { playlistId: null, trackId: null }

  const set = (next: CollabSnapshotData) => {
    snapshot = next
    for (const l of listeners) l(next)
  }

  const start = async (c: CollabConfig): Promise<SyncRuntime> => {
    // WebRTC needs node-datachannel's native binary, which not every install has; the
    // node then reaches browsers through the relay (TCP/WebSockets, circuit relay).
    const node = await createNode({
      privateKey: privateKeyFromSettings(c.privateKey),
      relays: c.relays,
    })
    const runtime = await startSyncRuntime({
      node,
      engine: client,
      relays: () => c.relays,
      displayName: () => config?.displayName ?? '',
      friends: () => config?.friends ?? [],
      onChange: set,
      logger,
    })
    runtime.setFocus(focus)
    return runtime
  }

  const enqueue = (work: () => Promise<void>) => (queue = queue.then(work, work))

  return {
    configure(next) {
      return enqueue(async () => {
        if (config && JSON.stringify(config) === JSON.stringify(next)) return
        const keyChanged = config?.privateKey !== next.privateKey
        const netChanged =
          keyChanged || JSON.stringify(config?.relays) !== JSON.stringify(next.relays)
        config = next
        if (running && !netChanged) {
          running.refreshPresence()
          running.dialFriends()
          return
        }
        await running?.stop()
        running = null
        set({ ...EMPTY_COLLAB_SNAPSHOT, node: 'starting' })
        try {
          running = await start(next)
        } catch (error) {
          logger.error('the sync node failed to start', { error: String(error) })
          set({
            ...EMPTY_COLLAB_SNAPSHOT,
            node: 'failed',
            nodeError: String((error as Error).message ?? error),
          })
        }
      })
    },
    snapshot: () => snapshot,
    focus(next) {
      focus = next
      running?.setFocus(next)
    },
    reconnect(playlistId) {
      running?.reconnect(playlistId)
    },
    onChange(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    close() {
      return enqueue(async () => {
        await running?.stop()
        running = null
        stopServing()
        client.close()
        server.close()
        set(EMPTY_COLLAB_SNAPSHOT)
      })
    },
  }
}
