/**
 * The few IPC calls between a window's preload and main, with their payload schemas.
 * Everything else (the whole engine API) goes over the MessagePort main hands each
 * window, straight to the utility process. PERSISTED NAMES: none (one app version talks
 * to itself), but renderer and main must agree, so both import this file.
 */
import { z } from 'zod'

/** `ipcRenderer.invoke` channels (renderer → main, with a reply). */
export const invokeChannels = {
  /** Asks main for a fresh engine port; it arrives as a `port` event. */
  'engine/connect': z.object({}).strict(),
  /** Native open dialog for import: returns the files' names and bytes. */
  'dialog/openPlaylists': z.object({}).strict(),
  /** Native save dialog for export. */
  'dialog/savePlaylist': z
    .object({ fileName: z.string().min(1).max(255), content: z.string().max(64 << 20) })
    .strict(),
  /** Opens a vetted https URL in the user's browser. */
  'shell/openExternal': z.object({ url: z.string().max(4096) }).strict(),
  /** Opens a playlist in a window of its own. */
  'window/openPlaylist': z
    .object({ playlistId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/) })
    .strict(),
  /** What the window shows, so it is restored after a restart. */
  'window/setPlaylist': z
    .object({
      playlistId: z
        .string()
        .regex(/^[A-Za-z0-9_-]{1,64}$/)
        .nullable(),
    })
    .strict(),
  /** OS notification (e.g. a collaborator joined). */
  'notify/show': z.object({ title: z.string().max(200), body: z.string().max(1000) }).strict(),
  /** The settings secrets key (base64), sealed at rest by the OS keychain. */
  'secrets/settingsKey': z.object({}).strict(),
  /** The plaintext library folder in use. */
  'library/folder': z.object({}).strict(),
  /** Lets the user choose another library folder (native dialog); the engine restarts on it. */
  'library/chooseFolder': z.object({}).strict(),
  /** Update channel and state. */
  'update/setChannel': z.object({ channel: z.enum(['stable', 'beta']) }).strict(),
} as const

/** Channel names of {@link invokeChannels}. */
export type InvokeChannel = keyof typeof invokeChannels

export { EVENTS, PORT_MESSAGE } from './events.ts'
