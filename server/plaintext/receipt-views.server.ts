import { randomBytes } from 'node:crypto'
import { withLang } from '#common/i18n/lang-url'

/** What a no-JS receipt page shows again on Back or reload. */
export type ReceiptView = { step: 'receipt'; receipt: string; sealedIn: 'browser' | 'server'; inboxId?: string }
type Shown = ReceiptView | { step: 'done'; sealedIn: 'browser' | 'server' } | { step: 'gone' }

/** The address parameter that names a kept view: 22 base64url characters, nothing else. */
export const RECEIPT_VIEW_PARAM = 'shown'
const NAME = /^[A-Za-z0-9_-]{22}$/

/**
 * The no-JS receipt, reached by POST-redirect-GET: the send step keeps the view here, in this
 * process's memory only, under a random name the redirect puts in the address, so Back and reload
 * show the code again instead of an error page or a second send. The code itself is never in an
 * address, a log or on disk. Once the reporter shows they kept it, the name shows "done"; after
 * `minutes`, or a restart, it shows that the page has closed. At most `max` at once, oldest out.
 */
export function receiptViews({ minutes = 30, max = 5000, now = () => Date.now() } = {}) {
  const views = new Map<string, { shown: ReceiptView | { step: 'done'; sealedIn: ReceiptView['sealedIn'] }; until: number }>()
  const sweep = () => {
    for (const [name, v] of views) if (v.until <= now()) views.delete(name)
  }
  const at = (request: Request, name: string) => {
    const url = new URL(request.url)
    return withLang(`${url.pathname}?${RECEIPT_VIEW_PARAM}=${name}`, url.searchParams.get('lang') ?? 'en')
  }
  return {
    /** Keeps a receipt step and answers where to show it. */
    keep(request: Request, view: ReceiptView): string {
      sweep()
      while (views.size >= max) views.delete(views.keys().next().value!)
      const name = randomBytes(16).toString('base64url')
      views.set(name, {
        shown: { step: 'receipt', receipt: view.receipt, sealedIn: view.sealedIn, ...(view.inboxId ? { inboxId: view.inboxId } : {}) },
        until: now() + minutes * 60_000,
      })
      return at(request, name)
    },
    /** The code was kept: the view's address now shows "done", and the code is forgotten. */
    done(request: Request, sealedIn: ReceiptView['sealedIn']): string | undefined {
      const name = new URL(request.url).searchParams.get(RECEIPT_VIEW_PARAM) ?? ''
      const v = views.get(name)
      if (!v) return undefined
      v.shown = { step: 'done', sealedIn }
      return at(request, name)
    },
    /** What the page at this address shows, if it names a view: none when it names none. */
    shown(request: Request): Shown | undefined {
      const name = new URL(request.url).searchParams.get(RECEIPT_VIEW_PARAM)
      if (name === null) return undefined
      const v = NAME.test(name) ? views.get(name) : undefined
      return v && v.until > now() ? v.shown : { step: 'gone' }
    },
  }
}

export type ReceiptViews = ReturnType<typeof receiptViews>
