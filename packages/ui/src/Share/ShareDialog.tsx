/**
 * Sharing one of the user's playlists: an edit link and a read-only link, each made on
 * request, shown in both forms (https for the web app, whtnxt:// for the desktop app)
 * with Copy buttons and a QR code, and revocable (optionally replaced by a new one).
 * Says plainly when a link could not work yet (no key, no reachable relay).
 */
import {
  fromBase64Url,
  shareUrls,
  type ShareRecord,
  type ShareRole,
  type ShareUrls,
} from '@whatnext/core/client'
import {
  lazy,
  Suspense,
  useCallback,
  useEffect,
  useId,
  useRef,
  useState,
  type ReactNode,
} from 'react'
import { useCollab, useCollabSnapshot } from '../Collab/CollabProvider'
import { Dialog } from '../Dialog/Dialog'
import { useEngine } from '../EngineProvider/EngineProvider'
import { errorMessage } from '../util'
import { CopyField } from './CopyField'
import { PresenceList } from './Presence'

const QrCode = lazy(() => import('./QrCode').then((m) => ({ default: m.QrCode })))

/** Props of {@link ShareDialog}. */
export interface ShareDialogProps {
  playlist: { id: string; name: string }
  /** This device's peer id (the host of the links); absent while the key is being made. */
  peerId: string | undefined
  onClose(): void
  /** Opens Settings (where relays are added). */
  onOpenSettings?: () => void
}

const ROLES: { role: ShareRole; title: string; what: string }[] = [
  {
    role: 'edit',
    title: 'Edit link',
    what: 'Whoever opens it can add, change, reorder and remove tracks.',
  },
  {
    role: 'read',
    title: 'Read-only link',
    what: 'Whoever opens it sees the playlist and its changes, but cannot change it.',
  },
]

/** Largest number of relays a link carries. */
const MAX_RELAYS = 8

/** The share dialog of one playlist. */
export function ShareDialog({ playlist, peerId, onClose, onOpenSettings }: ShareDialogProps) {
  const client = useEngine()
  const collab = useCollab()
  const snapshot = useCollabSnapshot()
  const [record, setRecord] = useState<ShareRecord | null | undefined>(undefined)
  const [busy, setBusy] = useState<ShareRole | null>(null)
  const [error, setError] = useState<string | null>(null)
  // A read issued before a change must not overwrite the change's answer.
  const seq = useRef(0)
  const playlistId = playlist.id

  useEffect(() => {
    let live = true
    const load = () => {
      const mine = ++seq.current
      client.request('share/get', { playlistId }).then(
        (r) => live && mine === seq.current && setRecord(r.record),
        (e: unknown) => live && mine === seq.current && setError(errorMessage(e)),
      )
    }
    load()
    // Another tab or window may make or revoke a link meanwhile.
    const off = client.on('share/changed', load)
    return () => {
      live = false
      off()
    }
  }, [client, playlistId])

  const change = useCallback(
    async (role: ShareRole, run: () => Promise<{ record: ShareRecord | null }>) => {
      setBusy(role)
      setError(null)
      const mine = ++seq.current
      try {
        const r = await run()
        if (mine === seq.current) setRecord(r.record)
      } catch (e) {
        setError(errorMessage(e))
      } finally {
        setBusy(null)
      }
    },
    [],
  )

  const relays = snapshot.relays.slice(0, MAX_RELAYS)
  const status = snapshot.playlists[playlistId]
  const linkFor = (role: ShareRole): { urls: ShareUrls } | { error: string } | null => {
    const secret = record?.kind === 'hosted' ? record.grants[role] : undefined
    if (!secret || !peerId || !collab) return null
    const bytes = fromBase64Url(secret)
    if (!bytes) return { error: 'This link’s secret is damaged: revoke it and make a new one.' }
    try {
      return {
        urls: shareUrls(collab.webOrigin, {
          hostPeerId: peerId,
          relays,
          playlistId,
          role,
          secret: bytes,
        }),
      }
    } catch (e) {
      return { error: errorMessage(e) }
    }
  }

  const problems: ReactNode[] = []
  if (!peerId)
    problems.push(
      'Your key is still being made on this device; the links appear as soon as it is ready.',
    )
  if (snapshot.node === 'failed')
    problems.push(
      `Sharing is not running on this device${snapshot.nodeError ? `: ${snapshot.nodeError}` : ''}. Nobody can join until it is.`,
    )
  else if (relays.length === 0)
    problems.push(
      snapshot.node === 'starting' ? (
        'Looking for a relay… Links made now will not reach you from other networks until one answers.'
      ) : (
        <>
          No relay is reachable: add a relay address in{' '}
          {onOpenSettings ? (
            <button type="button" className="link-button" onClick={onOpenSettings}>
              Settings → Network
            </button>
          ) : (
            'Settings → Network'
          )}
          . Until then, links will not work from other devices.
        </>
      ),
    )

  return (
    <Dialog title={`Share “${playlist.name}”`} onClose={onClose}>
      <div className="share">
        {problems.length > 0 && (
          <div className="share-problems" role="status">
            {problems.map((p, i) => (
              <p key={i} className="warning">
                {p}
              </p>
            ))}
          </div>
        )}
        {record?.kind === 'joined' ? (
          <p>This playlist is shared with you; only its owner can make links to it.</p>
        ) : record === undefined && !error ? (
          <p className="muted" role="status">
            Loading…
          </p>
        ) : (
          ROLES.map(({ role, title, what }) => (
            <LinkSection
              key={role}
              role={role}
              title={title}
              what={what}
              exists={record?.kind === 'hosted' && record.grants[role] !== undefined}
              link={linkFor(role)}
              busy={busy === role}
              onCreate={() =>
                void change(role, () => client.request('share/create', { playlistId, role }))
              }
              onRevoke={(replace) =>
                void change(role, () =>
                  client.request('share/revoke', { playlistId, role, replace }),
                )
              }
            />
          ))
        )}
        {error && (
          <p className="field-error" role="alert">
            {error}
          </p>
        )}
        <section className="share-people" aria-labelledby="share-people-title">
          <h3 id="share-people-title">Connected now</h3>
          {status && status.peers.length > 0 ? (
            <PresenceList playlistId={playlistId} peers={status.peers} tracks={null} />
          ) : (
            <p className="muted">Nobody else is here right now.</p>
          )}
        </section>
        <div className="dialog-actions">
          <button type="button" className="primary" onClick={onClose}>
            Done
          </button>
        </div>
      </div>
    </Dialog>
  )
}

interface LinkSectionProps {
  role: ShareRole
  title: string
  what: string
  exists: boolean
  link: { urls: ShareUrls } | { error: string } | null
  busy: boolean
  onCreate(): void
  onRevoke(replace: boolean): void
}

function LinkSection({
  role,
  title,
  what,
  exists,
  link,
  busy,
  onCreate,
  onRevoke,
}: LinkSectionProps) {
  const ids = useId()
  const [confirming, setConfirming] = useState(false)
  const cancelRef = useRef<HTMLButtonElement>(null)
  const revokeRef = useRef<HTMLButtonElement>(null)
  const createRef = useRef<HTMLButtonElement>(null)
  useEffect(() => {
    if (confirming) cancelRef.current?.focus()
  }, [confirming])
  // Revoked: the buttons that had focus are gone; "Create" takes it rather than the page.
  const existed = useRef(exists)
  useEffect(() => {
    if (existed.current && !exists && document.activeElement === document.body)
      createRef.current?.focus()
    existed.current = exists
  }, [exists])
  const lower = title.toLowerCase()
  return (
    <section className="share-link" aria-labelledby={`${ids}-title`} data-role={role}>
      <h3 id={`${ids}-title`}>{title}</h3>
      <p className="muted">{what}</p>
      {!exists ? (
        <button
          ref={createRef}
          type="button"
          className="primary"
          disabled={busy}
          onClick={onCreate}
        >
          {busy ? 'Creating…' : `Create ${lower}`}
        </button>
      ) : (
        <>
          {link && 'urls' in link ? (
            <div className="share-forms">
              <div className="share-fields">
                <CopyField
                  label={`${title} (web)`}
                  value={link.urls.web}
                  hint="Opens WhatNext in a browser."
                />
                <CopyField
                  label={`${title} (desktop app)`}
                  value={link.urls.app}
                  hint="Opens the WhatNext desktop app."
                />
              </div>
              <Suspense fallback={<div className="qr qr-loading" aria-hidden="true" />}>
                <QrCode value={link.urls.web} label={`QR code of the ${lower}`} />
              </Suspense>
            </div>
          ) : link && 'error' in link ? (
            <p className="field-error">{link.error}</p>
          ) : null}
          {confirming ? (
            <div className="confirm-inline" role="group" aria-labelledby={`${ids}-confirm`}>
              <p id={`${ids}-confirm`}>
                Revoke the {lower}? It stops working, and whoever joined with it is disconnected.
              </p>
              <button
                ref={cancelRef}
                type="button"
                onClick={() => {
                  setConfirming(false)
                  revokeRef.current?.focus()
                }}
              >
                Cancel
              </button>
              <button
                type="button"
                className="danger"
                onClick={() => {
                  setConfirming(false)
                  onRevoke(false)
                }}
              >
                Revoke
              </button>
            </div>
          ) : (
            <div className="share-actions">
              <button
                ref={revokeRef}
                type="button"
                className="danger"
                disabled={busy}
                onClick={() => setConfirming(true)}
              >
                Revoke
              </button>
              <button type="button" disabled={busy} onClick={() => onRevoke(true)}>
                Revoke and make new link
              </button>
            </div>
          )}
        </>
      )}
    </section>
  )
}
