import { categoryLabel, roleLabel, type Answers } from '../../server/report-fields'

/** The answers as the reporter gave them: always rendered as text, never as HTML. */
export function AnswersList({ answers, inboxName, audience = 'reporter' }: { answers: Answers; inboxName?: string; audience?: 'reporter' | 'reviewer' }) {
  // The reporter checks their own answers; reviewers read them about someone else.
  const reviewer = audience === 'reviewer'
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
