import type { Endpoint, EngineContract } from '@whatnext/core/client'
import { App } from '@whatnext/ui'
import { useEffect, useState } from 'react'
import { startEngine } from './engine-client'
import { subscribeLaunchFiles } from './launch-files'
import { UpdatePrompt } from './UpdatePrompt'

/** Starts this tab's engine worker and mounts the app on it. */
export function Main() {
  const [client, setClient] = useState<Endpoint<EngineContract> | null>(null)
  useEffect(() => {
    const endpoint = startEngine()
    setClient(endpoint)
    return () => endpoint.close()
  }, [])
  return (
    <>
      {client ? (
        <App client={client} subscribeLaunchFiles={subscribeLaunchFiles} />
      ) : (
        <main className="boot" aria-busy="true">
          <h1>WhatNext</h1>
          <p>Opening your library…</p>
        </main>
      )}
      <UpdatePrompt />
    </>
  )
}
