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
