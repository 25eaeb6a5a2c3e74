/**
 * Settings: theme, display name, network (relays, STUN/TURN servers), import/export defaults, and the history of
 * changes with one-click restore. Every control applies at once (and in every open
 * tab); a value the schema refuses shows its reason next to the field and changes
 * nothing.
 */
import { SETTINGS_LIMITS, type AppSettings, type ThemeChoice } from '@whatnext/core/client'
import type { SettingsHistoryEntry } from '@whatnext/storage/settings'
import { useEffect, useId, useState, type ReactNode } from 'react'
import { Dialog } from '../Dialog/Dialog'
import { useTheme } from '../hooks/use-theme'
import { errorMessage } from '../util'
import { IceServersField } from './IceServersField'
import { useSetting, useSettings, useSettingsSnapshot } from './SettingsProvider'

const THEMES: { value: ThemeChoice; label: string }[] = [
  { value: 'system', label: 'Follow the system' },
  { value: 'light', label: 'Light' },
  { value: 'dark', label: 'Dark' },
]

const EXPORT_LABELS: Record<AppSettings['library']['exportFormat'], string> = {
  m3u8: 'M3U8',
  pls: 'PLS',
  xspf: 'XSPF',
  jspf: 'JSPF',
  csv: 'CSV',
  markdown: 'Markdown',
}

/** Props of {@link SettingsDialog}. */
export interface SettingsDialogProps {
  onClose(): void
  /** Offered when the host collects diagnostics. */
  onOpenDiagnostics?: () => void
  /** This device's peer id (the user id), once known. */
  peerId?: string
  /** The desktop app's controls (absent in browsers). */
  desktop?: DesktopControls | undefined
}

/** What the desktop app lets Settings do. */
export interface DesktopControls {
  /** The plaintext library folder in use. */
  libraryFolder(): Promise<string>
  /** Native folder dialog; the engine restarts on the chosen folder. Null: cancelled. */
  chooseLibraryFolder(): Promise<string | null>
}

/** The settings dialog. */
export function SettingsDialog({
  onClose,
  onOpenDiagnostics,
  peerId,
  desktop,
}: SettingsDialogProps) {
  const [theme, setTheme] = useTheme()
  const [openAfterImport, setOpenAfterImport] = useSetting('library.openAfterImport')
  const [exportFormat, setExportFormat] = useSetting('library.exportFormat')
  const [error, setError] = useState<string | null>(null)
  const report = (p: Promise<void>) =>
    p.then(
      () => setError(null),
      (e) => setError(errorMessage(e)),
    )
  return (
    <Dialog title="Settings" onClose={onClose}>
      <div className="settings">
        <fieldset>
          <legend>Theme</legend>
          {THEMES.map((t) => (
            <label key={t.value} className="choice">
              <input
                type="radio"
                name="theme"
                value={t.value}
                checked={theme === t.value}
                onChange={() => void report(setTheme(t.value))}
              />
              {t.label}
            </label>
          ))}
        </fieldset>
        <div className="field">
          <span id="peer-id-label">Your peer id</span>
          <p className="peer-id">
            <code aria-labelledby="peer-id-label" data-testid="peer-id">
              {peerId ?? 'Making your key…'}
            </code>{' '}
            {peerId && (
              <button
                type="button"
                onClick={() => void navigator.clipboard?.writeText(peerId).catch(() => undefined)}
              >
                Copy
              </button>
            )}
          </p>
          <p className="hint">
            Made on this device on first start; collaborators know you by it. Its private key never
            leaves this device and is stored encrypted.
          </p>
        </div>
        <DisplayNameField />
        <fieldset className="network">
          <legend>Network</legend>
          <RelaysField />
          <IceServersField />
        </fieldset>
        <fieldset>
          <legend>Import and export</legend>
          <label className="choice">
            <input
              type="checkbox"
              checked={openAfterImport}
              onChange={(e) => void report(setOpenAfterImport(e.target.checked))}
            />
            Open a playlist when its import finishes
          </label>
          <label className="field">
            <span>Export format offered first</span>
            <select
              value={exportFormat}
              onChange={(e) =>
                void report(
                  setExportFormat(e.target.value as AppSettings['library']['exportFormat']),
                )
              }
            >
              {Object.entries(EXPORT_LABELS).map(([value, label]) => (
                <option key={value} value={value}>
                  {label}
                </option>
              ))}
            </select>
          </label>
        </fieldset>
        {desktop && <DesktopFields desktop={desktop} onError={setError} />}
        {error && (
          <p role="alert" className="field-error">
            {error}
          </p>
        )}
        <HistoryPanel />
        <div className="dialog-actions">
          {onOpenDiagnostics && (
            <button type="button" onClick={onOpenDiagnostics}>
              Diagnostics
            </button>
          )}
          <button type="button" className="primary" onClick={onClose}>
            Done
          </button>
        </div>
      </div>
    </Dialog>
  )
}

/** A text field saved on blur or Enter; shows the store's refusal under it. */
function SavedField({
  label,
  hint,
  value,
  save,
  multiline,
}: {
  label: string
  hint: ReactNode
  value: string
  save(text: string): Promise<void>
  multiline?: boolean
}) {
  const id = useId()
  const [text, setText] = useState(value)
  const [error, setError] = useState<string | null>(null)
  // Another tab (or a restore) changed it: show the new value unless mid-edit.
  useEffect(() => setText(value), [value])
  const commit = () => {
    if (text === value) return setError(null)
    save(text).then(
      () => setError(null),
      (e: unknown) => setError(errorMessage(e)),
    )
  }
  const common = {
    id,
    value: text,
    'aria-invalid': error ? true : undefined,
    'aria-describedby': `${id}-hint${error ? ` ${id}-error` : ''}`,
    onBlur: commit,
  }
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {multiline ? (
        <textarea {...common} rows={3} onChange={(e) => setText(e.target.value)} />
      ) : (
        <input
          {...common}
          onChange={(e) => setText(e.target.value)}
          onKeyDown={(e) => e.key === 'Enter' && (e.preventDefault(), commit())}
        />
      )}
      <p id={`${id}-hint`} className="hint">
        {hint}
      </p>
      {error && (
        <p id={`${id}-error`} className="field-error" role="alert">
          {error}
        </p>
      )}
    </div>
  )
}

function DisplayNameField() {
  const [name, setName] = useSetting('profile.displayName')
  return (
    <SavedField
      label="Display name"
      hint={`What collaborators see next to you (up to ${SETTINGS_LIMITS.displayNameChars} characters).`}
      value={name}
      save={setName}
    />
  )
}

function RelaysField() {
  const [relays, setRelays] = useSetting('network.relayAddresses')
  return (
    <SavedField
      label="Relay addresses"
      hint="One multiaddr per line, e.g. /dns4/relay.example/tcp/443/wss/p2p/12D3Koo…"
      value={relays.join('\n')}
      multiline
      save={(text) =>
        setRelays(
          text
            .split('\n')
            .map((l) => l.trim())
            .filter(Boolean),
        )
      }
    />
  )
}

const TIME = new Intl.DateTimeFormat('en', { dateStyle: 'medium', timeStyle: 'medium' })

/** An item of a list setting: a STUN/TURN server by its URL (never its credential), a friend by name. */
function describeItem(value: unknown): string {
  if (value === null || typeof value !== 'object') return String(value)
  const o = value as Record<string, unknown>
  if (typeof o.urls === 'string') return o.urls
  if (typeof o.peerId === 'string') return typeof o.name === 'string' && o.name ? o.name : o.peerId
  return JSON.stringify(value)
}

function describe(value: unknown): string {
  if (value === undefined) return '(default)'
  if (Array.isArray(value))
    return value.length === 0 ? '(none)' : value.map(describeItem).join(', ')
  if (value === '') return '(empty)'
  return typeof value === 'string' ? value : JSON.stringify(value)
}

/**
 * Changes, newest first, each with a button that puts the settings back as they were
 * just before it (a new change itself, so a restore can be restored too).
 */
function HistoryPanel() {
  const settings = useSettings()
  // Re-read the history whenever the settings change (here or in another tab).
  const snapshot = useSettingsSnapshot()
  const [entries, setEntries] = useState<SettingsHistoryEntry[]>(() => settings.history())
  const [error, setError] = useState<string | null>(null)
  useEffect(() => {
    let live = true
    setEntries(settings.history())
    // A change applies at once but enters the history when it is durable.
    void settings.flush().then(() => live && setEntries(settings.history()))
    return () => {
      live = false
    }
  }, [settings, snapshot])
  const newestFirst = [...entries].reverse()
  return (
    <section className="settings-history" aria-labelledby="settings-history-title">
      <h3 id="settings-history-title">History</h3>
      {newestFirst.length === 0 ? (
        <p className="muted">No changes yet.</p>
      ) : (
        <ol aria-label="Settings history">
          {newestFirst.map((entry) => (
            <li key={entry.seq}>
              <time dateTime={new Date(entry.at).toISOString()}>{TIME.format(entry.at)}</time>
              <ul>
                {entry.changes.map((c) => (
                  <li key={c.path}>
                    <code>{c.path}</code>: {describe(c.before)} → {describe(c.after)}
                  </li>
                ))}
              </ul>
              {entry.at - 1 >= settings.historyStart && (
                <button
                  type="button"
                  aria-label={`Restore the settings from before the change at ${TIME.format(entry.at)}`}
                  onClick={() =>
                    settings.rollback(entry.at - 1).then(
                      () => setError(null),
                      (e: unknown) => setError(errorMessage(e)),
                    )
                  }
                >
                  Restore to before this
                </button>
              )}
            </li>
          ))}
        </ol>
      )}
      {error && (
        <p role="alert" className="field-error">
          {error}
        </p>
      )}
    </section>
  )
}

/** The desktop app's own settings: where the library folder is, and the update channel. */
function DesktopFields({
  desktop,
  onError,
}: {
  desktop: DesktopControls
  onError(message: string | null): void
}) {
  const [channel, setChannel] = useSetting('desktop.updateChannel')
  const [folder, setFolder] = useState<string | null>(null)
  const [choosing, setChoosing] = useState(false)
  useEffect(() => {
    let live = true
    desktop.libraryFolder().then(
      (f) => live && setFolder(f),
      (e: unknown) => live && onError(errorMessage(e)),
    )
    return () => {
      live = false
    }
  }, [desktop, onError])
  const choose = async () => {
    setChoosing(true)
    try {
      const chosen = await desktop.chooseLibraryFolder()
      if (chosen) setFolder(chosen)
      onError(null)
    } catch (e) {
      onError(`The library folder was not changed: ${e instanceof Error ? e.message : String(e)}`)
    } finally {
      setChoosing(false)
    }
  }
  return (
    <fieldset>
      <legend>Desktop app</legend>
      <div className="field">
        <span id="library-folder-label">Library folder</span>
        <p className="peer-id">
          <code aria-labelledby="library-folder-label">{folder ?? '…'}</code>{' '}
          <button type="button" disabled={choosing} onClick={() => void choose()}>
            {choosing ? 'Choosing…' : 'Choose…'}
          </button>
        </p>
        <p className="hint">
          One Markdown file per playlist, readable and editable outside the app; changes made there
          are picked up.
        </p>
      </div>
      <label className="field">
        <span>Updates</span>
        <select
          value={channel}
          onChange={(e) =>
            void setChannel(e.target.value as 'stable' | 'beta').then(
              () => onError(null),
              (err: unknown) => onError(errorMessage(err)),
            )
          }
        >
          <option value="stable">Stable releases</option>
          <option value="beta">Beta releases (earlier, less tested)</option>
        </select>
      </label>
    </fieldset>
  )
}
