import { useEffect, useState } from 'react'
import { refusedInboxes, watchKeyring, type RefusedInbox } from '~/review/keyring.client'

/** What failed, in the reviewer's words; the version named where one check failed on one version. */
function whatFailed(r: RefusedInbox): string {
  const v = r.keyVersion ? `Key version ${r.keyVersion}` : 'A key version'
  const of = r.keyVersion ? `key version ${r.keyVersion}` : 'a key version'
  switch (r.problem) {
    case 'signature':
      return `${v} is not signed by this inbox's identity key.`
    case 'identity-secret':
      return `The identity key sealed to you with ${of} does not match the identity key shown.`
    case 'box-secret':
      return `The secret key sealed to you for ${of} does not match its public key.`
    case 'duplicate-version':
      return `${v} was sent twice.`
    case 'unreadable-wrap':
      return `${v} is not sealed to your reviewer key.`
    case 'no-versions':
      return 'No key came with it.'
    case 'pin':
      return 'The record of its identity key that your keys made earlier has been altered.'
    case 'pin-identity':
      return 'Its identity key is not the one your keys recorded when you first used this inbox.'
    case 'pin-conflict':
      return 'The server holds a record of another identity key for this inbox and did not send it.'
    case 'log':
      return "Its key log does not hold together: an entry is missing, altered, or not signed by the inbox's identity key."
    case 'log-identity':
      return 'Its identity key is not the one its key log traces.'
    case 'not-logged':
      return `${v} is not in the inbox's key log.`
    case 'not-made-here':
      return 'Its identity key is not the one this browser has just made.'
  }
}

/**
 * Shown on every reviewer page while this tab refuses an inbox's keys (ADR 0021). Keys live in
 * page memory, so it is read in the browser only, and again whenever the keyring changes.
 */
export function KeyWarnings() {
  const [refused, setRefused] = useState<RefusedInbox[]>([])
  useEffect(() => {
    const read = () => setRefused([...refusedInboxes()])
    read()
    return watchKeyring(read)
  }, [])
  if (!refused.length) return null
  return (
    <>
      {refused.map((r) => (
        <section key={r.id} className="error-summary" role="alert" data-key-warning={r.id}>
          <h2>The keys the server sent for “{r.name}” could not be verified, so this browser is not using them</h2>
          <p>This tab opens nothing of this inbox and seals no reply or note to it. {whatFailed(r)}</p>
          <p>
            Do not work on this inbox from this browser until it is explained. Tell another member of the inbox and an admin, and ask whoever runs the server
            what changed. Signing in again checks the same keys again.
          </p>
        </section>
      ))}
    </>
  )
}
