/**
 * The engine reading files through a pool of real worker_threads parse workers: what
 * the web app does with Web Workers. Tracks arrive intact, a bad file's ImportError
 * crosses back as an ImportError naming file and line, and the engine carries on.
 */
import { Worker } from 'node:worker_threads'
import { afterEach, describe, expect, it } from 'vitest'
import { createWorkerPool, type WorkerPool } from '../bus/pool.ts'
import { nodePortTransport } from '../bus/transport.ts'
import { createEngine } from '../engine/engine.ts'
import { ImportError } from '../errors.ts'
import { systemClock } from '../ports.ts'
import { MemoryDocumentStore } from '@whatnext/storage/memory'
import { parseContract, type ParseContract } from './parse-contract.ts'

const clock = systemClock(globalThis)
const enc = new TextEncoder()
let pool: WorkerPool<ParseContract> | undefined
afterEach(() => pool?.close())

function startPool() {
  pool = createWorkerPool(
    parseContract,
    {
      spawn: () => {
        const worker = new Worker(new URL('./testing-parse-worker.mjs', import.meta.url))
        worker.on('error', () => undefined)
        return {
          transport: nodePortTransport(worker, { closePort: false }),
          terminate: () => worker.terminate(),
          onExit: (listener) => {
            worker.on('exit', listener)
            return () => worker.off('exit', listener)
          },
        }
      },
      clock,
    },
    { size: 1 },
  )
  return pool
}

describe('imports through the parse pool', () => {
  it('imports tracks parsed in a worker, and a broken file fails with its line', async () => {
    const parsers = startPool()
    const engine = await createEngine({
      documents: new MemoryDocumentStore(),
      clock,
      parse: (bytes, fileName) =>
        parsers.request('parse/playlist', { bytes: bytes as Uint8Array<ArrayBuffer>, fileName }),
    })
    const m3u = ['#EXTM3U', '#EXTINF:185,Massive Attack - Teardrop', '/m/teardrop.mp3'].join('\n')
    const result = await engine.importFile('mix.m3u', enc.encode(m3u))
    expect(engine.getPlaylist(result.playlistId).tracks[0]).toMatchObject({
      title: 'Teardrop',
      artists: ['Massive Attack'],
      durationMs: 185_000,
    })
    const error = await engine
      .importFile('broken.xspf', enc.encode('<playlist><trackList><track>'))
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ImportError)
    expect((error as ImportError).message).toContain('broken.xspf')
    expect(engine.listPlaylists()).toHaveLength(1)
    // The pool and the engine carry on.
    const again = await engine.importFile('b.m3u', enc.encode('/m/a.mp3\n/m/b.mp3\n'))
    expect(again.added).toBe(2)
    await engine.close()
  }, 30_000)
})
