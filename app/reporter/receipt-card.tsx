import { useEffect, useState, type FormEvent, type ReactNode } from 'react'
import { useHydrated } from '~/ui/hydrated'
import { HiddenValues } from '~/ui/fields'

const CLIPBOARD_SECONDS = 60

/** The receipt, big and grouped, with the advice on keeping it and a retype check before leaving. */
export function ReceiptCard(props: {
  receipt: string
  sealedIn: 'browser' | 'server'
  inboxId?: string
  sealedTo?: ReactNode
  confirmError?: string
  onConfirm?: (lastGroup: string) => void
}) {
  const hydrated = useHydrated()
  const [copied, setCopied] = useState(false)
  // A receipt left on the clipboard is one paste away for whoever holds the phone, and keyboard
  // apps keep clipboard history: it is replaced with nothing a minute after copying.
  useEffect(() => {
    if (!copied) return
    const timer = setTimeout(() => {
      void navigator.clipboard?.writeText('').catch(() => undefined)
      setCopied(false)
    }, CLIPBOARD_SECONDS * 1000)
    return () => clearTimeout(timer)
  }, [copied])
  const groups = props.receipt.split('-')
  const submit = (e: FormEvent<HTMLFormElement>) => {
    if (!props.onConfirm) return
    e.preventDefault()
    props.onConfirm(String(new FormData(e.currentTarget).get('lastGroup') ?? ''))
  }
  return (
    <section className="receipt" aria-labelledby="receipt-title">
      <h1 id="receipt-title">Your report has been sent</h1>
      <p className="sealed-note">
        {props.sealedIn === 'browser'
          ? 'It was sealed on this device before it was sent. Our server never saw your words or this code.'
          : 'JavaScript is off, so our server sealed your report in memory the moment it arrived and kept only the sealed copy. Your words and this code were not stored.'}
      </p>
      {props.sealedTo}
      <h2>Your receipt code</h2>
      <p className="receipt__code" aria-label={`Receipt code: ${groups.join(', ')}`} data-receipt={props.receipt}>
        {groups.map((g, i) => (
          <span key={i} className="receipt__group">
            {g}
          </span>
        ))}
      </p>
      {hydrated ? (
        <div className="actions no-print">
          <button
            type="button"
            className="button button--secondary"
            onClick={() =>
              navigator.clipboard?.writeText(props.receipt).then(
                () => setCopied(true),
                () => setCopied(false),
              )
            }
          >
            {copied ? 'Copied' : 'Copy code'}
          </button>
          <button type="button" className="button button--secondary" onClick={() => window.print()}>
            Print
          </button>
          {copied ? (
            <p className="hint" role="status">
              Copied. In a minute Candour empties the clipboard again, while this page is open. Paste it where you need it now.
            </p>
          ) : null}
        </div>
      ) : null}
      <div className="callout no-print">
        <h2>Keep it safe: it is the only way back</h2>
        <ul>
          <li>Write it down and keep it somewhere only you can get to.</li>
          <li>Do not screenshot it to a photo album that syncs or is shared.</li>
          <li>Do not email or message it to yourself, least of all at work.</li>
          <li>Nobody, including us, can recover it if you lose it.</li>
        </ul>
        <p>Come back in about a week and choose &ldquo;Check replies&rdquo; to see the response.</p>
      </div>
      <form method="post" className="no-print" onSubmit={submit}>
        <HiddenValues values={{ intent: 'confirm', receipt: props.receipt, ...(props.inboxId ? { inboxId: props.inboxId } : {}) }} />
        <div className={`field${props.confirmError ? ' field--error' : ''}`}>
          <label htmlFor="lastGroup" className="field__label">
            To check you have it, type the end of your code
          </label>
          <div className="hint" id="lastGroup-hint">
            The last group of four and the single character after it, like ABCD-E.
          </div>
          {props.confirmError ? (
            <p className="field__error" id="lastGroup-error" role="alert">
              {props.confirmError}
            </p>
          ) : null}
          <input
            id="lastGroup"
            name="lastGroup"
            className="input--short"
            autoComplete="off"
            autoCapitalize="characters"
            spellCheck={false}
            maxLength={12}
            aria-describedby={props.confirmError ? 'lastGroup-hint lastGroup-error' : 'lastGroup-hint'}
          />
        </div>
        <button type="submit" className="button">
          I have kept my code
        </button>
      </form>
    </section>
  )
}
