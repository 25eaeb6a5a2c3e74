/**
 * Bench page: `window.busBench.run(mode, options)` starts a fresh module worker in that
 * mode, warms it up, then measures sequential round trips and pipelined throughput.
 */
import {
  ValidationError,
  createEndpoint,
  messagePortTransport,
  systemClock,
  type MessagePortLike,
} from '@whatnext/core/client'
import { wrap } from 'comlink'
import {
  CHANNEL,
  passthroughContract,
  payload,
  validatedContract,
  type ComlinkApi,
  type Mode,
  type PassOptions,
  type PassResult,
  type UpdateTrackPayload,
} from './shared.ts'

type Call = (p: UpdateTrackPayload) => Promise<unknown>

function connect(mode: Mode, worker: Worker): { call: Call; close(): void } {
  const clock = systemClock(globalThis)
  const transport = () => messagePortTransport(worker as unknown as MessagePortLike)
  switch (mode) {
    case 'bus': {
      const endpoint = createEndpoint(validatedContract, { transport: transport(), clock })
      return { call: (p) => endpoint.request(CHANNEL, p), close: () => endpoint.close() }
    }
    case 'bus-novalidate': {
      const endpoint = createEndpoint(passthroughContract, { transport: transport(), clock })
      return { call: (p) => endpoint.request(CHANNEL, p), close: () => endpoint.close() }
    }
    case 'comlink': {
      const api = wrap<ComlinkApi>(worker)
      return { call: (p) => api.updateTrack(p), close: () => undefined }
    }
    case 'raw': {
      const waiting = new Map<number, (v: unknown) => void>()
      let nextId = 0
      worker.addEventListener('message', (event: MessageEvent<{ id: number; v: unknown }>) => {
        const resolve = waiting.get(event.data.id)
        waiting.delete(event.data.id)
        resolve?.(event.data.v)
      })
      return {
        call: (p) =>
          new Promise((resolve) => {
            const id = nextId++
            waiting.set(id, resolve)
            worker.postMessage({ id, p })
          }),
        close: () => waiting.clear(),
      }
    }
  }
}

async function run(mode: Mode, options: PassOptions): Promise<PassResult> {
  const worker = new Worker(new URL(`./worker.js?mode=${mode}`, location.href), { type: 'module' })
  const { call, close } = connect(mode, worker)
  try {
    let i = 0
    for (let n = 0; n < options.warmup; n++) {
      const answer = (await call(payload(i++))) as { ok?: unknown }
      if (answer?.ok !== true)
        throw new Error(`${mode}: unexpected answer ${JSON.stringify(answer)}`)
    }
    const rtt: number[] = []
    for (let n = 0; n < options.sequential; n++) {
      const p = payload(i++)
      const start = performance.now()
      await call(p)
      rtt.push(performance.now() - start)
    }
    let sent = 0
    const start = performance.now()
    const lane = async () => {
      while (sent < options.total) {
        sent++
        await call(payload(i++))
      }
    }
    await Promise.all(Array.from({ length: options.inflight }, lane))
    const throughputMs = performance.now() - start

    let rejectedInvalid: boolean | null = null
    if (mode === 'bus') {
      const invalid = { ...payload(0), trackId: 'not a valid id!' }
      rejectedInvalid = await call(invalid).then(
        () => false,
        (error: unknown) => error instanceof ValidationError,
      )
    }
    return { mode, rtt, throughputMs, total: options.total, rejectedInvalid }
  } finally {
    close()
    worker.terminate()
  }
}

declare global {
  interface Window {
    busBench: { run: typeof run; isolated: boolean }
  }
}
window.busBench = { run, isolated: globalThis.crossOriginIsolated }
