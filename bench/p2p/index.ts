/**
 * p2p.*: two WhatNext peers in two Chromium profiles, connected with our stack (browser
 * libp2p node + sync service, joined through a local relay), against y-webrtc for the
 * edit latency. WebRTC may only run inside a network namespace the test creates, so the
 * work is done by `child.ts`, run through `scripts/with-netns.sh` (with
 * WITH_NETNS_OPTIONAL=1: without root or iproute2 it runs directly, relayed only).
 */
import { spawn } from 'node:child_process'
import { mkdir, readFile, rm } from 'node:fs/promises'
import { join } from 'node:path'
import type { BenchContext, BenchResult, Benchmark } from '../lib/types.ts'

/** The whole child run, set-up to tear-down, must finish within this. */
const CHILD_TIMEOUT_MS = 420_000

export const p2pBenchmark: Benchmark = {
  id: 'p2p',
  names: [
    'p2p.edit_to_peer.p50_ms',
    'p2p.edit_to_peer.p95_ms',
    'p2p.edit_to_peer.direct',
    'p2p.connect.ms',
    'p2p.dial.success_pct',
    'p2p.dial.direct_pct',
    'p2p.reconnect.ms',
    'p2p.join_10k.ms',
    'p2p.join_10k.total_ms',
    'p2p.join_10k.page_longest_task_ms',
    'p2p.join_10k.sync_ms',
  ],
  async run(context: BenchContext): Promise<BenchResult[]> {
    const tmp = join(context.tmp, 'p2p')
    const out = join(tmp, 'results.json')
    // Scratch of an earlier run (profiles left by a killed one, pages, results).
    await rm(tmp, { recursive: true, force: true })
    await mkdir(tmp, { recursive: true })
    const code = await new Promise<number | string>((resolve, reject) => {
      const child = spawn(
        'bash',
        [
          join(context.root, 'scripts/with-netns.sh'),
          process.execPath,
          '--import',
          'tsx',
          join(context.root, 'bench/p2p/child.ts'),
          '--out',
          out,
          '--tmp',
          tmp,
        ],
        {
          cwd: context.root,
          env: { ...process.env, WITH_NETNS_OPTIONAL: '1' },
          // The child's output is progress: stderr, so the table on stdout stays clean.
          stdio: ['ignore', 2, 2],
        },
      )
      let kill: ReturnType<typeof setTimeout> | undefined
      const timer = setTimeout(() => {
        context.log(`p2p: no result within ${CHILD_TIMEOUT_MS / 1000} s, stopping it`)
        child.kill('SIGTERM')
        kill = setTimeout(() => child.kill('SIGKILL'), 15_000)
      }, CHILD_TIMEOUT_MS)
      child.once('error', (error) => {
        clearTimeout(timer)
        reject(error)
      })
      child.once('exit', (exitCode, signal) => {
        clearTimeout(timer)
        clearTimeout(kill)
        resolve(exitCode ?? signal ?? 'unknown')
      })
    })
    if (code !== 0) throw new Error(`the p2p benchmark process failed (${code}); see above`)
    return JSON.parse(await readFile(out, 'utf8')) as BenchResult[]
  },
}
