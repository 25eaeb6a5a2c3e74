/**
 * Event names main sends to windows, apart from the IPC schemas so the preload bundle
 * stays free of zod.
 */

/** Events main sends to a window (`webContents.send` / `postMessage`). */
export const EVENTS = {
  /** Carries the engine MessagePort in `event.ports[0]`. */
  port: 'engine/port',
  /** A `whtnxt://` link to follow: `{ kind: 'join', token }`. */
  deepLink: 'deep-link/open',
  /** The engine restarted; a new port follows. */
  reconnecting: 'engine/reconnecting',
  /** Update progress: `{ state, percent? }`. */
  update: 'update/state',
} as const

/** The `window.postMessage` type the preload uses to hand the port to the page. */
export const PORT_MESSAGE = 'whatnext:engine-port'
