/**
 * The few platform APIs that every host we support (browsers, Web Workers, Node 20+,
 * Electron utility processes) provides identically — the WinterCG common minimum API.
 * Core compiles with `lib: ["ES2022"]` and no DOM or Node types so that it cannot
 * reach for host-specific globals by accident; these declarations are deliberately
 * minimal subsets of the real ones, so hosts' full typings stay assignable to them.
 * Timers are NOT here: they arrive through the `Clock` component.
 */

declare class TextEncoder {
  encode(input?: string): Uint8Array
}

declare class TextDecoder {
  constructor(label?: string, options?: { fatal?: boolean; ignoreBOM?: boolean })
  decode(input?: ArrayBufferView | ArrayBuffer, options?: { stream?: boolean }): string
}

interface AbortSignal {
  readonly aborted: boolean
  readonly reason: unknown
  addEventListener(type: 'abort', listener: () => void, options?: { once?: boolean }): void
  removeEventListener(type: 'abort', listener: () => void): void
  throwIfAborted(): void
}

declare class AbortController {
  readonly signal: AbortSignal
  abort(reason?: unknown): void
}

declare function structuredClone<T>(value: T): T
declare function queueMicrotask(callback: () => void): void

declare const crypto: {
  getRandomValues<T extends Uint8Array>(array: T): T
  randomUUID(): string
}
