/**
 * Joining a playlist someone shared: reads the link (from the address bar, a desktop
 * deep link, or pasted), says who shares it and what the user may do, and joins on
 * request. A link that does not parse changes nothing and says why; a link to one of the
 * user's own playlists just opens it.
 */
import {
  AppError,
  parseShareLink,
  shareUrls,
  toBase64Url,
  type PlaylistSummary,
  type ShareLink,
} from '@whatnext/core/client'
import { useEffect, useId, useMemo, useRef, useState } from 'react'
import { shortPeerId, useCollab } from '../Collab/CollabProvider'
import { Dialog } from '../Dialog/Dialog'
import { useEngine } from '../EngineProvider/EngineProvider'
import { useSetting } from '../Settings/SettingsProvider'
import { errorMessage } from '../util'

/** Props of {@link JoinDialog}. */
export interface JoinDialogProps {
  /** The link to open; null: the user pastes one. */
  link: string | null
  /** The library (loaded), to recognise the user's own and already joined playlists. */
  playlists: readonly PlaylistSummary[]
  /** This device's peer id, once known. */
  peerId: string | undefined
  /** The link is to a playlist of the user's own, which is in the library. */
  onOwn(playlistId: string): void
  /** Joined: the playlist is in the library now. */
  onJoined(playlistId: string): void
  onClose(): void
}

type Parsed = { ok: true; link: ShareLink } | { ok: false; message: string }

function parse(text: string): Parsed {
  try {
    return { ok: true, link: parseShareLink(text) }
  } catch (e) {
    return { ok: false, message: e instanceof AppError ? e.message : errorMessage(e) }
  }
}

/** The join prompt. */
export function JoinDialog({ link, playlists, peerId, onOwn, onJoined, onClose }: JoinDialogProps) {
  const client = useEngine()
  const collab = useCollab()
  const ids = useId()
  const [text, setText] = useState(link ?? '')
  const [parsed, setParsed] = useState<Parsed | null>(() => (link ? parse(link) : null))
  const [joining, setJoining] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const [friends] = useSetting('friends')

  const target = parsed?.ok ? parsed.link : null
  const existing = target ? playlists.find((p) => p.id === target.playlistId) : undefined
  const own =
    target !== null &&
    ((existing !== undefined && existing.shared?.kind !== 'joined') ||
      (peerId !== undefined && target.hostPeerId === peerId))

  // One's own playlist: nothing to join, just open it.
  const reported = useRef(false)
  useEffect(() => {
    if (own && existing && !reported.current) {
      reported.current = true
      onOwn(existing.id)
    }
  }, [own, existing, onOwn])

  const appUrl = useMemo(() => {
    if (!target || !collab || !/^https?:$/.test(location.protocol)) return null
    try {
      return shareUrls(collab.webOrigin, target).app
    } catch {
      return null
    }
  }, [target, collab])

  const join = async () => {
    if (!target) return
    setJoining(true)
    setError(null)
    try {
      const r = await client.request('share/join', {
        playlistId: target.playlistId,
        hostPeerId: target.hostPeerId,
        relays: target.relays,
        role: target.role,
        secret: toBase64Url(target.secret),
      })
      onJoined(r.playlistId)
    } catch (e) {
      setError(errorMessage(e))
      setJoining(false)
    }
  }

  const friend = target ? friends.find((f) => f.peerId === target.hostPeerId) : undefined
  const showForm = parsed === null || !parsed.ok

  return (
    <Dialog
      title="Join a shared playlist"
      onClose={onClose}
      initialFocus={showForm ? 'input' : '.dialog-actions button.primary'}
    >
      {showForm && (
        <form
          className="join-form"
          onSubmit={(e) => {
            e.preventDefault()
            reported.current = false
            setParsed(parse(text))
          }}
        >
          <div className="field">
            <label htmlFor={`${ids}-link`}>Share link</label>
            <input
              id={`${ids}-link`}
              value={text}
              placeholder="https://…/join#… or whtnxt://join/…"
              spellCheck={false}
              aria-invalid={parsed && !parsed.ok ? true : undefined}
              aria-describedby={parsed && !parsed.ok ? `${ids}-error` : `${ids}-hint`}
              onChange={(e) => {
                setText(e.target.value)
                if (parsed) setParsed(null)
              }}
            />
            {parsed && !parsed.ok ? (
              <p id={`${ids}-error`} className="field-error" role="alert">
                {parsed.message}
              </p>
            ) : (
              <p id={`${ids}-hint`} className="field-hint">
                Paste the link someone sent you.
              </p>
            )}
          </div>
          <div className="dialog-actions">
            <button type="button" onClick={onClose}>
              Cancel
            </button>
            <button type="submit" className="primary" disabled={text.trim() === ''}>
              Continue
            </button>
          </div>
        </form>
      )}
      {target && own && !existing && (
        <>
          <p role="alert">
            This link is to a playlist of your own that is no longer in your library.
          </p>
          <div className="dialog-actions">
            <button type="button" className="primary" onClick={onClose}>
              Close
            </button>
          </div>
        </>
      )}
      {target && own && existing && <p role="status">This is your own playlist.</p>}
      {target && !own && (
        <>
          <dl className="join-details">
            <dt>Shared by</dt>
            <dd>
              {friend?.name ? `${friend.name} ` : ''}
              <code title={target.hostPeerId}>{shortPeerId(target.hostPeerId)}</code>
            </dd>
            <dt>You</dt>
            <dd>
              {target.role === 'edit'
                ? 'can edit: add, change, reorder and remove tracks'
                : 'read-only: you see the playlist and its changes, but cannot change it'}
            </dd>
          </dl>
          {existing && (
            <p className="muted">
              This playlist is already in your library; joining again uses this link.
            </p>
          )}
          {target.relays.length === 0 && (
            <p className="warning">
              This link names no relay: it only connects when the host can be reached directly.
            </p>
          )}
          {error && (
            <p className="field-error" role="alert">
              {error}
            </p>
          )}
          <div className="dialog-actions">
            {appUrl && (
              <a className="button-link" href={appUrl}>
                Open in desktop app
              </a>
            )}
            <span className="toolbar-gap" />
            <button type="button" onClick={onClose}>
              Cancel
            </button>
            <button
              type="button"
              className="primary"
              disabled={joining}
              onClick={() => void join()}
            >
              {joining ? 'Joining…' : 'Join'}
            </button>
          </div>
        </>
      )}
    </Dialog>
  )
}
