/**
 * The one boundary shape every host adapts to (VS Code's `IMessagePassingProtocol`):
 * Worker, MessagePort, BroadcastChannel, `process.parentPort` and Node child processes
 * all become a `Transport` with a few lines of glue.
 */

/** A bidirectional, ordered message channel carrying structured-clonable data. */
export interface Transport {
  /** Sends one message. `transfer` lists transferable objects (ArrayBuffers, ports). */
  send(message: unknown, transfer?: readonly unknown[]): void
  /** Listens for messages; returns the unsubscribe function. */
  onMessage(listener: (message: unknown) => void): () => void
  /** Stops delivery and frees the underlying port where the host allows it. */
  close(): void
}

/**
 * Structural shape of `Worker`, `MessagePort`, `DedicatedWorkerGlobalScope` and
 * `BroadcastChannel`. Declared here because core compiles without DOM types.
 */
export interface MessagePortLike {
  postMessage(message: unknown, transfer?: never): void
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void
  removeEventListener(type: 'message', listener: (event: { data: unknown }) => void): void
  start?(): void
  close?(): void
  terminate?(): void
}

/** Adapts a Worker, a MessagePort or a worker's global scope to a {@link Transport}. */
export function messagePortTransport(port: MessagePortLike): Transport {
  const listeners = new Set<(message: unknown) => void>()
  const onEvent = (event: { data: unknown }) => {
    for (const l of listeners) l(event.data)
  }
  port.addEventListener('message', onEvent)
  // MessagePorts queue messages until start() (implicit only with onmessage).
  port.start?.()
  return {
    send(message, transfer) {
      if (transfer && transfer.length > 0) port.postMessage(message, transfer as never)
      else port.postMessage(message)
    },
    onMessage(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    close() {
      listeners.clear()
      port.removeEventListener('message', onEvent)
      port.close?.()
    },
  }
}

/** Structural shape of `BroadcastChannel` (every tab or worker that opened the same name). */
export interface BroadcastChannelLike {
  postMessage(message: unknown): void
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void
  removeEventListener(type: 'message', listener: (event: { data: unknown }) => void): void
  close(): void
}

/**
 * Adapts a `BroadcastChannel`. Every other member hears every message (the sender does
 * not); nothing can be transferred, only copied. Give each endpoint a `senderId` so
 * rate limits tell members apart.
 */
export function broadcastChannelTransport(channel: BroadcastChannelLike): Transport {
  const inner = messagePortTransport(channel as unknown as MessagePortLike)
  return {
    send(message, transfer) {
      if (transfer && transfer.length > 0)
        throw new TypeError('A BroadcastChannel cannot transfer objects, only copy them')
      inner.send(message)
    },
    onMessage: (listener) => inner.onMessage(listener),
    close: () => inner.close(),
  }
}

/**
 * Structural shape of Node's `worker_threads` `Worker`, `parentPort` and `MessagePort`
 * (EventEmitter style: `on('message', data => …)`).
 */
export interface NodePortLike {
  postMessage(message: unknown, transferList?: readonly unknown[]): void
  on(event: 'message', listener: (message: unknown) => void): unknown
  off(event: 'message', listener: (message: unknown) => void): unknown
  close?(): void
}

/**
 * Adapts a Node `worker_threads` port. `closePort: false` leaves the port open on
 * `close()` (closing `parentPort` lets the worker exit; closing a `Worker` is not a thing —
 * terminate it yourself).
 */
export function nodePortTransport(
  port: NodePortLike,
  init: { closePort?: boolean } = {},
): Transport {
  return emitterTransport(
    (message, transfer) =>
      transfer && transfer.length > 0
        ? port.postMessage(message, transfer)
        : port.postMessage(message),
    (listener) => {
      port.on('message', listener)
      return () => port.off('message', listener)
    },
    () => {
      if (init.closePort ?? true) port.close?.()
    },
  )
}

/**
 * Structural shape of a Node `ChildProcess` (parent side) and of `process` in a child
 * started with an IPC channel. Start the child with `serialization: 'advanced'` so
 * typed arrays, Maps and Dates survive (the default is JSON).
 */
export interface ChildProcessLike {
  send?(message: unknown): boolean
  on(event: 'message', listener: (message: unknown) => void): unknown
  off(event: 'message', listener: (message: unknown) => void): unknown
  disconnect?(): void
}

/** Adapts a child process's IPC channel (either end). Nothing can be transferred. */
export function childProcessTransport(
  proc: ChildProcessLike,
  init: { disconnect?: boolean } = {},
): Transport {
  return emitterTransport(
    (message, transfer) => {
      if (transfer && transfer.length > 0)
        throw new TypeError('A child process channel cannot transfer objects, only copy them')
      if (!proc.send) throw new TypeError('This process has no IPC channel')
      proc.send(message)
    },
    (listener) => {
      proc.on('message', listener)
      return () => proc.off('message', listener)
    },
    () => {
      if (init.disconnect) proc.disconnect?.()
    },
  )
}

/**
 * Structural shape of Electron's `MessagePortMain` and of `process.parentPort` in a
 * utility process (EventEmitter style with a `{ data }` event).
 */
export interface ElectronPortLike {
  postMessage(message: unknown, transfer?: unknown[]): void
  on(event: 'message', listener: (event: { data: unknown }) => void): unknown
  off(event: 'message', listener: (event: { data: unknown }) => void): unknown
  start?(): void
  close?(): void
}

/** Adapts an Electron `MessagePortMain` or a utility process's `parentPort`. */
export function electronPortTransport(port: ElectronPortLike): Transport {
  const transport = emitterTransport(
    (message, transfer) =>
      transfer && transfer.length > 0
        ? port.postMessage(message, [...transfer])
        : port.postMessage(message),
    (listener) => {
      const onEvent = (event: { data: unknown }) => listener(event.data)
      port.on('message', onEvent)
      return () => port.off('message', onEvent)
    },
    () => port.close?.(),
  )
  // MessagePortMain queues messages until start().
  port.start?.()
  return transport
}

/**
 * Structural shape of Electron's `ipcRenderer` (or of a main-side pair of
 * `webContents.send` and `ipcMain.on` the host puts together).
 */
export interface ElectronIpcLike {
  send(channel: string, message: unknown): void
  on(channel: string, listener: (event: unknown, message: unknown) => void): unknown
  removeListener(channel: string, listener: (event: unknown, message: unknown) => void): unknown
}

/**
 * Adapts Electron IPC on one IPC channel name. Prefer {@link electronPortTransport}
 * (a MessagePort keeps main out of the data path); this is for the few messages that
 * set the port up.
 */
export function electronIpcTransport(ipc: ElectronIpcLike, channel: string): Transport {
  return emitterTransport(
    (message, transfer) => {
      if (transfer && transfer.length > 0)
        throw new TypeError('Electron IPC cannot transfer objects; use a MessagePort')
      ipc.send(channel, message)
    },
    (listener) => {
      const onIpc = (_event: unknown, message: unknown) => listener(message)
      ipc.on(channel, onIpc)
      return () => ipc.removeListener(channel, onIpc)
    },
    () => undefined,
  )
}

/** One underlying subscription shared by every `onMessage` listener. */
function emitterTransport(
  send: (message: unknown, transfer?: readonly unknown[]) => void,
  subscribe: (listener: (message: unknown) => void) => () => void,
  closeUnderlying: () => void,
): Transport {
  const listeners = new Set<(message: unknown) => void>()
  let unsubscribe: (() => void) | undefined = subscribe((message) => {
    for (const l of listeners) l(message)
  })
  return {
    send,
    onMessage(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    close() {
      listeners.clear()
      unsubscribe?.()
      unsubscribe = undefined
      closeUnderlying()
    },
  }
}

/** A transport that counts what crosses it (benchmarks, diagnostics, tests). */
export interface MeteredTransport extends Transport {
  readonly sent: number
  readonly received: number
}

/** Wraps `inner`, counting messages sent and received. */
export function meteredTransport(inner: Transport): MeteredTransport {
  let sent = 0
  let received = 0
  return {
    send(message, transfer) {
      sent++
      inner.send(message, transfer)
    },
    onMessage: (listener) =>
      inner.onMessage((message) => {
        received++
        listener(message)
      }),
    close: () => inner.close(),
    get sent() {
      return sent
    },
    get received() {
      return received
    },
  }
}

/**
 * Two connected in-memory transports (for unit tests). Messages are structured-cloned
 * and delivered asynchronously, as a real port would.
 */
export function createTransportPair(): [Transport, Transport] {
  const make = (peer: () => Set<(m: unknown) => void>, own: Set<(m: unknown) => void>) => {
    let closed = false
    const t: Transport = {
      send(message) {
        if (closed) return
        const copy = structuredClone(message)
        queueMicrotask(() => {
          for (const l of peer()) l(copy)
        })
      },
      onMessage(listener) {
        own.add(listener)
        return () => own.delete(listener)
      },
      close() {
        closed = true
        own.clear()
      },
    }
    return t
  }
  const a = new Set<(m: unknown) => void>()
  const b = new Set<(m: unknown) => void>()
  return [make(() => b, a), make(() => a, b)]
}
