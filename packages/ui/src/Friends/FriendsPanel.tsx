/**
 * Saved friends (settings `friends`): name, short peer id, online or not (from the
 * collaboration snapshot), rename and remove.
 */
import type { Friend } from '@whatnext/core/client'
import { useId, useState } from 'react'
import { shortPeerId, useCollabSnapshot } from '../Collab/CollabProvider'
import { useSetting } from '../Settings/SettingsProvider'
import { errorMessage } from '../util'

/** The Friends section of the sidebar. */
export function FriendsPanel() {
  const [friends, setFriends] = useSetting('friends')
  const snapshot = useCollabSnapshot()
  const [error, setError] = useState<string | null>(null)
  const titleId = useId()
  const save = (next: Friend[]) =>
    setFriends(next).then(
      () => setError(null),
      (e: unknown) => {
        setError(errorMessage(e))
        throw e
      },
    )
  return (
    <section className="friends" aria-labelledby={titleId}>
      <h2 id={titleId}>Friends</h2>
      {friends.length === 0 ? (
        <p className="muted hint">
          People you save with “Save as friend” on a shared playlist appear here.
        </p>
      ) : (
        <ul className="friend-list" aria-labelledby={titleId}>
          {friends.map((f) => (
            <FriendRow
              key={f.peerId}
              friend={f}
              online={snapshot.friends[f.peerId]?.online ?? false}
              onRename={(name) =>
                save(friends.map((x) => (x.peerId === f.peerId ? { ...x, name } : x)))
              }
              onRemove={() =>
                void save(friends.filter((x) => x.peerId !== f.peerId)).catch(() => undefined)
              }
            />
          ))}
        </ul>
      )}
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
    </section>
  )
}

function FriendRow({
  friend,
  online,
  onRename,
  onRemove,
}: {
  friend: Friend
  online: boolean
  onRename(name: string): Promise<void>
  onRemove(): void
}) {
  const [editing, setEditing] = useState(false)
  const [draft, setDraft] = useState(friend.name)
  const name = friend.name || shortPeerId(friend.peerId)
  const commit = () => {
    const next = draft.trim()
    if (next === friend.name) return setEditing(false)
    onRename(next).then(
      () => setEditing(false),
      () => undefined,
    )
  }
  return (
    <li className="friend">
      <span className={`presence-dot${online ? ' online' : ''}`} aria-hidden="true" />
      {editing ? (
        <input
          aria-label={`New name for ${name}`}
          value={draft}
          maxLength={64}
          autoFocus
          onChange={(e) => setDraft(e.target.value)}
          onBlur={commit}
          onKeyDown={(e) => {
            if (e.key === 'Enter') {
              e.preventDefault()
              commit()
            } else if (e.key === 'Escape') {
              e.preventDefault()
              e.stopPropagation()
              setDraft(friend.name)
              setEditing(false)
            }
          }}
        />
      ) : (
        <span className="friend-text">
          <span className="friend-name">{name}</span>{' '}
          <code className="muted" title={friend.peerId}>
            {shortPeerId(friend.peerId)}
          </code>{' '}
          <span className="muted friend-status">{online ? 'online' : 'offline'}</span>
        </span>
      )}
      {!editing && (
        <span className="friend-actions">
          <button
            type="button"
            className="small"
            aria-label={`Rename ${name}`}
            onClick={() => {
              setDraft(friend.name)
              setEditing(true)
            }}
          >
            Rename
          </button>
          <button
            type="button"
            className="small"
            aria-label={`Remove ${name} from friends`}
            onClick={onRemove}
          >
            Remove
          </button>
        </span>
      )}
    </li>
  )
}
