/**
 * The utility process's link to main. In Electron it is `process.parentPort`, whose
 * messages may carry `MessagePortMain`s (one per window). Under plain Node (tests, and
 * anywhere Electron is missing) {@link forkParentPort} gives a child started with
 * `child_process.fork` the same shape, carrying "ports" as numbered virtual channels
 * over the IPC pipe; {@link forkedUtility} is the parent's side of it.
 */
import type { ChildProcess } from 'node:child_process'
import type { ElectronPortLike, Transport } from '@whatnext/core'

/** A message from main: data, and the ports transferred with it. */
export interface ParentMessage {
  data: unknown
  ports: ElectronPortLike[]
}

/** Structural shape of Electron's `process.parentPort`. */
export interface ParentPortLike {
  on(event: 'message', listener: (message: ParentMessage) => void): unknown
  postMessage(message: unknown): void
}

/** Wire messages of the shim (over Node's IPC with `serialization: 'advanced'`). */
type Wire =
  | { t: 'msg'; data: unknown; port?: number }
  | { t: 'port'; port: number; data: unknown }
  | { t: 'close'; port: number }

interface ProcessLike {
  send?(message: unknown): boolean
  on(event: 'message', listener: (message: unknown) => void): unknown
}

/** Child side: a `process.parentPort` look-alike over `process.send`. */
export function forkParentPort(proc: ProcessLike): ParentPortLike {
  const send = (m: Wire) => proc.send?.(m)
  const ports = new Map<number, Set<(event: { data: unknown }) => void>>()
  const onClose = new Map<number, Set<() => void>>()
  const listeners = new Set<(message: ParentMessage) => void>()
  const virtualPort = (id: number): ElectronPortLike => {
    const own = new Set<(event: { data: unknown }) => void>()
    const closed = new Set<() => void>()
    ports.set(id, own)
    onClose.set(id, closed)
    // Like MessagePortMain: 'message' events, and 'close' when the other end goes away.
    const port = {
      postMessage: (data: unknown) => send({ t: 'port', port: id, data }),
      on(event: string, listener: (event: { data: unknown }) => void) {
        if (event === 'close') closed.add(listener as () => void)
        else own.add(listener)
        return port
      },
      off(event: string, listener: (event: { data: unknown }) => void) {
        if (event === 'close') closed.delete(listener as () => void)
        else own.delete(listener)
        return port
      },
      start() {},
      close() {
        ports.delete(id)
        onClose.delete(id)
        own.clear()
      },
    }
    return port
  }
  proc.on('message', (raw) => {
    const m = raw as Wire
    if (m.t === 'msg') {
      const message = { data: m.data, ports: m.port === undefined ? [] : [virtualPort(m.port)] }
      for (const l of listeners) l(message)
    } else if (m.t === 'port') {
      for (const l of ports.get(m.port) ?? []) l({ data: m.data })
    } else if (m.t === 'close') {
      const own = ports.get(m.port)
      const closed = onClose.get(m.port)
      ports.delete(m.port)
      onClose.delete(m.port)
      own?.clear()
      for (const l of closed ?? []) l()
    }
  })
  return {
    on: (_event, listener) => listeners.add(listener),
    postMessage: (data) => send({ t: 'msg', data }),
  }
}

/** Parent side of the shim: the child as main sees a utility process. */
export interface ForkedUtility {
  readonly child: ChildProcess
  /** Like `utility.postMessage(message)`. */
  postMessage(message: unknown): void
  /** Like posting `message` with one end of a new MessageChannel; returns the other end. */
  connect(message: unknown): Transport
  /** Messages the child posted on its parent port. */
  onMessage(listener: (message: unknown) => void): () => void
}

let nextPort = 1

/** Wraps a child started with `fork(entry, [], { serialization: 'advanced' })`. */
export function forkedUtility(child: ChildProcess): ForkedUtility {
  const portListeners = new Map<number, Set<(m: unknown) => void>>()
  const listeners = new Set<(m: unknown) => void>()
  const send = (m: Wire) => {
    if (child.connected) child.send(m)
  }
  child.on('message', (raw) => {
    const m = raw as Wire
    if (m.t === 'msg') for (const l of listeners) l(m.data)
    else if (m.t === 'port') for (const l of portListeners.get(m.port) ?? []) l(m.data)
  })
  return {
    child,
    postMessage: (data) => send({ t: 'msg', data }),
    connect(data) {
      const port = nextPort++
      const own = new Set<(m: unknown) => void>()
      portListeners.set(port, own)
      send({ t: 'msg', data, port })
      return {
        send(message) {
          send({ t: 'port', port, data: message })
        },
        onMessage(listener) {
          own.add(listener)
          return () => own.delete(listener)
        },
        close() {
          own.clear()
          portListeners.delete(port)
          send({ t: 'close', port })
        },
      }
    },
    onMessage(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
  }
}
