/** What only the desktop app's windows run: loaded there, never in a browser tab. */
import { desktopWindowContract } from '@whatnext/core/client'
import { createDesktopCollabSource } from './collab/desktop-source'
import { startDesktopGlue } from './desktop-glue'
import { desktopEngineTransport } from './desktop-transport'

export {
  createDesktopCollabSource,
  desktopEngineTransport,
  desktopWindowContract,
  startDesktopGlue,
}

/** This module, as `startEngine` and `Main` take it. */
export interface DesktopParts {
  desktopWindowContract: typeof desktopWindowContract
  desktopEngineTransport: typeof desktopEngineTransport
  createDesktopCollabSource: typeof createDesktopCollabSource
  startDesktopGlue: typeof startDesktopGlue
}
