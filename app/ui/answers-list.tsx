import { categoryLabel, readAnswers, roleLabel, type Answers } from '#common/report-fields'
import { RowBoundary } from './row-boundary'

/**
 * The answers as the reporter gave them: always rendered as text, never as HTML. They are read
 * through readAnswers here too, so a value that is not the form's answers is never half-shown.
 */
export function AnswersList({ answers, inboxName, audience = 'reporter' }: { answers: unknown; inboxName?: string; audience?: 'reporter' | 'reviewer' }) {
  const checked = readAnswers(answers)
  const unreadable = (
    <p className="bubble--unreadable" data-unreadable>
      {audience === 'reviewer' ? 'The answers in this report could not be read.' : 'Your answers could not be read.'}
    </p>
  )
  if (!checked) return unreadable
  return (
    <RowBoundary fallback={unreadable}>
      <Rows answers={checked} inboxName={inboxName} reviewer={audience === 'reviewer'} />
    </RowBoundary>
  )
}

function Rows({ answers, inboxName, reviewer }: { answers: Answers; inboxName?: string; reviewer: boolean }) {
  // The reporter checks their own answers; reviewers read them about someone else.
  const rows: Array<[string, string]> = [
    ...(inboxName ? ([['Sent to', inboxName]] as Array<[string, string]>) : []),
    ['What kind of behaviour', answers.categories.map(categoryLabel).join(', ')],
    ['What happened', answers.whatHappened],
    ['Roughly when', answers.when || 'Not said'],
    ['Where, or which team', answers.where || 'Not said'],
    ['Who was involved', answers.who || 'Not said'],
    [reviewer ? 'How the reporter knows' : 'How you know', roleLabel(answers.role)],
    [reviewer ? "Reporter's contact details" : 'Contact details', answers.contact || 'None: anonymous'],
  ]
  return (
    <dl className="summary">
      {rows.map(([k, v]) => (
        <div key={k} className="summary__row">
          <dt>{k}</dt>
          <dd className="preserve">{v}</dd>
        </div>
      ))}
    </dl>
  )
}
