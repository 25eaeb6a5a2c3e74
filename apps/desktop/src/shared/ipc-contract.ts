/**
 * The few IPC calls between a window's preload and main, with their payload schemas.
 * Everything else (the whole engine API) goes over the MessagePort main hands each
 * window, straight to the utility process. PERSISTED NAMES: none (one app version talks
 * to itself), but renderer and main must agree, so both import this file.
 */
import * as z from 'zod/mini'

/** `ipcRenderer.invoke` channels (renderer → main, with a reply). */
export const invokeChannels = {
  /** Asks main for a fresh engine port; it arrives as a `port` event. */
  'engine/connect': z.strictObject({}),
  /** Native open dialog for import: returns the files' names and bytes. */
  'dialog/openPlaylists': z.strictObject({}),
  /** Native save dialog for export. */
  'dialog/savePlaylist': z.strictObject({
    fileName: z.string().check(z.minLength(1), z.maxLength(255)),
    content: z.string().check(z.maxLength(64 << 20)),
  }),
  /** Opens a vetted https URL in the user's browser. */
  'shell/openExternal': z.strictObject({ url: z.string().check(z.maxLength(4096)) }),
  /** Opens a playlist in a window of its own. */
  'window/openPlaylist': z.strictObject({
    playlistId: z.string().check(z.regex(/^[A-Za-z0-9_-]{1,64}$/)),
  }),
  /** What the window shows, so it is restored after a restart. */
  'window/setPlaylist': z.strictObject({
    playlistId: z.nullable(z.string().check(z.regex(/^[A-Za-z0-9_-]{1,64}$/))),
  }),
  /** OS notification (e.g. a collaborator joined). */
  'notify/show': z.strictObject({
    title: z.string().check(z.maxLength(200)),
    body: z.string().check(z.maxLength(1000)),
  }),
  /** The settings secrets key (base64), sealed at rest by the OS keychain. */
  'secrets/settingsKey': z.strictObject({}),
  /** The plaintext library folder in use. */
  'library/folder': z.strictObject({}),
  /** Lets the user choose another library folder (native dialog); the engine restarts on it. */
  'library/chooseFolder': z.strictObject({}),
  /** Update channel and state. */
  'update/setChannel': z.strictObject({ channel: z.enum(['stable', 'beta']) }),
} as const

/** Channel names of {@link invokeChannels}. */
export type InvokeChannel = keyof typeof invokeChannels

export { EVENTS, PORT_MESSAGE } from './events.ts'
