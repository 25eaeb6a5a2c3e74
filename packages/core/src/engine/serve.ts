/**
 * Binds an {@link Engine} to a bus endpoint: one handler per request channel and the
 * engine's events forwarded as bus events. Hosts call this once in their composition root.
 */
import { serveDiagnostics } from '../bus/diagnostics.ts'
import type { Endpoint } from '../bus/endpoint.ts'
import type { LogRing } from '../bus/log-ring.ts'
import type { PerformanceMonitor } from '../bus/monitor.ts'
import type { EngineContract } from './contract.ts'
import type { Engine } from './engine.ts'

/**
 * Serves `engine` on `endpoint`; returns a function that stops forwarding events. With
 * `diagnostics`, the host's log ring is forwarded to the other side and its monitor
 * answers `diagnostics/snapshot` (which reports the bus metrics either way).
 */
export function serveEngine(
  engine: Engine,
  endpoint: Endpoint<EngineContract>,
  diagnostics: { ring?: LogRing; monitor?: PerformanceMonitor } = {},
): () => void {
  const ok = { ok: true } as const
  endpoint.handle('library/list', () => ({ playlists: engine.listPlaylists() }))
  endpoint.handle('playlist/create', (p) => engine.createPlaylist(p))
  endpoint.handle('playlist/update', async (p) => (await engine.updatePlaylist(p), ok))
  endpoint.handle('playlist/delete', async (p) => (await engine.deletePlaylist(p.id), ok))
  endpoint.handle('playlist/get', (p) => engine.getPlaylistPage(p.id, p.offset, p.limit))
  endpoint.handle('playlist/addTracks', async (p) => ({
    ids: await engine.addTracks(p.playlistId, p.tracks, p.index),
  }))
  endpoint.handle('playlist/updateTrack', async (p) => {
    await engine.updateTrack(p.playlistId, p.trackId, p.patch)
    return ok
  })
  endpoint.handle('playlist/removeTracks', async (p) => ({
    removed: await engine.removeTracks(p.playlistId, p.trackIds),
  }))
  endpoint.handle('playlist/moveTracks', async (p) => ({
    moved: await engine.moveTracks(p.playlistId, p.trackIds, p.toIndex),
  }))
  endpoint.handle('history/undo', () => engine.undo())
  endpoint.handle('history/redo', () => engine.redo())
  endpoint.handle('history/state', () => engine.historyState())
  endpoint.handle('library/search', (p) => engine.search(p.query, p.limit))
  endpoint.handle('import/file', (p) =>
    engine.importFile(p.fileName, p.bytes, (progress) =>
      endpoint.emit('import/progressed', { importId: p.importId, ...progress }),
    ),
  )
  endpoint.handle('export/playlist', (p) => engine.exportPlaylist(p.id, p.format))
  endpoint.handle('share/get', (p) => ({ record: engine.getShare(p.playlistId) }))
  endpoint.handle('share/list', () => ({ shares: engine.listShares() }))
  endpoint.handle('share/create', async (p) => ({
    record: await engine.createShare(p.playlistId, p.role),
  }))
  endpoint.handle('share/revoke', async (p) => ({
    record: await engine.revokeShare(p.playlistId, p.role, p.replace),
  }))
  endpoint.handle('share/join', (p) => engine.joinShare(p))
  endpoint.handle('doc/state', (p) => ({ stateVector: engine.stateVectorOf(p.id) }))
  endpoint.handle('doc/sync', (p) => engine.syncDoc(p.id, p.stateVector))
  endpoint.handle('doc/apply', async (p) => (await engine.applyPeerUpdate(p.id, p.update), ok))

  const stopLogs = serveDiagnostics(endpoint, diagnostics)

  const stopEvents = engine.subscribe((event) => {
    switch (event.type) {
      case 'library/changed':
        endpoint.emit('library/changed', {})
        break
      case 'playlist/changed':
        endpoint.emit('playlist/changed', { id: event.id })
        break
      case 'history/changed':
        endpoint.emit('history/changed', event.state)
        break
      case 'share/changed':
        endpoint.emit('share/changed', {})
        break
      case 'doc/updated':
        endpoint.emit('doc/updated', { id: event.id, update: event.update })
        break
    }
  })
  return () => {
    stopEvents()
    stopLogs()
  }
}
