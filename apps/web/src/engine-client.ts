import {
  createDisposableStore,
  createEndpoint,
  createLogRing,
  createPerformanceMonitor,
  engineContract,
  messagePortTransport,
  receiveLogs,
  systemClock,
  type DesktopWindowContract,
  type Endpoint,
  type EngineContract,
} from '@whatnext/core/client'
import type { DiagnosticsSource } from '@whatnext/ui'
import { browserHeap, browserLongTasks } from './browser-sources'
import type { DesktopParts } from './desktop-parts'
import type { DesktopBridge, DesktopEngineState } from './desktop-transport'
import { consoleLogger } from './logger'

/** This tab's id: names it to the engine's rate limiter and in metrics. */
const tabId = `tab-${crypto.randomUUID().slice(0, 8)}`

declare global {
  interface Window {
    /** Set by the desktop app's preload; absent in browsers. */
    whatnextDesktop?: DesktopBridge
  }
}

/**
 * Connects this tab to its engine — a Web Worker in browsers, the utility process in the
 * desktop app — and returns the typed client and the tab's diagnostics (one log ring
 * for page and engine, the page's performance monitor).
 */
export function startEngine(
  onDesktopState?: (state: DesktopEngineState) => void,
  /** In the desktop app: its window contract and transport (loaded only there). */
  desktopParts?: DesktopParts,
): {
  client: Endpoint<EngineContract>
  /** Desktop: the whole window port (engine, sync node, settings backend). */
  desktop: Endpoint<DesktopWindowContract> | null
  diagnostics: DiagnosticsSource
  stop(): void
} {
  const clock = systemClock(globalThis)
  const ring = createLogRing({ clock })
  const logger = ring.logger('page', consoleLogger('page'))
  // Everything this tab's session holds, cleaned up newest first when it ends.
  const session = createDisposableStore(logger)
  const bridge = window.whatnextDesktop
  const desktop = bridge && desktopParts ? { bridge, parts: desktopParts } : null
  const transport = desktop
    ? desktop.parts.desktopEngineTransport(desktop.bridge, window, onDesktopState)
    : workerTransport(session)
  // A desktop window's port also reaches the utility's sync node.
  const client = createEndpoint(
    (desktop ? desktop.parts.desktopWindowContract : engineContract) as typeof engineContract,
    {
      transport,
      clock,
      logger,
      now: () => performance.now(),
    },
    { name: 'page', senderId: tabId },
  )
  session.add(() => client.close())
  session.add(receiveLogs(client, ring))
  const monitor = session.add(
    createPerformanceMonitor({
      clock,
      logger,
      heap: browserHeap,
      longTasks: browserLongTasks,
      endpoints: () => [client.metrics()],
    }),
  )
  monitor.start()
  // The tab is going away for good (not into the back-forward cache).
  session.listen<PageTransitionEvent>(window, 'pagehide', (e) => !e.persisted && session.dispose())
  return {
    client,
    desktop: desktop ? (client as unknown as Endpoint<DesktopWindowContract>) : null,
    diagnostics: {
      ring,
      monitor,
      app: { name: 'WhatNext', version: process.env.NEXT_PUBLIC_APP_VERSION ?? 'dev' },
      environment: {
        host: 'web',
        platform: navigator.platform,
        language: navigator.language,
        online: navigator.onLine,
        standalone: matchMedia('(display-mode: standalone)').matches,
      },
      versions: { userAgent: navigator.userAgent },
    },
    stop: () => session.dispose(),
  }
}

function workerTransport(session: ReturnType<typeof createDisposableStore>) {
  const worker = new Worker(new URL('./engine.worker.ts', import.meta.url), {
    type: 'module',
    name: 'whatnext-engine',
  })
  session.add(() => worker.terminate())
  return messagePortTransport(worker as never)
}
