import { categoryLabel, roleLabel, type Answers } from '../../server/report-fields'

/** The answers as the reporter gave them: always rendered as text, never as HTML. */
export function AnswersList({ answers, inboxName }: { answers: Answers; inboxName?: string }) {
  const rows: Array<[string, string]> = [
    ...(inboxName ? ([['Sent to', inboxName]] as Array<[string, string]>) : []),
    ['What kind of behaviour', answers.categories.map(categoryLabel).join(', ')],
    ['What happened', answers.whatHappened],
    ['Roughly when', answers.when || 'Not said'],
    ['Where, or which team', answers.where || 'Not said'],
    ['Who was involved', answers.who || 'Not said'],
    ['How you know', roleLabel(answers.role)],
    ['Contact details', answers.contact || 'None: anonymous'],
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
