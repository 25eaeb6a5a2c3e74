/**
 * What a desktop window does besides the web app: tells main which playlist it shows
 * (restored after a restart), applies the update channel setting, and raises an OS
 * notification when a collaborator joins while the window is not in front.
 */
import type { Endpoint, EngineContract } from '@whatnext/core/client'
import type { AppSettingsStore, CollabSource } from '@whatnext/ui'
import type { DesktopBridge } from './desktop-transport'

/** The playlist a `#/playlist/<id>` location shows (null: none). */
export function shownPlaylist(hash: string): string | null {
  const match = /^#\/playlist\/([A-Za-z0-9_-]{1,64})$/.exec(hash)
  return match ? match[1]! : null
}

/** Who arrived since `before`, by playlist: what a notification names. */
export function arrivals(
  before: Record<string, { peers: { peerId: string; name: string }[] }>,
  after: Record<string, { peers: { peerId: string; name: string }[] }>,
): { playlistId: string; name: string }[] {
  const out: { playlistId: string; name: string }[] = []
  for (const [playlistId, status] of Object.entries(after)) {
    const known = new Set((before[playlistId]?.peers ?? []).map((p) => p.peerId))
    for (const peer of status.peers)
      if (!known.has(peer.peerId)) out.push({ playlistId, name: peer.name.trim() || 'Someone' })
  }
  return out
}

export function startDesktopGlue(init: {
  bridge: DesktopBridge
  settings: AppSettingsStore
  client: Endpoint<EngineContract>
  collab: CollabSource | null
}): () => void {
  const { bridge, settings, client, collab } = init
  const stops: (() => void)[] = []

  const showing = () => void bridge.setShownPlaylist?.(shownPlaylist(location.hash))
  window.addEventListener('hashchange', showing)
  stops.push(() => window.removeEventListener('hashchange', showing))
  showing()

  const channel = () => void bridge.setUpdateChannel?.(settings.get('desktop.updateChannel'))
  stops.push(settings.onDidChange('desktop.updateChannel', channel))
  channel()

  if (collab && bridge.notify) {
    let last = collab.getSnapshot().playlists
    stops.push(
      collab.subscribe(() => {
        const next = collab.getSnapshot().playlists
        const came = arrivals(last, next)
        last = next
        if (came.length === 0 || document.hasFocus()) return
        void client.request('library/list', {}).then(({ playlists }) => {
          for (const { playlistId, name } of came) {
            const playlist = playlists.find((p) => p.id === playlistId)?.name ?? 'a playlist'
            void bridge.notify?.('WhatNext', `${name} joined “${playlist}”`)
          }
        })
      }),
    )
  }
  return () => {
    for (const stop of stops) stop()
  }
}
