import type { Endpoint, EngineContract } from '@whatnext/core/client'
import { App, type AppSettingsStore, type DiagnosticsSource } from '@whatnext/ui'
import { useEffect, useState } from 'react'
import { startEngine } from './engine-client'
import { subscribeLaunchFiles } from './launch-files'
import { openSettings } from './settings'
import { UpdatePrompt } from './UpdatePrompt'

/** Starts this tab's engine worker and settings store and mounts the app on them. */
export function Main() {
  const [engine, setEngine] = useState<{
    client: Endpoint<EngineContract>
    diagnostics: DiagnosticsSource
  } | null>(null)
  const [settings, setSettings] = useState<AppSettingsStore | null>(null)
  const [failure, setFailure] = useState<string | null>(null)
  useEffect(() => {
    const started = startEngine()
    setEngine(started)
    let store: AppSettingsStore | null = null
    let closed = false
    openSettings().then(
      (s) => (closed ? void s.close() : ((store = s), setSettings(s))),
      (error: unknown) => setFailure(String(error)),
    )
    return () => {
      closed = true
      started.stop()
      void store?.close()
    }
  }, [])
  return (
    <>
      {engine && settings ? (
        <App
          client={engine.client}
          diagnostics={engine.diagnostics}
          settings={settings}
          subscribeLaunchFiles={subscribeLaunchFiles}
        />
      ) : (
        <main className="boot" aria-busy={failure ? undefined : true}>
          <h1>WhatNext</h1>
          <p role={failure ? 'alert' : undefined}>
            {failure ? `WhatNext could not open its storage: ${failure}` : 'Opening your library…'}
          </p>
        </main>
      )}
      <UpdatePrompt />
    </>
  )
}
