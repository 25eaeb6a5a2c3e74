/**
 * Settings → Network: the STUN/TURN servers WebRTC uses. Each new entry is checked with
 * the settings schema before it is saved, with the reason beside the field it concerns;
 * the store checks the whole list again and its refusal is shown too.
 */
import {
  IceServerSchema,
  SETTINGS_LIMITS,
  ValidationError,
  type IceServer,
} from '@whatnext/core/client'
import { useId, useState, type FormEvent } from 'react'
import { errorMessage } from '../util'
import { useSetting } from './SettingsProvider'

type Field = 'urls' | 'username' | 'credential' | 'form'

/** The first message per field of `issues` (paths like `network.iceServers.2.urls`). */
function byField(issues: readonly { path: string | readonly PropertyKey[]; message: string }[]) {
  const out: Partial<Record<Field, string>> = {}
  for (const issue of issues) {
    const path = typeof issue.path === 'string' ? issue.path.split('.') : issue.path.map(String)
    const field = path.find(
      (p): p is Field => p === 'urls' || p === 'username' || p === 'credential',
    )
    out[field ?? 'form'] ??= issue.message
  }
  return out
}

/** The ICE servers editor. */
export function IceServersField() {
  const [servers, setServers] = useSetting('network.iceServers')
  const id = useId()
  const [urls, setUrls] = useState('')
  const [username, setUsername] = useState('')
  const [credential, setCredential] = useState('')
  const [errors, setErrors] = useState<Partial<Record<Field, string>>>({})
  const full = servers.length >= SETTINGS_LIMITS.iceServers

  const add = async (e: FormEvent) => {
    e.preventDefault()
    const candidate = {
      urls: urls.trim(),
      ...(username.trim() ? { username: username.trim() } : {}),
      ...(credential ? { credential } : {}),
    }
    const parsed = IceServerSchema.safeParse(candidate)
    if (!parsed.success) return setErrors(byField(parsed.error.issues))
    const server: IceServer = parsed.data
    if (/^turns?:/.test(server.urls) && (!server.username || !server.credential)) {
      // Browsers refuse a TURN server without both (RTCPeerConnection throws).
      return setErrors(
        server.username
          ? { credential: 'A TURN server needs a credential' }
          : { username: 'A TURN server needs a username and a credential' },
      )
    }
    if (servers.some((s) => s.urls === server.urls && s.username === server.username))
      return setErrors({ urls: 'This server is already in the list' })
    try {
      await setServers([...servers, server])
      setUrls('')
      setUsername('')
      setCredential('')
      setErrors({})
    } catch (error) {
      setErrors(
        error instanceof ValidationError && error.issues.length > 0
          ? byField(error.issues)
          : { form: errorMessage(error) },
      )
    }
  }

  const remove = (index: number) =>
    setServers(servers.filter((_, i) => i !== index)).then(
      () => setErrors({}),
      (error: unknown) => setErrors({ form: errorMessage(error) }),
    )

  const input = (
    field: Exclude<Field, 'form'>,
    label: string,
    value: string,
    set: (v: string) => void,
    extra: { type?: string; placeholder?: string; autoComplete?: string } = {},
  ) => (
    <div className="field">
      <label htmlFor={`${id}-${field}`}>{label}</label>
      <input
        id={`${id}-${field}`}
        value={value}
        spellCheck={false}
        aria-invalid={errors[field] ? true : undefined}
        aria-describedby={errors[field] ? `${id}-${field}-error` : undefined}
        onChange={(e) => {
          set(e.target.value)
          if (errors[field]) setErrors(({ [field]: _, ...rest }) => rest)
        }}
        {...extra}
      />
      {errors[field] && (
        <p id={`${id}-${field}-error`} className="field-error" role="alert">
          {errors[field]}
        </p>
      )}
    </div>
  )

  return (
    <fieldset className="ice-servers">
      <legend>STUN and TURN servers</legend>
      <p className="hint">
        Help devices on different networks reach each other directly. Without any, WhatNext connects
        directly where it can and goes through a relay otherwise.
      </p>
      {servers.length === 0 ? (
        <p className="muted">None.</p>
      ) : (
        <ul className="ice-list" aria-label="STUN and TURN servers">
          {servers.map((s, i) => (
            <li key={`${s.urls} ${s.username ?? ''}`}>
              <code>{s.urls}</code>
              {s.username && <span className="muted"> · user {s.username}</span>}
              {s.credential && <span className="muted"> · credential saved</span>}
              <button
                type="button"
                className="small"
                aria-label={`Remove ${s.urls}`}
                onClick={() => void remove(i)}
              >
                Remove
              </button>
            </li>
          ))}
        </ul>
      )}
      {full ? (
        <p className="muted">
          That is the most this list holds ({SETTINGS_LIMITS.iceServers}); remove one to add
          another.
        </p>
      ) : (
        <form
          className="ice-form"
          aria-label="Add a STUN or TURN server"
          onSubmit={(e) => void add(e)}
        >
          {input('urls', 'Server URL', urls, setUrls, {
            placeholder: 'stun:stun.example.org:3478 or turn:turn.example.org',
          })}
          <div className="ice-credentials">
            {input('username', 'Username (TURN)', username, setUsername, { autoComplete: 'off' })}
            {input('credential', 'Credential (TURN)', credential, setCredential, {
              type: 'password',
              autoComplete: 'new-password',
            })}
          </div>
          <button type="submit">Add server</button>
          {errors.form && (
            <p className="field-error" role="alert">
              {errors.form}
            </p>
          )}
        </form>
      )}
    </fieldset>
  )
}
