import { useT } from './i18n'

/**
 * A step's own title, for pages whose steps share one address (the report and check forms post
 * back to themselves, so a route's `meta`, which never sees what an action returned, cannot tell
 * the steps apart). It is rendered where the step is, and the route's `meta` names no title, so
 * this is the document's first <title> and the one the browser and screen readers announce, with
 * or without JavaScript. A step showing errors starts "Error: ", as GOV.UK's pages do.
 */
export function PageTitle({ step, error }: { step: string; error?: boolean }) {
  const t = useT()
  return <title>{error ? t('root.title.errorStep', { step }) : t('root.title.step', { step })}</title>
}

/** On a step change with JavaScript: to the error summary if there is one, else the step's heading. */
export function focusStep() {
  const target = document.querySelector<HTMLElement>('main .error-summary') ?? document.querySelector<HTMLElement>('main h1')
  if (!target) return
  if (!target.hasAttribute('tabindex')) target.setAttribute('tabindex', '-1')
  target.focus()
}
