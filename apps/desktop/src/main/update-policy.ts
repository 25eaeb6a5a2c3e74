/**
 * Updates: the channel (stable or beta) the user picked in settings, a check at start
 * and every few hours, downloads in the background with progress, install on quit — and
 * a way back: a version that fails to become healthy twice in a row is rolled back to
 * the last version that did. Pure: main adapts electron-updater's `autoUpdater` to
 * {@link UpdaterLike} and persists the {@link LaunchRecord} in the user-data folder.
 */

/** Update channels. PERSISTED NAMES (settings, and the feed's `<channel>.yml`). */
export type UpdateChannel = 'stable' | 'beta'

/** Survives restarts (a small JSON file). PERSISTED NAMES. */
export interface LaunchRecord {
  /** The version that last launched. */
  version: string | null
  /** Latest version that reported healthy. */
  lastGood: string | null
  /** Launches of `version` that never reported healthy. */
  failedStarts: number
}

export const EMPTY_RECORD: LaunchRecord = { version: null, lastGood: null, failedStarts: 0 }

/** Launches a new version may fail before the previous one is reinstalled. */
export const MAX_FAILED_STARTS = 2

/** What a launch should do. */
export type LaunchDecision =
  { action: 'run'; record: LaunchRecord } | { action: 'rollback'; to: string; record: LaunchRecord }

/**
 * Called first thing at start. A launch counts as failed until {@link markHealthy}; if
 * this version already failed `MAX_FAILED_STARTS` times and an older good one exists,
 * roll back to it.
 */
export function onLaunch(stored: LaunchRecord | null, version: string): LaunchDecision {
  const record = sanitize(stored)
  const failedStarts = record.version === version ? record.failedStarts : 0
  if (failedStarts >= MAX_FAILED_STARTS && record.lastGood && record.lastGood !== version)
    return { action: 'rollback', to: record.lastGood, record: { ...record, version, failedStarts } }
  return { action: 'run', record: { ...record, version, failedStarts: failedStarts + 1 } }
}

/** The app is up (a window loaded and the engine answered): this version is good. */
export function markHealthy(record: LaunchRecord, version: string): LaunchRecord {
  return { version, lastGood: version, failedStarts: 0 }
}

function sanitize(stored: LaunchRecord | null): LaunchRecord {
  if (!stored || typeof stored !== 'object') return { ...EMPTY_RECORD }
  return {
    version: typeof stored.version === 'string' ? stored.version : null,
    lastGood: typeof stored.lastGood === 'string' ? stored.lastGood : null,
    failedStarts: Number.isInteger(stored.failedStarts) ? Math.max(0, stored.failedStarts) : 0,
  }
}

/**
 * The generic feed: `<base>/<channel>/` holds `latest.yml` (electron-builder's
 * `generic` provider), and every release stays at `<base>/versions/<version>/` so a
 * rollback can fetch it.
 */
export function feedUrl(base: string, channel: UpdateChannel): string {
  return `${base.replace(/\/+$/, '')}/${channel}/`
}
export function versionFeedUrl(base: string, version: string): string {
  if (!/^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?$/.test(version))
    throw new Error(`Bad version ${version}`)
  return `${base.replace(/\/+$/, '')}/versions/${version}/`
}

/** The slice of electron-updater's `AppUpdater` used. */
export interface UpdaterLike {
  autoDownload: boolean
  autoInstallOnAppQuit: boolean
  allowPrerelease: boolean
  allowDowngrade: boolean
  setFeedURL(options: { provider: 'generic'; url: string; channel?: string }): void
  checkForUpdates(): Promise<unknown>
  on(event: 'download-progress', listener: (info: { percent: number }) => void): unknown
  on(event: 'update-downloaded', listener: (info: { version: string }) => void): unknown
  on(event: 'error', listener: (error: Error) => void): unknown
  quitAndInstall(isSilent?: boolean, isForceRunAfter?: boolean): void
}

/** What the UI is told. */
export type UpdateState =
  | { state: 'idle' }
  | { state: 'checking' }
  | { state: 'downloading'; percent: number }
  | { state: 'ready'; version: string }
  | { state: 'error'; message: string }

/** Options of {@link createUpdateService}. */
export interface UpdateServiceInit {
  feedBase: string
  channel: UpdateChannel
  /** Between checks. Default 4 h. */
  intervalMs?: number
}

/** Timers, the updater, and where state goes. */
export interface UpdateServiceComponents {
  updater: UpdaterLike
  setInterval(fn: () => void, ms: number): unknown
  clearInterval(handle: unknown): void
  onState(state: UpdateState): void
}

/** Drives the updater; see the module comment. */
export function createUpdateService(components: UpdateServiceComponents, init: UpdateServiceInit) {
  const { updater } = components
  let channel = init.channel
  let timer: unknown = null
  const configure = () => {
    updater.autoDownload = true
    updater.autoInstallOnAppQuit = true
    updater.allowDowngrade = false
    updater.allowPrerelease = channel === 'beta'
    updater.setFeedURL({
      provider: 'generic',
      url: feedUrl(init.feedBase, channel),
      channel: 'latest',
    })
  }
  updater.on('download-progress', (info) =>
    components.onState({ state: 'downloading', percent: Math.round(info.percent) }),
  )
  updater.on('update-downloaded', (info) =>
    components.onState({ state: 'ready', version: info.version }),
  )
  updater.on('error', (error) => components.onState({ state: 'error', message: error.message }))
  const check = async () => {
    components.onState({ state: 'checking' })
    try {
      await updater.checkForUpdates()
    } catch (error) {
      components.onState({ state: 'error', message: (error as Error).message })
    }
  }
  return {
    /** Checks now and then every `intervalMs`. */
    start() {
      configure()
      void check()
      timer = components.setInterval(() => void check(), init.intervalMs ?? 4 * 3600_000)
    },
    /** Switches channel (settings changed) and checks at once. */
    setChannel(next: UpdateChannel) {
      if (next === channel) return
      channel = next
      configure()
      void check()
    },
    channel: () => channel,
    /** Installs `version` from its archived feed (the rollback path) and restarts. */
    async rollbackTo(version: string) {
      updater.allowDowngrade = true
      updater.autoInstallOnAppQuit = true
      updater.setFeedURL({
        provider: 'generic',
        url: versionFeedUrl(init.feedBase, version),
        channel: 'latest',
      })
      await updater.checkForUpdates()
      await new Promise<void>((resolve) => updater.on('update-downloaded', () => resolve()))
      updater.quitAndInstall(true, true)
    },
    stop() {
      if (timer !== null) components.clearInterval(timer)
      timer = null
    },
  }
}
