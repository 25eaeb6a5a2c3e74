/** What only the desktop app's windows run: loaded there, never in a browser tab. */
export { createDesktopCollabSource } from './collab/desktop-source'
export { startDesktopGlue } from './desktop-glue'
