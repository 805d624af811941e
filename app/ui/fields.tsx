import { useEffect, useRef, useState, type MouseEvent, type ReactNode } from 'react'
import { sayWith, type Message } from '#common/i18n/message'
import { useHydrated } from './hydrated'
import { useLang, useT } from './i18n'

/** Says a message made below app/ (common/i18n/message.ts) in the page's language; a string is already said. */
export function useSay(): (m: Message | string) => string {
  const translate = useT()
  return (m) => sayWith(translate, m)
}

/**
 * Focus goes to a field, not just the view: for a group of choices, its first one. The field's
 * label or legend is kept in sight, under the sticky header.
 */
export function focusField(id: string): boolean {
  const el = document.getElementById(id)
  if (!el) return false
  const control = el.matches('input, textarea, select') ? el : el.querySelector<HTMLElement>('input, textarea, select')
  ;(control ?? el).focus({ preventScroll: true })
  ;(el.closest('.field') ?? el).scrollIntoView({ block: 'center' })
  return true
}

// Without JavaScript the link still jumps to the field.
const toField = (e: MouseEvent, id: string) => focusField(id) && e.preventDefault()

/** GOV.UK-style error summary: focusable, each problem links to its field. */
export function ErrorSummary({ errors }: { errors: Record<string, Message | string | undefined> }) {
  const t = useT()
  const say = useSay()
  const entries = Object.entries(errors).filter((e): e is [string, Message | string] => !!e[1])
  if (entries.length === 0) return null
  return (
    <div className="error-summary" role="alert" tabIndex={-1} aria-labelledby="error-summary-title">
      <h2 id="error-summary-title">{t('reporter.fields.problem')}</h2>
      <ul>
        {entries.map(([field, message]) => (
          <li key={field}>
            <a href={`#${field}`} onClick={(e) => toField(e, field)}>
              {say(message)}
            </a>
          </li>
        ))}
      </ul>
    </div>
  )
}

/**
 * A labelled field with its hint and error. With `limit`, a GOV.UK character count: the hint
 * states the limit, and with JavaScript a count follows the typing, read out once typing pauses.
 * Nothing is cut: a longer answer is refused with a message, so no words vanish unseen.
 */
export function Field(props: { id: string; label: ReactNode; hint?: ReactNode; error?: Message | string; limit?: number; children: ReactNode }) {
  const t = useT()
  const say = useSay()
  const { lang } = useLang()
  const hydrated = useHydrated()
  const box = useRef<HTMLDivElement>(null)
  const [length, setLength] = useState<number | null>(null)
  const read = () => setLength(box.current?.querySelector<HTMLTextAreaElement | HTMLInputElement>('textarea, input')?.value.length ?? 0)
  useEffect(() => {
    if (props.limit) read()
  }, [props.limit])
  const limit = props.limit
  return (
    <div className={`field${props.error ? ' field--error' : ''}`} ref={box} onInput={limit ? read : undefined}>
      <label htmlFor={props.id} className="field__label">
        {props.label}
      </label>
      {props.hint || limit ? (
        <div className="hint" id={`${props.id}-hint`}>
          {props.hint}
          {limit ? <> {t('reporter.count.limit', { max: limit.toLocaleString(lang) })}</> : null}
        </div>
      ) : null}
      {props.error ? (
        <p className="field__error" id={`${props.id}-error`}>
          <span className="visually-hidden">{t('reporter.fields.errorPrefix')}</span>
          {say(props.error)}
        </p>
      ) : null}
      {props.children}
      {limit && hydrated && length !== null ? <CharacterCount length={length} limit={limit} /> : null}
    </div>
  )
}

function CharacterCount({ length, limit }: { length: number; limit: number }) {
  const t = useT()
  const { lang } = useLang()
  const left = limit - length
  const n = Math.abs(left).toLocaleString(lang)
  const words =
    left >= 0
      ? left === 1
        ? t('reporter.count.remainingOne')
        : t('reporter.count.remaining', { n })
      : left === -1
        ? t('reporter.count.tooManyOne')
        : t('reporter.count.tooMany', { n })
  // Announced a second after typing stops, as GOV.UK's does: a count read on every key drowns the typing.
  const [spoken, setSpoken] = useState('')
  useEffect(() => {
    const timer = setTimeout(() => setSpoken(words), 1000)
    return () => clearTimeout(timer)
  }, [words])
  return (
    <>
      <p className={left < 0 ? 'field__error char-count' : 'hint char-count'} aria-hidden="true" data-char-count>
        {words}
      </p>
      <p className="visually-hidden" aria-live="polite">
        {spoken}
      </p>
    </>
  )
}

/** What a Field's control carries: its hint and error read with it, and marked invalid while it has an error. */
export function fieldAria(id: string, hint: boolean, error?: Message | string) {
  return {
    'aria-describedby': [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined,
    'aria-invalid': error ? true : undefined,
  }
}

export function HiddenValues({ values }: { values: Record<string, string | string[]> }) {
  return (
    <>
      {Object.entries(values).flatMap(([k, v]) => (Array.isArray(v) ? v : [v]).map((one, i) => <input key={`${k}-${i}`} type="hidden" name={k} value={one} />))}
    </>
  )
}
