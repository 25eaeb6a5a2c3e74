/**
 * Composition root of the desktop engine, run by Electron's `utilityProcess.fork` (and
 * by `child_process.fork` in tests): the library folder (`PlaintextLibrary`), the engine
 * and one bus endpoint per window port. Nothing else lives here.
 */
import { createEngine, systemClock, type Logger } from '@whatnext/core'
import { join } from 'node:path'
import { FsDocumentStore, PlaintextLibrary } from '@whatnext/storage/files'
import { FileSettingsBackend } from '@whatnext/storage/settings/file'
import { runUtilityHost } from './host.ts'
import { forkParentPort, type ParentPortLike } from './parent-port.ts'

// libp2p 3 needs Promise.withResolvers (Node 22+; Electron's Node has it).
const promiseStatics = Promise as unknown as { withResolvers?: unknown }
promiseStatics.withResolvers ??= function <T>() {
  let resolve!: (value: T | PromiseLike<T>) => void
  let reject!: (reason?: unknown) => void
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)))
  return { promise, resolve, reject }
}

const electronPort = (process as unknown as { parentPort?: ParentPortLike }).parentPort
const parentPort = electronPort ?? forkParentPort(process)
// Under plain Node, a parent that went away must not leave an orphan holding the library.
if (!electronPort) process.on('disconnect', () => process.exit(0))
const clock = systemClock(globalThis)
const logger: Logger = {
  debug: () => {},
  info: (message, data) => console.info(`[engine] ${message}`, data ?? ''),
  warn: (message, data) => console.warn(`[engine] ${message}`, data ?? ''),
  error: (message, data) => console.error(`[engine] ${message}`, data ?? ''),
}

void runUtilityHost({
  parentPort,
  clock,
  logger,
  exit: (code) => process.exit(code),
  async openEngine(init, onIssue) {
    const library = await PlaintextLibrary.open({
      dir: init.libraryDir,
      logger,
      onIssue,
      ...(init.actorId ? { actorId: init.actorId } : {}),
    })
    // Share records and their secrets stay in the app's data directory, never in the
    // library folder (which users read, back up and may put in git).
    const privateDocuments = await FsDocumentStore.open({
      dir: join(init.dataDir, 'private'),
      logger,
    })
    const engine = await createEngine(
      {
        documents: library.documents,
        privateDocuments,
        broadcast: library.broadcast,
        clock,
        logger,
      },
      init.actorId ? { actorId: init.actorId } : {},
    )
    // Every window's settings, on disk in the data directory (see the host).
    const settings = await FileSettingsBackend.open({ dir: join(init.dataDir, 'settings'), logger })
    return {
      engine,
      settings,
      async close() {
        await engine.close()
        await library.close()
        await privateDocuments.close()
      },
    }
  },
})
