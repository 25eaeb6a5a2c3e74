/**
 * Who else is on a shared playlist: avatars (initials on the peer's colour) with what
 * each one is looking at, and "Save as friend".
 */
import type { Friend } from '@whatnext/core/client'
import { useEffect, useId, useRef, useState } from 'react'
import { initials, shortPeerId } from '../Collab/CollabProvider'
import type { CollabPeer } from '../Collab/types'
import { useSetting } from '../Settings/SettingsProvider'
import { errorMessage } from '../util'

/** What `peer` is looking at, in words, seen from `playlistId`. */
export function activity(
  peer: CollabPeer,
  playlistId: string,
  trackTitle: (id: string) => string | undefined,
): string {
  if (peer.playlistId !== playlistId)
    return peer.playlistId === null ? 'connected' : 'viewing another playlist'
  const title = peer.trackId ? trackTitle(peer.trackId) : undefined
  return title ? `looking at “${title}”` : 'viewing this playlist'
}

/** A name to show for a peer that may not have set one. */
export const peerName = (peer: { name: string; peerId: string }) =>
  peer.name.trim() || shortPeerId(peer.peerId)

/** Black or white, whichever reads better on `hex` (`#rrggbb`). */
export function textOn(hex: string): string {
  const m = /^#?([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex)
  if (!m) return '#fff'
  const [r, g, b] = [m[1], m[2], m[3]].map((h) => {
    const c = Number.parseInt(h!, 16) / 255
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4
  }) as [number, number, number]
  const luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b
  return luminance > 0.179 ? '#000' : '#fff'
}

/** The round initials badge of a peer (decorative: its name is said next to it). */
export function Avatar({ peer }: { peer: CollabPeer }) {
  return (
    <span
      className="avatar"
      aria-hidden="true"
      style={{ background: peer.colour, color: textOn(peer.colour) }}
    >
      {initials(peerName(peer))}
    </span>
  )
}

/** "Save as friend", or "Friend ✓" once saved. */
export function FriendButton({ peer }: { peer: { peerId: string; name: string } }) {
  const [friends, setFriends] = useSetting('friends')
  const [error, setError] = useState<string | null>(null)
  const name = peerName(peer)
  if (friends.some((f) => f.peerId === peer.peerId))
    return <span className="friend-mark">Friend ✓</span>
  const save = () => {
    const friend: Friend = { peerId: peer.peerId, name: name.slice(0, 64), addedAt: Date.now() }
    setFriends([...friends, friend]).then(
      () => setError(null),
      (e: unknown) => setError(errorMessage(e)),
    )
  }
  return (
    <>
      <button type="button" onClick={save} aria-label={`Save ${name} as friend`}>
        Save as friend
      </button>
      {error && (
        <span className="field-error" role="alert">
          {error}
        </span>
      )}
    </>
  )
}

/** Props of {@link PresenceList}. */
export interface PresenceListProps {
  playlistId: string
  peers: readonly CollabPeer[]
  /** Track titles by id, to say which track someone is on (null: not known here). */
  tracks: ReadonlyMap<string, string> | null
  /** `compact`: a row of avatars, each opening a card. Default: a full list. */
  variant?: 'compact' | 'full'
}

/** The people connected to a shared playlist. */
export function PresenceList({ playlistId, peers, tracks, variant = 'full' }: PresenceListProps) {
  const titleOf = (id: string) => tracks?.get(id)
  if (variant === 'full')
    return (
      <ul className="presence-full" aria-label="People connected now">
        {peers.map((peer) => (
          <li key={peer.peerId}>
            <Avatar peer={peer} />
            <span className="presence-text">
              <span className="presence-name">{peerName(peer)}</span>{' '}
              <span className="muted">{activity(peer, playlistId, titleOf)}</span>
            </span>
            <FriendButton peer={peer} />
          </li>
        ))}
      </ul>
    )
  return (
    <ul className="presence" aria-label="People here now">
      {peers.map((peer) => (
        <PresenceItem key={peer.peerId} peer={peer} doing={activity(peer, playlistId, titleOf)} />
      ))}
    </ul>
  )
}

/** One avatar in the header; a click (or Enter) opens a card with "Save as friend". */
function PresenceItem({ peer, doing }: { peer: CollabPeer; doing: string }) {
  const [open, setOpen] = useState(false)
  const id = useId()
  const button = useRef<HTMLButtonElement>(null)
  const card = useRef<HTMLDivElement>(null)
  const name = peerName(peer)
  useEffect(() => {
    if (!open) return
    card.current?.querySelector<HTMLElement>('button')?.focus()
    const close = (e: MouseEvent) => {
      const target = e.target as Node
      if (!card.current?.contains(target) && !button.current?.contains(target)) setOpen(false)
    }
    document.addEventListener('mousedown', close)
    return () => document.removeEventListener('mousedown', close)
  }, [open])
  return (
    <li className="presence-item">
      <button
        ref={button}
        type="button"
        className="avatar-button"
        aria-label={`${name}, ${doing}`}
        title={`${name} — ${doing}`}
        aria-expanded={open}
        aria-controls={open ? id : undefined}
        onClick={() => setOpen((o) => !o)}
      >
        <Avatar peer={peer} />
      </button>
      {open && (
        <div
          ref={card}
          id={id}
          className="presence-card"
          role="group"
          aria-label={name}
          onKeyDown={(e) => {
            if (e.key !== 'Escape') return
            e.preventDefault()
            e.stopPropagation()
            setOpen(false)
            button.current?.focus()
          }}
        >
          <p className="presence-name">{name}</p>
          <p className="muted">
            <code>{shortPeerId(peer.peerId)}</code> · {doing}
          </p>
          <FriendButton peer={peer} />
        </div>
      )}
    </li>
  )
}
