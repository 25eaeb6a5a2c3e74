/** What only the desktop app's windows run: loaded there, never in a browser tab. */
import { desktopWindowContract } from '@whatnext/core/client'
import { createDesktopCollabSource } from './collab/desktop-source'
import { startDesktopGlue } from './desktop-glue'
import { desktopEngineTransport } from './desktop-transport'
import type * as parts from './desktop-parts'

export {
  createDesktopCollabSource,
  desktopEngineTransport,
  desktopWindowContract,
  startDesktopGlue,
}

/** This module, as `startEngine` and `Main` take it. */
export type DesktopParts = typeof parts
