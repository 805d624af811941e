import { categoryLabel, readAnswers, roleLabel, type Answers } from '#common/report-fields'
import type { FormValues } from '#common/answers'
import { useLang, useT } from './i18n'
import { RowBoundary } from './row-boundary'

/**
 * Where "Check your answers" lets each answer be changed: a button of the form `form` that posts
 * intent "edit" to `action(field)`, the form's address ending #field, so without JavaScript the
 * form comes back landing on that field; with it, the page takes the button's `data-field`.
 */
export type ChangeLinks = { form: string; action: (field: keyof FormValues) => string }

/**
 * The answers as the reporter gave them: always rendered as text, never as HTML. They are read
 * through readAnswers here too, so a value that is not the form's answers is never half-shown.
 */
export function AnswersList({
  answers,
  inboxName,
  audience = 'reporter',
  change,
}: {
  answers: unknown
  inboxName?: string
  audience?: 'reporter' | 'reviewer'
  change?: ChangeLinks
}) {
  const t = useT()
  const checked = readAnswers(answers)
  const unreadable = (
    <p className="bubble--unreadable" data-unreadable>
      {audience === 'reviewer' ? t('reporter.answers.unreadableReviewer') : t('reporter.answers.unreadable')}
    </p>
  )
  if (!checked) return unreadable
  return (
    <RowBoundary fallback={unreadable}>
      <Rows answers={checked} inboxName={inboxName} reviewer={audience === 'reviewer'} change={change} />
    </RowBoundary>
  )
}

function Rows({ answers, inboxName, reviewer, change }: { answers: Answers; inboxName?: string; reviewer: boolean; change?: ChangeLinks }) {
  const t = useT()
  const { lang } = useLang()
  const notSaid = t('reporter.answers.notSaid')
  // The reporter checks their own answers; reviewers read them about someone else.
  const rows: Array<[keyof FormValues, string, string]> = [
    ...(inboxName ? ([['inboxId', t('reporter.answers.sentTo'), inboxName]] as Array<[keyof FormValues, string, string]>) : []),
    ['categories', t('reporter.answers.kind'), answers.categories.map((c) => categoryLabel(t, c)).join(', ')],
    ['whatHappened', t('reporter.answers.whatHappened'), answers.whatHappened],
    ['when', t('reporter.answers.when'), answers.when || notSaid],
    ['where', t('reporter.answers.where'), answers.where || notSaid],
    ['who', t('reporter.answers.who'), answers.who || notSaid],
    ['role', reviewer ? t('reporter.answers.howReporterKnows') : t('reporter.answers.howYouKnow'), roleLabel(t, answers.role)],
    ['contact', reviewer ? t('reporter.answers.reporterContact') : t('reporter.answers.contact'), answers.contact || t('reporter.answers.anonymous')],
  ]
  return (
    <dl className="summary">
      {rows.map(([field, k, v]) => (
        <div key={field} className={change ? 'summary__row summary__row--change' : 'summary__row'}>
          <dt>{k}</dt>
          <dd className="preserve" dir="auto">
            {v}
          </dd>
          {change ? (
            <dd className="summary__change">
              <button type="submit" form={change.form} name="intent" value="edit" formAction={change.action(field)} data-field={field} className="button--link">
                {t('reporter.answers.change')}
                <span className="visually-hidden"> {k.toLocaleLowerCase(lang)}</span>
              </button>
            </dd>
          ) : null}
        </div>
      ))}
    </dl>
  )
}
