/** A read-only text field with a Copy button that says when it copied. */
import { useEffect, useId, useRef, useState } from 'react'

/** How long "Copied" stays, in ms. */
export const COPIED_MS = 2500

/** Props of {@link CopyField}. */
export interface CopyFieldProps {
  label: string
  value: string
  hint?: string
}

/**
 * Copies with the async clipboard API. Where that is missing or refused (an insecure
 * origin, a denied permission), it selects the text instead and says how to copy it.
 */
export function CopyField({ label, value, hint }: CopyFieldProps) {
  const id = useId()
  const input = useRef<HTMLInputElement>(null)
  const [state, setState] = useState<'idle' | 'copied' | 'manual'>('idle')
  useEffect(() => {
    if (state !== 'copied') return
    const timer = setTimeout(() => setState('idle'), COPIED_MS)
    return () => clearTimeout(timer)
  }, [state])
  // A new value (a replaced link) has not been copied yet.
  useEffect(() => setState('idle'), [value])
  const selectText = () => {
    input.current?.focus()
    input.current?.select()
  }
  const copy = async () => {
    try {
      if (!navigator.clipboard?.writeText) throw new Error('no clipboard')
      await navigator.clipboard.writeText(value)
      setState('copied')
    } catch {
      selectText()
      setState('manual')
    }
  }
  return (
    <div className="field copy-field">
      <label htmlFor={id}>{label}</label>
      <div className="copy-row">
        <input
          ref={input}
          id={id}
          readOnly
          value={value}
          spellCheck={false}
          aria-describedby={hint ? `${id}-hint` : undefined}
          onFocus={(e) => e.currentTarget.select()}
        />
        <button
          type="button"
          onClick={() => void copy()}
          aria-label={`Copy ${label.toLowerCase()}`}
        >
          {state === 'copied' ? 'Copied ✓' : 'Copy'}
        </button>
      </div>
      {hint && (
        <p id={`${id}-hint`} className="field-hint">
          {hint}
        </p>
      )}
      <p className="copy-status" role="status">
        {state === 'copied'
          ? 'Copied'
          : state === 'manual'
            ? 'Selected: press Ctrl+C (⌘C on a Mac) to copy.'
            : ''}
      </p>
    </div>
  )
}
