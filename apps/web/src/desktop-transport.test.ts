import {
  createEndpoint,
  defineContract,
  messagePortTransport,
  request,
  systemClock,
  type MessagePortLike,
} from '@whatnext/core/client'
import { afterEach, describe, expect, it } from 'vitest'
import { z } from 'zod'
import {
  ENGINE_PORT_MESSAGE,
  desktopEngineTransport,
  type DesktopBridge,
  type DesktopEngineState,
  type PortMailbox,
} from './desktop-transport'

const contract = defineContract({
  'math/add': request(z.object({ a: z.number(), b: z.number() }), z.object({ sum: z.number() })),
})
const clock = systemClock(globalThis)
const cleanups: (() => void)[] = []
afterEach(() => cleanups.splice(0).forEach((c) => c()))

/** A stand-in for the utility process: one engine endpoint on a fresh port pair. */
function startEngineProcess(name: string) {
  const channel = new MessageChannel()
  const server = createEndpoint(contract, {
    transport: messagePortTransport(channel.port1 as unknown as MessagePortLike),
    clock,
  })
  server.handle('math/add', ({ a, b }) => ({ sum: a + b, name }))
  cleanups.push(() => server.close())
  return { port: channel.port2, stop: () => server.close() }
}

/** The window and the preload's bridge, as the page sees them. */
function desktopWindow() {
  const mailbox = new EventTarget()
  let reconnecting: (() => void) | undefined
  let connects = 0
  const handOver = (port: MessagePort) =>
    mailbox.dispatchEvent(
      Object.assign(new Event('message'), { data: { type: ENGINE_PORT_MESSAGE }, ports: [port] }),
    )
  const bridge: DesktopBridge = {
    connectEngine: async () => {
      connects++
    },
    onReconnecting: (listener) => {
      reconnecting = listener
      return () => (reconnecting = undefined)
    },
  }
  return {
    bridge,
    mailbox: mailbox as unknown as PortMailbox,
    handOver,
    restart: () => reconnecting?.(),
    connects: () => connects,
  }
}

describe('desktop engine transport', () => {
  it('talks to the engine over the port main hands over, and across an engine restart', async () => {
    const win = desktopWindow()
    const states: DesktopEngineState[] = []
    const transport = desktopEngineTransport(win.bridge, win.mailbox, (s) => states.push(s))
    const client = createEndpoint(contract, { transport, clock })
    cleanups.push(() => client.close())
    expect(win.connects()).toBe(1)

    // A call made before the port arrives waits for it.
    const early = client.request('math/add', { a: 1, b: 2 })
    const first = startEngineProcess('first')
    win.handOver(first.port)
    await expect(early).resolves.toEqual({ sum: 3 })

    // The utility process dies and is restarted; its new port arrives a moment later.
    win.restart()
    first.stop()
    const during = client.request('math/add', { a: 2, b: 3 }, { timeoutMs: 5000 })
    const second = startEngineProcess('second')
    win.handOver(second.port)
    await expect(during).resolves.toEqual({ sum: 5 })
    await expect(client.request('math/add', { a: 10, b: 5 })).resolves.toEqual({ sum: 15 })
    expect(states).toEqual(['connecting', 'connected', 'reconnecting', 'connected'])
  })

  it('ignores other window messages', async () => {
    const win = desktopWindow()
    const transport = desktopEngineTransport(win.bridge, win.mailbox)
    const client = createEndpoint(contract, { transport, clock })
    cleanups.push(() => client.close())
    const stray = new MessageChannel()
    ;(win.mailbox as unknown as EventTarget).dispatchEvent(
      Object.assign(new Event('message'), {
        data: { type: 'something-else' },
        ports: [stray.port1],
      }),
    )
    const call = client.request('math/add', { a: 1, b: 1 }, { timeoutMs: 2000 })
    const engine = startEngineProcess('real')
    win.handOver(engine.port)
    await expect(call).resolves.toEqual({ sum: 2 })
    stray.port1.close()
  })
})
