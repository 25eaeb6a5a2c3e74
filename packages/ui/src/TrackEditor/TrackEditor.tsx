/**
 * Adds or edits a track. Values are checked against core's schemas before anything is
 * sent, and field errors the engine returns are shown next to their fields; nothing
 * changes until every field is valid.
 */
import {
  TrackFieldsSchema,
  ValidationError,
  formatDuration,
  parseDuration,
  type Track,
  type TrackFields,
} from '@whatnext/core/client'
import { useId, useState, type FormEvent } from 'react'
import { Dialog } from '../Dialog/Dialog'
import { errorMessage } from '../util'

type FieldName = keyof TrackFields

/** Props of {@link TrackEditor}. */
export interface TrackEditorProps {
  /** The track to edit; absent to add a new one. */
  track?: Track
  /** Saves; may reject with a ValidationError whose issue paths end in field names. */
  onSave(fields: TrackFields): Promise<void>
  onClose(): void
}

const splitList = (text: string) =>
  text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)

/** The add/edit track dialog. */
export function TrackEditor({ track, onSave, onClose }: TrackEditorProps) {
  const id = useId()
  const [values, setValues] = useState({
    title: track?.title ?? '',
    artists: track?.artists.join(', ') ?? '',
    album: track?.album ?? '',
    duration: track?.durationMs == null ? '' : formatDuration(track.durationMs),
    source: track?.source ?? '',
    notes: track?.notes ?? '',
    tags: track?.tags.join(', ') ?? '',
  })
  const [errors, setErrors] = useState<Partial<Record<FieldName | 'form', string>>>({})
  const [saving, setSaving] = useState(false)
  const set = (key: keyof typeof values) => (e: { target: { value: string } }) =>
    setValues((v) => ({ ...v, [key]: e.target.value }))

  const submit = async (e: FormEvent) => {
    e.preventDefault()
    const problems: Partial<Record<FieldName | 'form', string>> = {}
    const durationMs = values.duration.trim() ? parseDuration(values.duration) : null
    if (values.duration.trim() && durationMs === null) {
      problems.durationMs = 'Duration must look like 3:25, 1:02:03 or a number of seconds'
    }
    const fields: TrackFields = {
      title: values.title.trim(),
      artists: splitList(values.artists),
      album: values.album.trim(),
      durationMs,
      source: values.source.trim(),
      notes: values.notes,
      tags: [...new Set(splitList(values.tags))],
    }
    const parsed = TrackFieldsSchema.safeParse(fields)
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const field = issue.path[0] as FieldName
        problems[field] ??= issue.message
      }
    }
    if (!fields.title && !fields.source) problems.title ??= 'A track needs a title or a source'
    setErrors(problems)
    if (Object.keys(problems).length > 0) return
    setSaving(true)
    try {
      await onSave(fields)
      onClose()
    } catch (error) {
      if (error instanceof ValidationError && error.issues.length > 0) {
        const next: typeof problems = {}
        for (const issue of error.issues) {
          const field = issue.path.split('.').find((p) => p in values || p === 'durationMs') as FieldName | undefined
          next[field ?? 'form'] ??= issue.message
        }
        setErrors(next)
      } else setErrors({ form: errorMessage(error) })
    } finally {
      setSaving(false)
    }
  }

  const field = (key: keyof typeof values, labelText: string, errorKey: FieldName, multiline = false, hint?: string) => {
    const inputId = `${id}-${key}`
    const errorId = `${inputId}-error`
    const error = errors[errorKey]
    const common = {
      id: inputId,
      value: values[key],
      onChange: set(key),
      'aria-invalid': error ? true : undefined,
      'aria-describedby': error ? errorId : undefined,
    }
    return (
      <div className="field">
        <label htmlFor={inputId}>{labelText}</label>
        {multiline ? <textarea rows={3} {...common} /> : <input type="text" {...common} placeholder={hint} />}
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
        {field('artists', 'Artists', 'artists', false, 'Separate several with commas')}
        {field('album', 'Album', 'album')}
        {field('duration', 'Duration', 'durationMs', false, 'm:ss')}
        {field('source', 'Source URL', 'source', false, 'https://… or a file path')}
        {field('tags', 'Tags', 'tags', false, 'Separate with commas')}
        {field('notes', 'Notes', 'notes', true)}
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
