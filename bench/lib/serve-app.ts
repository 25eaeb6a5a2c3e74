import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import type { Browser } from 'playwright-core'
import { launchChromium } from './chromium.ts'

/** A running scripts/serve.mjs over apps/web/out. */
export interface AppServer {
  /** e.g. `http://127.0.0.1:41234/` */
  url: string
  close(): Promise<void>
}

/** The production build the web benchmarks load; throws if it has not been built. */
export function appOutDir(root: string): string {
  const out = join(root, 'apps/web/out')
  if (!existsSync(join(out, 'index.html')))
    throw new Error(
      `apps/web/out/index.html is missing: build the app first (npm run bench builds it, or ` +
        `npx turbo run build --filter=@whatnext/web)`,
    )
  return out
}

/** Spawns scripts/serve.mjs on a free loopback port and waits until it listens. */
export async function serveApp(root: string): Promise<AppServer> {
  const outDir = appOutDir(root)
  const child = spawn(
    process.execPath,
    [join(root, 'scripts/serve.mjs'), '--port', '0', '--host', '127.0.0.1', '--root', outDir],
    { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
  )
  let output = ''
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill()
      reject(new Error(`serve.mjs did not start within 15 s:\n${output}`))
    }, 15_000)
    const onData = (chunk: Buffer) => {
      output += String(chunk)
      const match = /:(\d+)\//.exec(output)
      if (match) {
        clearTimeout(timer)
        resolve(Number(match[1]))
      }
    }
    child.stdout.on('data', onData)
    child.stderr.on('data', (chunk: Buffer) => (output += String(chunk)))
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`serve.mjs exited (${code}) before listening:\n${output}`))
    })
  })
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve()
        const timer = setTimeout(() => {
          child.kill('SIGKILL')
          resolve()
        }, 5_000)
        child.once('exit', () => {
          clearTimeout(timer)
          resolve()
        })
        child.kill('SIGTERM')
      }),
  }
}

/** Serves the production build and opens Chromium for `use`; both are closed after it. */
export async function withAppInChromium<T>(
  root: string,
  use: (url: string, browser: Browser) => Promise<T>,
): Promise<T> {
  const server = await serveApp(root)
  try {
    const browser = await launchChromium()
    try {
      return await use(server.url, browser)
    } finally {
      await browser.close()
    }
  } finally {
    await server.close()
  }
}
