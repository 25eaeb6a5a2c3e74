import type { Endpoint, EngineContract } from '@whatnext/core/client'
import { App, type AppSettingsStore, type DiagnosticsSource } from '@whatnext/ui'
import { startTransition, useEffect, useState } from 'react'
import { createCollabSource, type CollabHost } from './collab/source'
import type { DesktopParts } from './desktop-parts'
import type { DesktopEngineState } from './desktop-transport'
import { startEngine } from './engine-client'
import { subscribeLaunchFiles } from './launch-files'
import { loadIdentity, openSettings } from './settings'
import { UpdatePrompt } from './UpdatePrompt'
import { Boot } from './Boot'

/** Starts this tab's engine worker and settings store and mounts the app on them. */
export function Main() {
  const [desktopFolder] = useState(desktopLibraryFolder)
  const [engine, setEngine] = useState<{
    client: Endpoint<EngineContract>
    diagnostics: DiagnosticsSource
  } | null>(null)
  const [settings, setSettings] = useState<AppSettingsStore | null>(null)
  const [failure, setFailure] = useState<string | null>(null)
  const [desktopState, setDesktopState] = useState<DesktopEngineState | null>(null)
  const [identity, setIdentity] = useState<{ peerId: string } | null>(null)
  const [collab, setCollab] = useState<CollabHost | null>(null)
  const [join, setJoin] = useState<string | null>(null)
  useEffect(() => {
    setJoin(linkFromLocation())
    const onHash = () => setJoin(linkFromLocation())
    window.addEventListener('hashchange', onHash)
    const stopDeepLinks = window.whatnextDesktop?.onDeepLink?.((link) =>
      setJoin(`whtnxt://join/${link.token}`),
    )
    return () => {
      window.removeEventListener('hashchange', onHash)
      stopDeepLinks?.()
    }
  }, [])
  useEffect(() => {
    let started: ReturnType<typeof startEngine> | null = null
    let store: AppSettingsStore | null = null
    let source: CollabHost | null = null
    let stopGlue: (() => void) | null = null
    let closed = false
    const bridge = window.whatnextDesktop
    const begin = (desktop: DesktopParts | null) => {
      if (closed) return
      const engine = startEngine(setDesktopState, desktop ?? undefined)
      started = engine
      setEngine(engine)
      openSettings(
        engine.desktop && bridge?.settingsKey
          ? { desktop: { endpoint: engine.desktop, key: () => bridge.settingsKey!() } }
          : { engine: engine.client },
      ).then(
        (s) => {
          if (closed) return void s.close()
          store = s
          // Mounting the app is a transition: React renders it in slices and the page
          // stays responsive while the library's first view is built.
          startTransition(() => setSettings(s))
          const loaded = loadIdentity(s)
          loaded.then(
            (id) => !closed && setIdentity(id),
            (error: unknown) => console.error('identity', error),
          )
          const privateKey = loaded.then(() => s.get('identity.privateKey') ?? '')
          const host =
            desktop && engine.desktop
              ? desktop.createDesktopCollabSource({
                  collab: engine.desktop,
                  settings: s,
                  privateKey,
                })
              : createCollabSource({ client: engine.client, settings: s, privateKey })
          source = host
          setCollab(host)
          if (desktop && bridge)
            stopGlue = desktop.startDesktopGlue({
              bridge,
              settings: s,
              client: engine.client,
              collab: host,
            })
        },
        (error: unknown) => setFailure(String(error)),
      )
    }
    // The desktop app's own parts (its window contract and transport, the collaboration
    // source over the utility process, the glue) stay out of the browser's bundle.
    if (bridge) import('./desktop-parts').then(begin, (error: unknown) => setFailure(String(error)))
    else begin(null)
    return () => {
      closed = true
      stopGlue?.()
      source?.dispose()
      started?.stop()
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
          identity={identity}
          subscribeLaunchFiles={subscribeLaunchFiles}
          {...(collab ? { collab } : {})}
          join={join}
          {...(desktopFolder ? { desktop: desktopFolder } : {})}
          onJoinHandled={() => {
            setJoin(null)
            if (location.pathname.startsWith('/join') || location.hash)
              history.replaceState(null, '', '/')
          }}
        />
      ) : (
        <Boot failure={failure && `WhatNext could not open its storage: ${failure}`} />
      )}
      {desktopState === 'reconnecting' && (
        <p className="engine-status" role="status">
          Reconnecting to the library…
        </p>
      )}
      <UpdatePrompt />
    </>
  )
}

/** The desktop app's library folder controls (absent in browsers). */
function desktopLibraryFolder() {
  const bridge = typeof window === 'undefined' ? undefined : window.whatnextDesktop
  if (!bridge?.libraryFolder || !bridge.chooseLibraryFolder) return null
  return {
    libraryFolder: () => bridge.libraryFolder!(),
    chooseLibraryFolder: () => bridge.chooseLibraryFolder!(),
  }
}

/**
 * A share link to open, from this page's URL: `/join#<token>` (a shared https link) or
 * `/join?link=web+whtnxt://join/<token>` (the PWA's protocol handler).
 */
function linkFromLocation(): string | null {
  if (!location.pathname.startsWith('/join')) return null
  const fromHandler = new URLSearchParams(location.search).get('link')
  if (fromHandler) return fromHandler
  return location.hash.length > 1 ? location.href : null
}
