/**
 * Crash safety and multi-process writing of the file backend, with real processes:
 * a writer SIGKILLed at random moments a hundred times, and two writers at once.
 * Children run `writer.child.ts` under Node's type stripping (Node 22.6+).
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { z } from 'zod'
import { createSettingsStore } from '../store.ts'
import { FileSettingsBackend } from './file-backend.ts'
import { checkOf, crashDefaults } from './writer.child.ts'

const child = fileURLToPath(new URL('./writer.child.ts', import.meta.url))
const dirs: string[] = []
afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })))
})

function startWriter(args: string[]): { process: ChildProcess; output: () => string } {
  const proc = spawn(
    process.execPath,
    ['--experimental-strip-types', '--no-warnings', child, ...args],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  )
  let out = ''
  let err = ''
  proc.stdout!.setEncoding('utf8').on('data', (chunk: string) => (out += chunk))
  proc.stderr!.setEncoding('utf8').on('data', (chunk: string) => (err += chunk))
  return { process: proc, output: () => out + (err ? `\n[stderr] ${err}` : '') }
}

function exited(proc: ChildProcess): Promise<number | null> {
  if (proc.exitCode !== null || proc.signalCode !== null) return Promise.resolve(proc.exitCode)
  return new Promise((resolve) => proc.once('exit', (exitCode) => resolve(exitCode)))
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

describe('FileSettingsBackend across processes', () => {
  it('survives a writer killed with SIGKILL at random moments: always loads, no acknowledged write lost', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'whatnext-crash-'))
    dirs.push(dir)
    let acknowledged = 0
    let killedWhileWriting = 0
    for (let round = 0; round < 100; round++) {
      const writer = startWriter(['crash', dir])
      // Most kills land while it writes (and compacts, every few writes); some while
      // it is still opening and recovering from the previous kill.
      if (round % 5 === 0) await sleep(Math.random() * 60)
      else {
        const started = Date.now()
        while (!writer.output().includes('ready\n')) {
          if (Date.now() - started > 10_000 || writer.process.exitCode !== null)
            throw new Error(`writer did not start: ${writer.output()}`)
          await sleep(2)
        }
        await sleep(Math.random() * 25)
        killedWhileWriting++
      }
      writer.process.kill('SIGKILL')
      await exited(writer.process)
      const acks = writer
        .output()
        .split('\n')
        .filter((line) => /^ack \d+$/.test(line))
        .map((line) => Number(line.slice(4)))
      acknowledged = Math.max(acknowledged, ...acks)

      const backend = await FileSettingsBackend.open({ dir, watch: false, idleCompactMs: 0 })
      const load = await backend.load()
      const data = load.state?.data ?? crashDefaults
      const counter = data.counter as number
      // Equals a state some write produced, in full, and nothing acknowledged is missing.
      expect(load.recovered, `round ${round}`).toBeUndefined()
      expect(counter, `round ${round}: ${writer.output().slice(-200)}`).toBeGreaterThanOrEqual(
        acknowledged,
      )
      // At most the two writes in flight when it was killed are there unacknowledged.
      expect(counter).toBeLessThanOrEqual(acknowledged + 2)
      expect(data.check).toBe(checkOf(counter))
      expect(data.pad).toBe(counter === 0 ? '' : String(counter).repeat(300))
      acknowledged = counter
      await backend.close()
    }
    expect(killedWhileWriting).toBe(80)
    expect(acknowledged).toBeGreaterThan(100)
  }, 90_000)

  it('loses no write when two processes write to one store at once', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'whatnext-two-'))
    dirs.push(dir)
    const writers = ['a', 'b'].map((prefix) => startWriter(['keys', dir, prefix, '100']))
    const codes = await Promise.all(writers.map((w) => exited(w.process)))
    expect(codes, writers.map((w) => w.output()).join('\n')).toEqual([0, 0])
    const store = await createSettingsStore({
      schema: z.object({
        counter: z.number(),
        check: z.string(),
        pad: z.string(),
        tags: z.record(z.string(), z.string()),
      }),
      defaults: crashDefaults,
      backend: await FileSettingsBackend.open({ dir, watch: false }),
    })
    const tags = store.get('tags')
    expect(Object.keys(tags)).toHaveLength(200)
    for (let i = 0; i < 100; i++) {
      expect(tags[`a${i}`]).toBe(String(i))
      expect(tags[`b${i}`]).toBe(String(i))
    }
    await store.close()
  }, 30_000)
})
