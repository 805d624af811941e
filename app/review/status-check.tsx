import type { CaseState } from '#crypto'
import { useT } from '~/ui/i18n'
import { outcomeLabel, statusLabel } from './triage-words'

/**
 * Beside the case chips: when the status the server lists is not the one a reviewer last signed
 * into the reporter's thread, the reviewer is told what the reporter is shown instead.
 */
export function StatusCheck({ served, signed }: { served: { status: string; outcome: string | null }; signed: CaseState | null }) {
  const t = useT()
  if (!signed || (signed.status === served.status && (signed.outcome ?? null) === served.outcome)) return null
  const name = (s: { status: string; outcome?: string | null }) =>
    s.outcome ? `${statusLabel(t, s.status)} (${outcomeLabel(t, s.outcome)})` : statusLabel(t, s.status)
  return (
    <p className="chain-notice" role="alert" data-status-check>
      {t('triage.chain.unsignedStatus', { served: name(served), signed: name(signed) })}
    </p>
  )
}
