/**
 * The plaintext library under SIGKILL, with real processes: a writer (the engine on a
 * library, `library-writer.child.ts`) is killed at random moments, mid-append and
 * mid-Markdown-rewrite; every reopen must load, hold every acknowledged edit, and leave a
 * Markdown file that is complete and current.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createEngine, parsePlaylist, systemClock } from '@whatnext/core'
import { afterAll, describe, expect, it } from 'vitest'
import { TEMP_PREFIX } from './durable.ts'
import { PlaintextLibrary } from './plaintext-library.ts'

const child = fileURLToPath(new URL('./library-writer.child.ts', import.meta.url))
const dirs: string[] = []
afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })))
})
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

function startWriter(dir: string): { process: ChildProcess; output: () => string } {
  const proc = spawn(
    process.execPath,
    ['--experimental-transform-types', '--no-warnings', child, dir],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  )
  let out = ''
  proc.stdout!.setEncoding('utf8').on('data', (c: string) => (out += c))
  proc.stderr!.setEncoding('utf8').on('data', (c: string) => (out += `[stderr] ${c}`))
  return { process: proc, output: () => out }
}

describe('PlaintextLibrary under SIGKILL', () => {
  it('loses no acknowledged edit and leaves complete Markdown, over 20 kills', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'whatnext-library-crash-'))
    dirs.push(dir)
    let acknowledged = 0
    for (let round = 0; round < 20; round++) {
      const writer = startWriter(dir)
      const started = Date.now()
      while (!writer.output().includes('ready\n')) {
        if (Date.now() - started > 15_000 || writer.process.exitCode !== null)
          throw new Error(`writer did not start: ${writer.output()}`)
        await sleep(5)
      }
      await sleep(5 + Math.random() * 40)
      writer.process.kill('SIGKILL')
      await new Promise((r) =>
        writer.process.exitCode !== null ? r(null) : writer.process.once('exit', r),
      )
      const acks = [...writer.output().matchAll(/^ack (\d+)$/gm)].map((m) => Number(m[1]))
      acknowledged = Math.max(acknowledged, ...acks)

      const library = await PlaintextLibrary.open({ dir, watch: false })
      const engine = await createEngine({
        documents: library.documents,
        broadcast: library.broadcast,
        clock: systemClock(globalThis),
      })
      const [playlist] = engine.listPlaylists()
      const titles = engine.getPlaylist(playlist!.id).tracks.map((t) => t.title)
      const numbers = titles.map((t) => Number(t.slice(1)))
      for (let k = 1; k <= acknowledged; k++)
        expect(numbers.includes(k), `round ${round}: t${k} was acknowledged`).toBe(true)
      // The Markdown, rewritten at open, is complete and says what the log says.
      const files = await readdir(dir)
      expect(files.filter((f) => f.startsWith(TEMP_PREFIX))).toEqual([])
      const md = await readFile(join(dir, 'Crash test.md'))
      // A kill before the first track leaves a playlist with none, which an import refuses.
      if (titles.length === 0) expect(md.toString('utf8')).toContain('Crash test')
      else expect(parsePlaylist(md, 'Crash test.md').tracks.map((t) => t.title)).toEqual(titles)
      acknowledged = titles.length
      await engine.close()
      await library.close()
    }
    expect(acknowledged).toBeGreaterThan(20)
  }, 90_000)
})
