import { said, sayWith } from '#common/i18n/message'
import type { Translate } from '#common/i18n/translate'

/** Plain words for what the browser's passkey prompt can throw. */
export function passkeyError(err: unknown, t: Translate): string {
  const name = (err as { name?: string })?.name
  if (name === 'NotAllowedError') return t('enrol.passkeyError.cancelled')
  if (name === 'InvalidStateError') return t('enrol.passkeyError.registered')
  if (name === 'NotSupportedError' || name === 'SecurityError') return t('enrol.passkeyError.unsupported')
  // The server's refusals come already worded, our fetches' as messages; anything else gets the general sentence.
  return (err instanceof Error && sayWith(t, said(err))) || t('enrol.passkeyError.other')
}
