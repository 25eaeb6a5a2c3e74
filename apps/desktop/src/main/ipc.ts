/**
 * IPC handlers with sender validation: every `ipcMain.handle` goes through
 * {@link createIpcRouter}, which refuses a call unless it comes from the main frame of a
 * window we created, showing a page of the app origin, and its payload passes the
 * channel's schema. Pure: main adapts Electron's `IpcMainInvokeEvent` to {@link IpcSender}.
 */
import type * as z from 'zod/mini'
import { invokeChannels, type InvokeChannel } from '../shared/ipc-contract.ts'
import { isAppUrl } from './guards.ts'

/** What a handler learns about who called. */
export interface IpcSender {
  /** `event.sender.id` (the webContents). */
  webContentsId: number
  /** `event.senderFrame.url`; null when the frame is gone. */
  frameUrl: string | null
  /** Whether the frame is the main frame (`senderFrame === sender.mainFrame`). */
  isMainFrame: boolean
}

/** Why a call was refused. */
export class IpcRefusedError extends Error {
  override readonly name = 'IpcRefusedError'
}

type Payload<C extends InvokeChannel> = z.infer<(typeof invokeChannels)[C]>

/** Handlers for each channel (a subset may be given). */
export type IpcHandlers = {
  [C in InvokeChannel]?: (payload: Payload<C>, sender: IpcSender) => unknown
}

/** Routes validated calls; {@link IpcRouter.invoke} is what `ipcMain.handle` calls. */
export interface IpcRouter {
  channels(): InvokeChannel[]
  invoke(channel: string, sender: IpcSender, payload: unknown): Promise<unknown>
}

/**
 * `isTrusted(webContentsId)` says whether main created that webContents (a window of
 * ours, not a devtools or a stray one).
 */
export function createIpcRouter(
  handlers: IpcHandlers,
  init: { isTrusted: (webContentsId: number) => boolean; onRefused?: (why: string) => void },
): IpcRouter {
  const refuse = (why: string): never => {
    init.onRefused?.(why)
    throw new IpcRefusedError(why)
  }
  return {
    channels: () => Object.keys(handlers) as InvokeChannel[],
    async invoke(channel, sender, payload) {
      if (!Object.hasOwn(invokeChannels, channel) || !Object.hasOwn(handlers, channel))
        refuse(`unknown channel ${JSON.stringify(channel).slice(0, 80)}`)
      if (!init.isTrusted(sender.webContentsId)) refuse(`${channel}: not one of our windows`)
      if (!sender.isMainFrame) refuse(`${channel}: not the main frame`)
      if (!sender.frameUrl || !isAppUrl(sender.frameUrl))
        refuse(`${channel}: the page is not the app (${String(sender.frameUrl).slice(0, 120)})`)
      const schema = invokeChannels[channel as InvokeChannel]
      const parsed = schema.safeParse(payload ?? {})
      if (!parsed.success) refuse(`${channel}: invalid payload: ${parsed.error.issues[0]?.message}`)
      const handler = handlers[channel as InvokeChannel] as (p: unknown, s: IpcSender) => unknown
      return handler(parsed.data, sender)
    },
  }
}
