/**
 * Adds or edits a track. Values are checked against core's schemas before anything is
 * sent, and field errors the engine returns are shown next to their fields; nothing
 * changes until every field is valid.
 */
import {
  TrackInputSchema,
  TrackPatchSchema,
  ValidationError,
  formatDuration,
  parseDuration,
  type Track,
  type TrackFields,
} from '@whatnext/core/client'
import { useId, useState, type FormEvent } from 'react'
import { Dialog } from '../Dialog/Dialog'
import { errorMessage } from '../util'
import { issuesToFields, type TrackFieldName } from './field-errors'

/** Props of {@link TrackEditor}. */
export interface TrackEditorProps {
  /** The track to edit; absent to add a new one. */
  track?: Track
  /** Saves; may reject with a `ValidationError` whose issue paths name fields. */
  onSave(fields: TrackFields): Promise<void>
  onClose(): void
}

type Draft = Record<
  'title' | 'artists' | 'album' | 'duration' | 'source' | 'notes' | 'tags',
  string
>

const splitList = (text: string) =>
  text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)

function draftOf(track: Track | undefined): Draft {
  return {
    title: track?.title ?? '',
    artists: track?.artists.join(', ') ?? '',
    album: track?.album ?? '',
    duration: track?.durationMs == null ? '' : formatDuration(track.durationMs),
    source: track?.source ?? '',
    notes: track?.notes ?? '',
    tags: track?.tags.join(', ') ?? '',
  }
}

/** Turns the form's text into track fields, or field messages when it cannot. */
export function parseDraft(
  draft: Draft,
  mode: 'add' | 'edit',
): { fields: TrackFields; errors: Partial<Record<TrackFieldName, string>> } {
  const errors: Partial<Record<TrackFieldName, string>> = {}
  const durationMs = parseDuration(draft.duration)
  if (draft.duration.trim() && durationMs === null) {
    errors.durationMs = 'Duration must look like 3:25, 1:02:03 or a number of seconds'
  }
  const fields: TrackFields = {
    title: draft.title.trim(),
    artists: splitList(draft.artists),
    album: draft.album.trim(),
    durationMs,
    source: draft.source.trim(),
    notes: draft.notes,
    tags: [...new Set(splitList(draft.tags))],
  }
  const schema = mode === 'add' ? TrackInputSchema : TrackPatchSchema
  const parsed = schema.safeParse(fields)
  if (!parsed.success) {
    const mapped = issuesToFields(
      parsed.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message })),
    )
    for (const [k, v] of Object.entries(mapped)) errors[k as TrackFieldName] ??= v
  }
  if (mode === 'edit' && !fields.title && !fields.source) {
    errors.title ??= 'A track needs a title or a source'
  }
  return { fields, errors }
}

/** The add/edit track dialog. */
export function TrackEditor({ track, onSave, onClose }: TrackEditorProps) {
  const id = useId()
  const [draft, setDraft] = useState<Draft>(() => draftOf(track))
  const [errors, setErrors] = useState<Partial<Record<TrackFieldName, string>>>({})
  const [saving, setSaving] = useState(false)

  const submit = async (e: FormEvent) => {
    e.preventDefault()
    if (saving) return
    const { fields, errors: problems } = parseDraft(draft, track ? 'edit' : 'add')
    setErrors(problems)
    if (Object.keys(problems).length > 0) {
      // Take the user to the first field that needs attention.
      const firstInvalid = document.querySelector<HTMLElement>(`[id^="${id}"][aria-invalid]`)
      firstInvalid?.focus()
      return
    }
    setSaving(true)
    try {
      await onSave(fields)
      onClose()
    } catch (error) {
      setSaving(false)
      if (error instanceof ValidationError && error.issues.length > 0) {
        setErrors(issuesToFields(error.issues))
      } else setErrors({ form: errorMessage(error) })
    }
  }

  const field = (
    key: keyof Draft,
    labelText: string,
    errorKey: TrackFieldName,
    options: { multiline?: boolean; hint?: string; type?: string } = {},
  ) => {
    const inputId = `${id}-${key}`
    const errorId = `${inputId}-error`
    const hintId = `${inputId}-hint`
    const error = errors[errorKey]
    const describedBy = [options.hint ? hintId : '', error ? errorId : ''].filter(Boolean).join(' ')
    const common = {
      id: inputId,
      name: key,
      value: draft[key],
      onChange: (e: { target: { value: string } }) =>
        setDraft((d) => ({ ...d, [key]: e.target.value })),
      'aria-invalid': error ? true : undefined,
      'aria-describedby': describedBy || undefined,
    }
    return (
      <div className={`field field-${key}`}>
        <label htmlFor={inputId}>{labelText}</label>
        {options.multiline ? (
          <textarea rows={3} {...common} />
        ) : (
          <input type={options.type ?? 'text'} autoComplete="off" {...common} />
        )}
        {options.hint && (
          <p id={hintId} className="field-hint">
            {options.hint}
          </p>
        )}
        {error && (
          <p id={errorId} className="field-error">
            {error}
          </p>
        )}
      </div>
    )
  }

  return (
    <Dialog title={track ? 'Edit track' : 'Add track'} onClose={onClose}>
      <form onSubmit={submit} noValidate>
        {field('title', 'Title', 'title')}
        {field('artists', 'Artists', 'artists', { hint: 'Separate several with commas' })}
        {field('album', 'Album', 'album')}
        {field('duration', 'Duration', 'durationMs', { hint: 'm:ss or h:mm:ss' })}
        {field('source', 'Source URL', 'source', { hint: 'A link or a file path' })}
        {field('tags', 'Tags', 'tags', { hint: 'Separate with commas' })}
        {field('notes', 'Notes', 'notes', { multiline: true })}
        {errors.form && (
          <p className="field-error" role="alert">
            {errors.form}
          </p>
        )}
        <div className="dialog-actions">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={saving}>
            {track ? 'Save' : 'Add'}
          </button>
        </div>
      </form>
    </Dialog>
  )
}
