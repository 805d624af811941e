/** Plain words for what the browser's passkey prompt can throw. */
export function passkeyError(err: unknown): string {
  const name = (err as { name?: string })?.name
  if (name === 'NotAllowedError') return 'The passkey request was cancelled or timed out. Try again.'
  if (name === 'InvalidStateError') return 'This passkey is already registered here.'
  if (name === 'NotSupportedError' || name === 'SecurityError') return 'This browser cannot use passkeys for this site.'
  return (err as Error)?.message || 'Something went wrong with the passkey. Try again.'
}
