import type { Translate } from '#common/i18n/translate'

/** Plain words for what the browser's passkey prompt can throw. */
export function passkeyError(err: unknown, t: Translate): string {
  const name = (err as { name?: string })?.name
  if (name === 'NotAllowedError') return t('enrol.passkeyError.cancelled')
  if (name === 'InvalidStateError') return t('enrol.passkeyError.registered')
  if (name === 'NotSupportedError' || name === 'SecurityError') return t('enrol.passkeyError.unsupported')
  // The server's refusals come already worded; anything else gets the general sentence.
  return (err as Error)?.message || t('enrol.passkeyError.other')
}
