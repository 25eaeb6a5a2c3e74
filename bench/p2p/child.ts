/**
 * The p2p benchmark proper, run by `index.ts` inside a network namespace of its own
 * (`scripts/with-netns.sh`): relay, static server, y-webrtc signalling and both Chromium
 * profiles all live in that namespace, on 127.0.0.1 (WebRTC host candidates on its
 * 10.200.0.x veth addresses). With WHATNEXT_NO_NETNS=1 (no namespace possible) WebRTC is
 * off: our peers connect through the relay only and the y-webrtc baseline is skipped.
 *
 *   node --import tsx bench/p2p/child.ts --out <results.json> --tmp <dir>
 *
 * Writes the figures (BenchResult[]) to --out. Every wait is bounded; browsers, servers
 * and the relay are closed on the way out, also on failure.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { chromium, type BrowserContext, type Page } from 'playwright-core'
import { createRelay, type Relay } from '@whatnext/p2p/relay'
import { bundlePages } from '../lib/bundle-page.ts'
import { chromiumFlags, chromiumPath, webrtcFlags } from '../lib/chromium.ts'
import { serveApp } from '../lib/serve-app.ts'
import { serveDir } from '../lib/static-server.ts'
import { median, percentile, round } from '../lib/stats.ts'
import type { BenchResult } from '../lib/types.ts'
import { appJoin, type AppJoinRun } from './app-join.ts'
import type { JoinResult } from './shared.ts'
import { startSignalling } from './signalling.ts'

const here = fileURLToPath(new URL('.', import.meta.url))

/** Edits timed per stack (after WARMUP untimed ones). */
const EDITS = 200
const WARMUP = 10
/** How long the edit loop waits for a relayed join to move onto WebRTC. */
const DIRECT_WAIT_MS = 30_000
/** Edits in a row on one stack before the other takes its turn. */
const EDIT_BLOCK = 10
/**
 * Each edit is made this long after the harness asked for it, from a timer in A's page:
 * by then A's answer and the harness's next call (to B, to wait for the edit) have gone
 * over CDP, so the timed interval holds the edit's way to the peer and nothing of the
 * harness's. Made at once, the harness's traffic raced the edit through both browsers.
 */
const EDIT_DELAY_MS = 20
/**
 * Dials for `p2p.connect.ms` / `p2p.dial.success_pct`. P2P_BENCH_DIALS overrides it, for
 * quicker iterations on the edit figures only (the dial figures then cover fewer dials).
 */
const DIALS = Number(process.env.P2P_BENCH_DIALS ?? 100)
/**
 * P2P_BENCH_EDITS_ONLY=1 stops after the two edit loops (ours and y-webrtc): quicker
 * iterations on `p2p.edit_to_peer.*`. Reconnect and 10k-join figures are then absent.
 */
const EDITS_ONLY = process.env.P2P_BENCH_EDITS_ONLY === '1'
/**
 * A dial succeeds if the join is synced within this (the service's default dial timeout;
 * joins use the service's own dial timeout, retries and backoff).
 */
const DIAL_BUDGET_MS = 10_000
/** The dial phase stops early after this long (the figure then covers fewer dials). */
const DIAL_PHASE_MS = 100_000
const RECONNECTS = 10
/** The reconnect phase starts no new drop after this long (the median then covers fewer). */
const RECONNECT_PHASE_MS = 60_000
/** One reconnect fails if the joiner is not synced again within this. */
const RECONNECT_BUDGET_MS = 30_000
const BIG_TRACKS = 10_000
const BIG_RUNS = 5
/** Joins of a 10k playlist in the real app (fresh profiles each). */
const APP_RUNS = 3

const log = (message: string) => console.error(`  p2p ${message}`)

/** Rejects if `promise` takes longer than `ms` (page.evaluate has no timeout of its own). */
function bounded<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms)
    }),
  ]).finally(() => clearTimeout(timer))
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** Offset of a page's `clock()` from this process's, from the round trip with the least delay. */
async function clockOffset(page: Page): Promise<{ offset: number; uncertainty: number }> {
  let best = { offset: 0, uncertainty: Infinity }
  for (let i = 0; i < 30; i++) {
    const t0 = performance.timeOrigin + performance.now()
    const remote = await bounded(
      page.evaluate(() => performance.timeOrigin + performance.now()),
      5_000,
      'clock',
    )
    const t1 = performance.timeOrigin + performance.now()
    if ((t1 - t0) / 2 < best.uncertainty)
      best = { offset: remote - (t0 + t1) / 2, uncertainty: (t1 - t0) / 2 }
  }
  return best
}

interface Env {
  webrtc: boolean
  relayAddr: string
  url: string
  a: Page
  b: Page
  contexts: BrowserContext[]
}

async function openProfile(
  env: { webrtc: boolean; url: string; dirs: string[]; contexts: BrowserContext[] },
  name: string,
  tmp: string,
): Promise<Page> {
  const dir = await mkdtemp(join(tmp, `profile-${name}-`))
  env.dirs.push(dir)
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: chromiumPath,
    // Without a namespace WebRTC is off in the pages; no UDP either, to be sure.
    // In the namespace: host candidates as they are; elsewhere no UDP (relayed only).
    args: [...chromiumFlags, ...webrtcFlags],
    headless: true,
    timeout: 60_000,
  })
  env.contexts.push(context)
  const page = context.pages()[0] ?? (await context.newPage())
  page.on('pageerror', (error) => log(`page ${name} error: ${error.stack ?? error.message}`))
  page.on('console', (m) => {
    if (m.type() === 'error') log(`page ${name} console: ${m.text()}`)
  })
  await page.goto(`${env.url}index.html`, { timeout: 30_000 })
  await page.waitForFunction(() => 'p2pBench' in window, null, { timeout: 15_000 })
  return page
}

async function dialPhase(env: Env, hostId: string, joinerId: string, secret: number[]) {
  const results: JoinResult[] = []
  const deadline = Date.now() + DIAL_PHASE_MS
  for (let i = 0; i < DIALS && Date.now() < deadline; i++) {
    const r = await bounded(
      env.b.evaluate((init) => window.p2pBench.join(init), {
        playlistId: 'empty',
        hostPeerId: hostId,
        relays: [env.relayAddr],
        secret,
        timeoutMs: DIAL_BUDGET_MS,
        watch: false,
      }),
      DIAL_BUDGET_MS + 5_000,
      'join',
    )
    results.push(r)
    if (!r.ok) log(`dial ${i + 1} failed: ${r.error ?? '?'} (state ${r.state})`)
    else if (env.webrtc && r.state !== 'direct')
      log(`dial ${i + 1}: synced in ${r.syncedMs.toFixed(0)} ms but ${r.state}, not over WebRTC`)
    const closed = await bounded(
      env.b.evaluate(([id]) => window.p2pBench.leave('empty', id!), [hostId]),
      10_000,
      'leave',
    )
    if (!closed) log(`dial ${i + 1}: a connection to the host is still open after hangUp`)
    // The host's side too, so that every dial starts from no connection at all.
    await bounded(
      env.a.evaluate(([id]) => window.p2pBench.dropPeer(id!), [joinerId]),
      10_000,
      'host hangUp',
    )
    if ((i + 1) % 20 === 0) {
      const ok = results.filter((x) => x.ok)
      log(
        `dials ${i + 1}/${DIALS}: ${ok.length} ok, median ${median(ok.map((x) => x.syncedMs)).toFixed(0)} ms, ` +
          `${ok.filter((x) => x.state === 'direct').length} direct`,
      )
    }
  }
  if (results.length < DIALS)
    log(`dial phase stopped after ${DIAL_PHASE_MS / 1000} s: ${results.length} dials made`)
  return results
}

/** One stack's edit on peer A, and the wait until peer B's doc observed it. */
interface EditStack {
  edit(i: number): Promise<unknown>
  waitSeen(i: number): Promise<number>
}

/** Edit `i` on A, then its latency once B's doc observed it (≤ 10 s). */
async function timedEdit(stack: EditStack, i: number): Promise<number> {
  await bounded(stack.edit(i), 5_000, 'edit')
  return bounded(stack.waitSeen(i), 10_000, 'waitSeen')
}

/**
 * Sequential edits, WARMUP + EDITS per stack: blocks of EDIT_BLOCK edits alternate
 * between the stacks (and which one starts the pair of blocks alternates), so drift over
 * the minutes the loop takes falls on both alike. Returns the latencies after warm-up.
 */
async function interleavedEdits(
  ours: EditStack,
  theirs: EditStack | undefined,
): Promise<[number[], number[] | undefined]> {
  const stacks = theirs ? [ours, theirs] : [ours]
  const samples = stacks.map(() => [] as number[])
  for (let from = 0; from < WARMUP + EDITS; from += EDIT_BLOCK) {
    const order = stacks.map((_, s) => s)
    if ((from / EDIT_BLOCK) % 2 === 1) order.reverse()
    for (const s of order)
      for (let i = from; i < Math.min(from + EDIT_BLOCK, WARMUP + EDITS); i++) {
        const latency = await timedEdit(stacks[s]!, i)
        if (i >= WARMUP) samples[s]!.push(latency)
      }
  }
  return [samples[0]!, samples[1]]
}

async function run(outFile: string, tmp: string): Promise<void> {
  const webrtc = process.env.WHATNEXT_NETNS === '1'
  log(
    webrtc
      ? 'in a network namespace: WebRTC on (host candidates on the namespace veth)'
      : 'no network namespace (WHATNEXT_NO_NETNS=1): WebRTC off, relayed connections only, no y-webrtc baseline',
  )
  const outDir = join(tmp, 'pages')
  await bundlePages(
    { index: join(here, 'page.ts'), ywebrtc: join(here, 'ywebrtc-page.ts') },
    outDir,
    'p2p bench',
    { minify: process.env.P2P_BENCH_MINIFY !== '0' },
  )

  const cleanups: (() => Promise<unknown>)[] = []
  const dirs: string[] = []
  const contexts: BrowserContext[] = []
  try {
    const server = await serveDir(outDir)
    cleanups.push(() => server.close())
    const relay: Relay = await createRelay({ host: '127.0.0.1', port: 0 })
    cleanups.push(() => relay.stop())
    const relayAddr = relay.multiaddrs()[0]
    if (!relayAddr) throw new Error('relay has no address')
    const signalling = webrtc ? await startSignalling() : undefined
    if (signalling) cleanups.push(() => signalling.close())

    const base = { webrtc, url: server.url, dirs, contexts }
    const [a, b] = await Promise.all([openProfile(base, 'A', tmp), openProfile(base, 'B', tmp)])
    const env: Env = { webrtc, relayAddr, url: server.url, a, b, contexts }
    if (!(await a.evaluate(() => window.p2pBench.isolated)))
      log('warning: page is not cross-origin isolated (timer resolution 100 µs)')
    const [offA, offB] = [await clockOffset(a), await clockOffset(b)]
    log(
      `clocks: A − B = ${(offA.offset - offB.offset).toFixed(3)} ms ` +
        `(± ${(offA.uncertainty + offB.uncertainty).toFixed(3)} ms, measured over CDP)`,
    )

    // Both nodes started, each holding a reservation on the relay.
    const t0 = performance.now()
    const start = (p: Page) =>
      bounded(
        p.evaluate((init) => window.p2pBench.start(init), { relays: [relayAddr], webrtc }),
        20_000,
        'start',
      )
    const [hostId, joinerId] = await Promise.all([start(a), start(b)])
    log(`nodes up with reservations in ${(performance.now() - t0).toFixed(0)} ms`)

    // 1. Dials.
    const emptySecret = await a.evaluate(() =>
      window.p2pBench.host({ playlistId: 'empty', tracks: 0 }),
    )
    const dials = await dialPhase(env, hostId, joinerId, emptySecret)
    const okDials = dials.filter((d) => d.ok)

    // 2. Edits over our stack.
    const editSecret = await a.evaluate(() =>
      window.p2pBench.host({ playlistId: 'edits', tracks: 0 }),
    )
    const joined = await bounded(
      b.evaluate((init) => window.p2pBench.join(init), {
        playlistId: 'edits',
        hostPeerId: hostId,
        relays: [relayAddr],
        secret: editSecret,
        timeoutMs: 20_000,
        watch: true,
      }),
      25_000,
      'join edits',
    )
    if (!joined.ok) throw new Error(`could not join the edit playlist: ${joined.error}`)
    // A join that came up over the relay (its WebRTC dial failed) moves to a direct
    // connection by itself; the edits are timed on the connection users then have.
    if (webrtc && joined.state !== 'direct') {
      const since = performance.now()
      let state = joined.state
      while (state !== 'direct' && performance.now() - since < DIRECT_WAIT_MS) {
        await new Promise((r) => setTimeout(r, 100))
        state = await b.evaluate(() => window.p2pBench.joinState('edits'))
      }
      log(
        `edit playlist joined ${joined.state}; ${state === 'direct' ? `direct after ${(performance.now() - since).toFixed(0)} ms` : `still ${state} after ${DIRECT_WAIT_MS / 1000} s`}`,
      )
    }
    // 3. y-webrtc between the same two profiles, set up before any edit: the two stacks'
    // edits then alternate in blocks (which goes first alternates too), so both are timed
    // under the same conditions; one phase after the other let the machine's drift
    // between minutes (often 30-50 %) decide the comparison.
    let yw: { a: Page; b: Page } | undefined
    if (signalling) {
      const [ya, yb] = await Promise.all(
        contexts.map(async (context) => {
          const page = await context.newPage()
          page.on('pageerror', (error) => log(`y-webrtc page error: ${error.message}`))
          await page.goto(`${server.url}ywebrtc.html`, { timeout: 30_000 })
          await page.waitForFunction(() => 'ywBench' in window, null, { timeout: 15_000 })
          return page
        }),
      )
      const room = `bench-${Date.now()}`
      for (const p of [ya!, yb!])
        await p.evaluate((init) => window.ywBench.start(init), { url: signalling.url, room })
      const connected = await Promise.all(
        [ya!, yb!].map((p) =>
          bounded(
            p.evaluate(() => window.ywBench.waitConnected(20_000)),
            25_000,
            'y-webrtc connect',
          ),
        ),
      )
      if (!connected.every(Boolean)) throw new Error('y-webrtc peers did not connect within 20 s')
      yw = { a: ya!, b: yb! }
    }
    const ours: EditStack = {
      edit: (i) =>
        a.evaluate(([i, ms]) => window.p2pBench.hostEditSoon('edits', i!, ms!), [i, EDIT_DELAY_MS]),
      waitSeen: (i) => b.evaluate((i) => window.p2pBench.waitSeen('edits', i, 5_000), i),
    }
    const theirs: EditStack | undefined = yw && {
      edit: (i) => yw.a.evaluate(([i, ms]) => window.ywBench.editSoon(i!, ms!), [i, EDIT_DELAY_MS]),
      waitSeen: (i) => yw.b.evaluate((i) => window.ywBench.waitSeen(i, 5_000), i),
    }
    const [p2pEdits, ywEdits] = await interleavedEdits(ours, theirs)
    const conns = await b.evaluate(([id]) => window.p2pBench.connections(id!), [hostId])
    const editState = await b.evaluate(() => window.p2pBench.joinState('edits'))
    const editDirect = editState === 'direct'
    log(
      `edits (ours): p50 ${percentile(p2pEdits, 50).toFixed(2)} ms, p95 ${percentile(p2pEdits, 95).toFixed(2)} ms, ` +
        `connection ${editState}: ${conns.map((c) => `${c.relayed ? 'relayed' : 'direct'} ${c.remoteAddr}`).join('; ')}`,
    )
    if (ywEdits)
      log(
        `edits (y-webrtc): p50 ${percentile(ywEdits, 50).toFixed(2)} ms, p95 ${percentile(ywEdits, 95).toFixed(2)} ms`,
      )
    // Timed edits start at a block boundary (the warm-up is one block).
    for (const [name, samples] of [
      ['ours', p2pEdits],
      ['y-webrtc', ywEdits],
    ] as const) {
      if (!samples) continue
      const first = samples.filter((_, k) => k % EDIT_BLOCK === 0)
      const rest = samples.filter((_, k) => k % EDIT_BLOCK !== 0)
      log(
        `edits (${name}): first of each block (after the other stack's turn) p50 ${percentile(first, 50).toFixed(2)} ms, ` +
          `p95 ${percentile(first, 95).toFixed(2)} ms; the others p50 ${percentile(rest, 50).toFixed(2)} ms, p95 ${percentile(rest, 95).toFixed(2)} ms`,
      )
    }
    if (yw)
      for (const p of [yw.a, yw.b]) {
        await bounded(
          p.evaluate(() => window.ywBench.stop()),
          5_000,
          'y-webrtc stop',
        ).catch(() => undefined)
        await p.close()
      }

    const stopPages = () =>
      Promise.all(
        [a, b].map((p) =>
          bounded(
            p.evaluate(() => window.p2pBench.stop()),
            10_000,
            'stop',
          ).catch(() => undefined),
        ),
      )
    const how = webrtc ? '' : ' (relayed: no netns, WebRTC off)'
    const ms = `ms${how}`
    /** p2p.edit_to_peer.p50_ms / p95_ms, against y-webrtc's when it ran. */
    const editFigures = (): BenchResult[] =>
      [50, 95].map((p) => ({
        name: `p2p.edit_to_peer.p${p}_ms`,
        value: round(percentile(p2pEdits, p), 3),
        unit: ms,
        better: 'lower',
        ...(ywEdits
          ? { baseline: { name: 'y-webrtc', value: round(percentile(ywEdits, p), 3) } }
          : {}),
      }))

    if (EDITS_ONLY) {
      log('P2P_BENCH_EDITS_ONLY=1: stopping after the edit loops')
      await stopPages()
      await writeFile(outFile, `${JSON.stringify(editFigures(), null, 2)}\n`)
      return
    }

    // 4. Reconnects: the host hangs up; time until the joiner is synced again.
    const reconnects: number[] = []
    let reconnectFailures = 0
    const reconnectStates: string[] = []
    const reconnectEnd = Date.now() + RECONNECT_PHASE_MS
    for (let i = 0; i < RECONNECTS && Date.now() < reconnectEnd; i++) {
      await b.evaluate(() => window.p2pBench.armResync('edits'))
      await a.evaluate(() => window.p2pBench.takeNetlog())
      const dropped = await bounded(
        a.evaluate(([id]) => window.p2pBench.hangUp(id!), [joinerId]),
        10_000,
        'hangUp',
      )
      const back = await bounded(
        b.evaluate((ms) => window.p2pBench.waitResync('edits', ms), RECONNECT_BUDGET_MS),
        RECONNECT_BUDGET_MS + 5_000,
        'waitResync',
      )
      if (!back) {
        log(`reconnect ${i + 1}: not synced again within ${RECONNECT_BUDGET_MS / 1000} s`)
        reconnectFailures++
        break
      }
      reconnects.push(back.at - dropped)
      reconnectStates.push(back.state)
      const hostLog = await a.evaluate(() => window.p2pBench.takeNetlog())
      const show = (events: [number, string][]) =>
        events.map(([t, what]) => `+${(t - dropped).toFixed(0)} ${what}`).join(', ')
      log(
        `reconnect ${i + 1}: ${(back.at - dropped).toFixed(0)} ms; joiner: ${show(back.timeline)}; ` +
          `host: ${show(hostLog)}`,
      )
      await sleep(200)
    }
    log(
      `reconnects: ${reconnects.map((x) => x.toFixed(0)).join(', ')} ms (${reconnectStates.join(', ')})`,
    )

    // 5. Joining a 10,000-track playlist over the connection already up.
    if (
      !(await bounded(
        b.evaluate(() => window.p2pBench.waitSynced('edits', 30_000)),
        35_000,
        'sync',
      ))
    )
      throw new Error('the joiner is not connected to the host before the 10k join')
    const t10k = performance.now()
    const bigSecret = await bounded(
      a.evaluate((n) => window.p2pBench.host({ playlistId: 'big', tracks: n }), BIG_TRACKS),
      60_000,
      'host big',
    )
    log(`built ${BIG_TRACKS} tracks on A in ${(performance.now() - t10k).toFixed(0)} ms`)
    const bigRuns: JoinResult[] = []
    for (let r = 0; r < BIG_RUNS; r++) {
      const up = await b.evaluate(([id]) => window.p2pBench.connections(id!), [hostId])
      if (!up.some((c) => c.status === 'open'))
        throw new Error('no connection to the host before the 10k join')
      const res = await bounded(
        b.evaluate((init) => window.p2pBench.join(init), {
          playlistId: 'big',
          hostPeerId: hostId,
          relays: [relayAddr],
          secret: bigSecret,
          timeoutMs: 30_000,
          watch: false,
        }),
        35_000,
        'join big',
      )
      await b.evaluate(() => window.p2pBench.closeJoin('big'))
      if (!res.ok || res.tracks !== BIG_TRACKS)
        throw new Error(`10k join ${r + 1}: ${res.error ?? `${res.tracks} tracks`}`)
      log(
        `10k join ${r + 1}: synced ${res.syncedMs.toFixed(0)} ms, read ${res.readMs.toFixed(0)} ms (${res.state})` +
          (res.progress
            ? `; update ${(res.progress.bytes / 1024).toFixed(0)} KiB received from +${res.progress.firstMs.toFixed(0)} to +${res.progress.lastMs.toFixed(0)} ms`
            : ''),
      )
      bigRuns.push(res)
    }

    // The bench pages' nodes stop first, so the app's join does not share the machine
    // with their connections and timers.
    await stopPages()

    // The same in the real app: import, share, open the link, until the grid is full.
    const app = await serveApp(join(here, '../..'))
    cleanups.push(() => app.close())
    const appRuns: AppJoinRun[] = []
    for (let i = 0; i < APP_RUNS; i++) {
      try {
        const res = await bounded(
          appJoin({ appUrl: app.url, relayAddr, tmp, log }),
          150_000,
          'app join',
        )
        log(
          `app 10k join ${i + 1}: ${res.renderMs.toFixed(0)} ms from sync start to a full grid, ` +
            `${res.totalMs.toFixed(0)} ms from the Join click, longest page task ${res.longestTaskMs.toFixed(0)} ms`,
        )
        appRuns.push(res)
      } catch (error) {
        log(`app 10k join ${i + 1} failed: ${error instanceof Error ? error.message : error}`)
      }
    }

    // Figures.
    const results: BenchResult[] = [
      ...editFigures(),
      {
        name: 'p2p.edit_to_peer.direct',
        value: editDirect ? 1 : 0,
        unit: '1 = WebRTC, 0 = relayed',
        better: 'higher',
      },
    ]
    if (okDials.length > 0)
      results.push({
        name: 'p2p.connect.ms',
        value: round(median(okDials.map((d) => d.syncedMs)), 1),
        unit: ms,
        better: 'lower',
      })
    results.push(
      {
        name: 'p2p.dial.success_pct',
        value: round((100 * okDials.length) / Math.max(1, dials.length), 1),
        unit: `% of ${dials.length} dials${how}`,
        better: 'higher',
      },
      {
        name: 'p2p.dial.direct_pct',
        value: round(
          (100 * okDials.filter((d) => d.state === 'direct').length) / Math.max(1, okDials.length),
          1,
        ),
        unit: '% of successful dials over WebRTC',
        better: 'higher',
      },
    )
    if (reconnects.length > 0)
      results.push({
        name: 'p2p.reconnect.ms',
        value: round(median(reconnects), 1),
        unit: `${ms}, median of ${reconnects.length}${reconnectFailures ? ` (${reconnectFailures} failed)` : ''}`,
        better: 'lower',
      })
    results.push({
      name: 'p2p.join_10k.sync_ms',
      value: round(median(bigRuns.map((r) => r.readMs)), 1),
      unit: `${ms}, sync layer: 10k-track doc synced and read (median of ${bigRuns.length})`,
      better: 'lower',
    })
    if (appRuns.length > 0)
      results.push(
        {
          name: 'p2p.join_10k.ms',
          value: round(median(appRuns.map((r) => r.renderMs)), 1),
          unit: `${ms}, in the app: sync under way → 10,000 rows in the grid (median of ${appRuns.length})`,
          better: 'lower',
        },
        {
          name: 'p2p.join_10k.page_longest_task_ms',
          value: round(median(appRuns.map((r) => r.longestTaskMs)), 1),
          unit: `${ms}, in the app: the joining page's longest main-thread task (median of ${appRuns.length})`,
          better: 'lower',
        },
        {
          name: 'p2p.join_10k.total_ms',
          value: round(median(appRuns.map((r) => r.totalMs)), 1),
          unit: `${ms}, in the app: Join click → full grid, node start and dial included`,
          better: 'lower',
        },
      )
    await writeFile(outFile, `${JSON.stringify(results, null, 2)}\n`)
  } finally {
    await Promise.all(
      contexts.map((c) => bounded(c.close(), 15_000, 'close browser').catch(() => undefined)),
    )
    for (const fn of cleanups.reverse())
      await bounded(fn(), 10_000, 'cleanup').catch(() => undefined)
    await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })))
  }
}

const { values } = parseArgs({
  options: { out: { type: 'string' }, tmp: { type: 'string' } },
})
if (!values.out || !values.tmp) {
  console.error('usage: node --import tsx bench/p2p/child.ts --out <file> --tmp <dir>')
  process.exit(2)
}
try {
  await run(values.out, values.tmp)
  process.exit(0)
} catch (error) {
  console.error(error instanceof Error ? (error.stack ?? error.message) : String(error))
  process.exit(1)
}
