import { describe, expect, it } from 'vitest'
import {
  MAX_FAILED_STARTS,
  createUpdateService,
  feedUrl,
  markHealthy,
  onLaunch,
  versionFeedUrl,
  type LaunchRecord,
  type UpdateState,
  type UpdaterLike,
} from './update-policy.ts'

class FakeUpdater implements UpdaterLike {
  autoDownload = false
  autoInstallOnAppQuit = false
  allowPrerelease = false
  allowDowngrade = false
  feeds: string[] = []
  checks = 0
  installed: [boolean | undefined, boolean | undefined][] = []
  listeners = new Map<string, ((arg: never) => void)[]>()
  setFeedURL(o: { url: string }) {
    this.feeds.push(o.url)
  }
  async checkForUpdates() {
    this.checks++
    return null
  }
  on(event: string, listener: (arg: never) => void) {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener])
    return this
  }
  emit(event: string, arg: unknown) {
    for (const l of this.listeners.get(event) ?? []) l(arg as never)
  }
  quitAndInstall(silent?: boolean, runAfter?: boolean) {
    this.installed.push([silent, runAfter])
  }
}

function service(channel: 'stable' | 'beta' = 'stable') {
  const updater = new FakeUpdater()
  const states: UpdateState[] = []
  const intervals: number[] = []
  const s = createUpdateService(
    {
      updater,
      setInterval: (_fn, ms) => intervals.push(ms),
      clearInterval: () => {},
      onState: (st) => states.push(st),
    },
    { feedBase: 'https://updates.example/whatnext/', channel },
  )
  return { s, updater, states, intervals }
}

describe('launch record and fallback', () => {
  it('counts a launch as failed until it reports healthy', () => {
    const first = onLaunch(null, '1.0.0')
    expect(first).toEqual({
      action: 'run',
      record: { version: '1.0.0', lastGood: null, failedStarts: 1 },
    })
    expect(markHealthy(first.record, '1.0.0')).toEqual({
      version: '1.0.0',
      lastGood: '1.0.0',
      failedStarts: 0,
    })
  })

  it(`rolls back to the last good version after ${MAX_FAILED_STARTS} failed starts of a new one`, () => {
    let record: LaunchRecord = { version: '1.0.0', lastGood: '1.0.0', failedStarts: 0 }
    const outcomes: string[] = []
    for (let i = 0; i < 3; i++) {
      const decision = onLaunch(record, '1.1.0')
      outcomes.push(decision.action === 'rollback' ? `rollback:${decision.to}` : 'run')
      record = decision.record
    }
    expect(outcomes).toEqual(['run', 'run', 'rollback:1.0.0'])
  })

  it('never rolls back without a good older version, and a healthy start resets the count', () => {
    let record = onLaunch(null, '2.0.0').record
    record = onLaunch(record, '2.0.0').record
    expect(onLaunch(record, '2.0.0').action).toBe('run')
    record = markHealthy(record, '2.0.0')
    expect(onLaunch(record, '2.0.0')).toMatchObject({ action: 'run', record: { failedStarts: 1 } })
    expect(onLaunch({ junk: true } as never, '2.0.0').action).toBe('run')
  })
})

describe('update service', () => {
  it('checks at start and periodically on the chosen channel, downloading in the background', () => {
    const { s, updater, intervals } = service('stable')
    s.start()
    expect(updater).toMatchObject({
      autoDownload: true,
      autoInstallOnAppQuit: true,
      allowPrerelease: false,
      allowDowngrade: false,
    })
    expect(updater.feeds).toEqual(['https://updates.example/whatnext/stable/'])
    expect(updater.checks).toBe(1)
    expect(intervals).toEqual([4 * 3600_000])
  })

  it('switches to beta (prereleases on) and checks at once', () => {
    const { s, updater } = service('stable')
    s.start()
    s.setChannel('beta')
    expect(updater.feeds.at(-1)).toBe('https://updates.example/whatnext/beta/')
    expect(updater.allowPrerelease).toBe(true)
    expect(updater.checks).toBe(2)
    s.setChannel('beta')
    expect(updater.checks).toBe(2)
  })

  it('reports progress and readiness; installs on quit (never forced mid-session)', () => {
    const { s, updater, states } = service()
    s.start()
    updater.emit('download-progress', { percent: 41.6 })
    updater.emit('update-downloaded', { version: '1.2.0' })
    expect(states).toEqual([
      { state: 'checking' },
      { state: 'downloading', percent: 42 },
      { state: 'ready', version: '1.2.0' },
    ])
    expect(updater.installed).toEqual([])
  })

  it('rolls back by installing the archived previous version with downgrade allowed', async () => {
    const { s, updater } = service()
    const done = s.rollbackTo('1.0.0')
    await Promise.resolve()
    await Promise.resolve()
    updater.emit('update-downloaded', { version: '1.0.0' })
    await done
    expect(updater.allowDowngrade).toBe(true)
    expect(updater.feeds.at(-1)).toBe('https://updates.example/whatnext/versions/1.0.0/')
    expect(updater.installed).toEqual([[true, true]])
  })

  it('builds feed URLs and refuses odd versions', () => {
    expect(feedUrl('https://u.example//', 'beta')).toBe('https://u.example/beta/')
    expect(() => versionFeedUrl('https://u.example', '../../evil')).toThrow()
  })
})
