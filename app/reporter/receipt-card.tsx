import { useEffect, useState, type FormEvent, type ReactNode } from 'react'
import { useHydrated } from '~/ui/hydrated'
import type { Message } from '#common/i18n/message'
import { HiddenValues, useSay } from '~/ui/fields'
import { useT } from '~/ui/i18n'
import { GroupedCode } from '~/ui/grouped-code'

const CLIPBOARD_SECONDS = 60

/** The receipt, big and grouped, with the advice on keeping it and a retype check before leaving. */
export function ReceiptCard(props: {
  receipt: string
  sealedIn: 'browser' | 'server'
  inboxId?: string
  sealedTo?: ReactNode
  confirmError?: Message
  onConfirm?: (lastGroup: string) => void
}) {
  const t = useT()
  const say = useSay()
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
  const submit = (e: FormEvent<HTMLFormElement>) => {
    if (!props.onConfirm) return
    e.preventDefault()
    props.onConfirm(String(new FormData(e.currentTarget).get('lastGroup') ?? ''))
  }
  return (
    <section className="receipt" aria-labelledby="receipt-title">
      <h1 id="receipt-title">{t('report.receipt.title')}</h1>
      <p className="sealed-note">{props.sealedIn === 'browser' ? t('report.receipt.sealedBrowser') : t('report.receipt.sealedServer')}</p>
      {props.sealedTo}
      <h2>{t('report.receipt.code')}</h2>
      <GroupedCode code={props.receipt} kind="receipt" />
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
            {copied ? t('report.receipt.copied') : t('report.receipt.copy')}
          </button>
          <button type="button" className="button button--secondary" onClick={() => window.print()}>
            {t('report.receipt.print')}
          </button>
          {copied ? (
            <p className="hint" role="status">
              {t('report.receipt.copiedHint')}
            </p>
          ) : null}
        </div>
      ) : null}
      <div className="callout no-print">
        <h2>{t('report.receipt.keep')}</h2>
        <ul>
          <li>{t('report.receipt.keepWrite')}</li>
          <li>{t('report.receipt.keepScreenshot')}</li>
          <li>{t('report.receipt.keepEmail')}</li>
          <li>{t('report.receipt.keepLost')}</li>
        </ul>
        <p>{t('report.receipt.comeBack')}</p>
      </div>
      <form method="post" className="no-print" onSubmit={submit}>
        <HiddenValues values={{ intent: 'confirm', receipt: props.receipt, ...(props.inboxId ? { inboxId: props.inboxId } : {}) }} />
        <div className={`field${props.confirmError ? ' field--error' : ''}`}>
          <label htmlFor="lastGroup" className="field__label">
            {t('report.receipt.confirm')}
          </label>
          <div className="hint" id="lastGroup-hint">
            {t('report.receipt.confirmHint')}
          </div>
          {props.confirmError ? (
            <p className="field__error" id="lastGroup-error" role="alert">
              {say(props.confirmError)}
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
          {t('report.receipt.kept')}
        </button>
      </form>
    </section>
  )
}
