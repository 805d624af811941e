import { useEffect, useState } from 'react'
import { tracedFingerprint } from './reporter.client'

export type InboxCard = { name: string; log: unknown[]; fingerprint: string | null }

/**
 * Which inbox a report is sealed to and the fingerprint of its identity, to compare with what the
 * force prints on posters and its intranet. Without JavaScript the server's reading of its own
 * log is all there is; with it, this device traces the log and shows only what it traced.
 */
export function SealedTo({ inbox, sent }: { inbox: InboxCard; sent?: boolean }) {
  const [traced, setTraced] = useState<string | null | undefined>(undefined)
  useEffect(() => {
    let live = true
    void tracedFingerprint(inbox.log).then((f) => live && setTraced(f))
    return () => {
      live = false
    }
  }, [inbox.log])
  if (traced === null)
    return (
      <div className="error-summary" role="alert" data-untraceable>
        <h2>The keys of “{inbox.name}” could not be checked</h2>
        <p>This device could not trace them to the inbox&rsquo;s identity, so it seals nothing to them. Tell Professional Standards through another route.</p>
      </div>
    )
  const print = traced ?? inbox.fingerprint
  return (
    <div className="sealed-to" data-sealed-to>
      <p>
        {sent ? 'Sealed to' : 'Your report will be sealed to'} <strong>{inbox.name}</strong>.
      </p>
      {print ? (
        <p>
          Its fingerprint is <code data-fingerprint>{print}</code>. Check it matches the one on the posters and the intranet.
        </p>
      ) : null}
    </div>
  )
}
