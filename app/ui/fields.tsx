import type { MouseEvent, ReactNode } from 'react'

/**
 * An error link takes focus to its field, not just the view: for a group of choices, its first
 * one. The field's label or legend is kept in sight, under the sticky header. Without JavaScript
 * the link still jumps to the field.
 */
function focusField(e: MouseEvent, id: string) {
  const el = document.getElementById(id)
  if (!el) return
  e.preventDefault()
  const control = el.matches('input, textarea, select') ? el : el.querySelector<HTMLElement>('input, textarea, select')
  ;(control ?? el).focus({ preventScroll: true })
  ;(el.closest('.field') ?? el).scrollIntoView({ block: 'center' })
}

/** GOV.UK-style error summary: focusable, each problem links to its field. */
export function ErrorSummary({ errors }: { errors: Record<string, string | undefined> }) {
  const entries = Object.entries(errors).filter(([, v]) => v)
  if (entries.length === 0) return null
  return (
    <div className="error-summary" role="alert" tabIndex={-1} aria-labelledby="error-summary-title">
      <h2 id="error-summary-title">There is a problem</h2>
      <ul>
        {entries.map(([field, message]) => (
          <li key={field}>
            <a href={`#${field}`} onClick={(e) => focusField(e, field)}>
              {message}
            </a>
          </li>
        ))}
      </ul>
    </div>
  )
}

export function Field(props: { id: string; label: ReactNode; hint?: ReactNode; error?: string; children: ReactNode }) {
  return (
    <div className={`field${props.error ? ' field--error' : ''}`}>
      <label htmlFor={props.id} className="field__label">
        {props.label}
      </label>
      {props.hint ? (
        <div className="hint" id={`${props.id}-hint`}>
          {props.hint}
        </div>
      ) : null}
      {props.error ? (
        <p className="field__error" id={`${props.id}-error`}>
          <span className="visually-hidden">Error: </span>
          {props.error}
        </p>
      ) : null}
      {props.children}
    </div>
  )
}

export function describedBy(id: string, hint: boolean, error?: string) {
  return [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined
}

export function HiddenValues({ values }: { values: Record<string, string | string[]> }) {
  return (
    <>
      {Object.entries(values).flatMap(([k, v]) => (Array.isArray(v) ? v : [v]).map((one, i) => <input key={`${k}-${i}`} type="hidden" name={k} value={one} />))}
    </>
  )
}
