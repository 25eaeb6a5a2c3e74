/**
 * Main's own small state (window layout, launch record, update channel, library
 * folder) in one JSON file in the user-data folder, written atomically. The user's
 * settings proper live in the settings store; this is what main needs before any
 * window exists.
 */
import { readFileSync } from 'node:fs'
import { writeFileAtomic } from '@whatnext/storage/files/durable'
import type { UpdateChannel, LaunchRecord } from './update-policy.ts'
import type { WindowState } from './window-manager.ts'

/** PERSISTED NAMES. */
export interface DesktopState {
  windows: WindowState[] | null
  launch: LaunchRecord | null
  channel: UpdateChannel
  libraryDir: string | null
}

const EMPTY: DesktopState = { windows: null, launch: null, channel: 'stable', libraryDir: null }

/** Reads the state file; a missing or damaged one gives the defaults. */
export function readDesktopState(path: string): DesktopState {
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as Partial<DesktopState>
    return {
      windows: Array.isArray(parsed.windows) ? parsed.windows : null,
      launch: parsed.launch ?? null,
      channel: parsed.channel === 'beta' ? 'beta' : 'stable',
      libraryDir: typeof parsed.libraryDir === 'string' ? parsed.libraryDir : null,
    }
  } catch {
    return { ...EMPTY }
  }
}

/** Writes the state file (serialised: the last write wins, none interleave). */
export function desktopStateWriter(path: string) {
  let chain: Promise<void> = Promise.resolve()
  return (state: DesktopState): Promise<void> => {
    chain = chain.then(() => writeFileAtomic(path, JSON.stringify(state, null, 2))).catch(() => {})
    return chain
  }
}
