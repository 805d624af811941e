import type { FormEvent } from 'react'
import { LIMITS } from '#common/limits'
import type { FormErrors, FormValues } from '#common/answers'
import { CATEGORY_IDS, categoryLabel, ROLE_IDS, roleLabel } from '#common/report-fields'
import { ErrorSummary, Field, fieldAria, useSay } from '~/ui/fields'
import { useT } from '~/ui/i18n'
import type { FileLimits, UploadQueue } from '~/ui/upload-queue'
import { FilePicker } from '~/ui/file-picker'
import type { PlainFile } from '#server/plaintext/uploads.server'
import { FileRefsField, PlainFiles } from './plain-files'
import { Honeypot } from './honeypot'

export type InboxChoice = { id: string; name: string; description: string }

/** The report questions (ux.md step 2) on one short page; a plain HTML form that JS upgrades. */
export function ReportForm(props: {
  inboxes: InboxChoice[]
  values: FormValues
  errors: FormErrors
  onSubmit?: (e: FormEvent<HTMLFormElement>) => void
  /** Stated before anything is chosen. */
  fileLimits: FileLimits
  /** With JavaScript: files upload as soon as they are chosen. */
  uploads?: UploadQueue
  /** Without JavaScript: files already sent with an earlier step, and their hidden field. */
  plainFiles?: { files: PlainFile[]; fileRefs?: string }
}) {
  const { inboxes, values, errors } = props
  const t = useT()
  const say = useSay()
  return (
    // Multipart, so that without JavaScript the chosen files travel with the answers.
    <form method="post" encType="multipart/form-data" noValidate onSubmit={props.onSubmit} aria-describedby="form-intro">
      <ErrorSummary errors={errors} />
      <p id="form-intro">{t('report.form.intro')}</p>
      <input type="hidden" name="intent" value="review" />
      <Honeypot />

      {inboxes.length > 1 ? (
        // Choice groups are focusable, so that without JavaScript an error summary link moves focus to them, not only the view.
        <fieldset className={`field${errors.inboxId ? ' field--error' : ''}`} id="inboxId" tabIndex={-1}>
          <legend className="field__label">{t('report.form.inbox')}</legend>
          {errors.inboxId ? <p className="field__error">{say(errors.inboxId)}</p> : null}
          {inboxes.map((i) => (
            <label key={i.id} className="choice">
              <input type="radio" name="inboxId" value={i.id} defaultChecked={values.inboxId === i.id} required />
              <span>
                <strong>{i.name}</strong>
                {i.description ? <span className="choice__hint">{i.description}</span> : null}
              </span>
            </label>
          ))}
        </fieldset>
      ) : (
        <input type="hidden" name="inboxId" value={inboxes[0]?.id ?? ''} />
      )}

      <fieldset className={`field${errors.categories ? ' field--error' : ''}`} id="categories" tabIndex={-1}>
        <legend className="field__label">{t('report.form.categories')}</legend>
        <div className="hint">{t('report.form.categoriesHint')}</div>
        {errors.categories ? <p className="field__error">{say(errors.categories)}</p> : null}
        {CATEGORY_IDS.map((id) => (
          <label key={id} className="choice">
            <input type="checkbox" name="categories" value={id} defaultChecked={values.categories.includes(id)} />
            <span>{categoryLabel(t, id)}</span>
          </label>
        ))}
      </fieldset>

      <Field
        id="whatHappened"
        label={t('report.form.whatHappened')}
        hint={t('report.form.whatHappenedHint')}
        error={errors.whatHappened}
        limit={LIMITS.whatHappenedChars}
      >
        <textarea
          id="whatHappened"
          name="whatHappened"
          rows={8}
          required
          dir="auto"
          defaultValue={values.whatHappened}
          {...fieldAria('whatHappened', true, errors.whatHappened)}
        />
      </Field>

      <Field id="when" label={t('report.form.when')} hint={t('report.form.whenHint')} error={errors.when}>
        <input id="when" name="when" dir="auto" defaultValue={values.when} {...fieldAria('when', true, errors.when)} />
      </Field>

      <Field
        id="where"
        label={t('report.form.where')}
        hint={
          <>
            <strong>{t('report.form.whereCareful')}</strong> {t('report.form.whereHint')}
          </>
        }
        error={errors.where}
      >
        <input id="where" name="where" dir="auto" defaultValue={values.where} {...fieldAria('where', true, errors.where)} />
      </Field>

      <Field id="who" label={t('report.form.who')} hint={t('report.form.whoHint')} error={errors.who} limit={LIMITS.whoChars}>
        <textarea id="who" name="who" rows={3} dir="auto" defaultValue={values.who} {...fieldAria('who', true, errors.who)} />
      </Field>

      <fieldset className={`field${errors.role ? ' field--error' : ''}`} id="role">
        <legend className="field__label">{t('report.form.role')}</legend>
        {errors.role ? <p className="field__error">{say(errors.role)}</p> : null}
        {ROLE_IDS.map((id) => (
          <label key={id} className="choice">
            <input type="radio" name="role" value={id} defaultChecked={values.role === id} />
            <span>{roleLabel(t, id)}</span>
          </label>
        ))}
      </fieldset>

      <FilePicker limits={props.fileLimits} queue={props.uploads} hint={t('report.form.filesHint')} />
      {props.plainFiles?.files.length ? (
        <div className="field">
          <p className="field__label">{t('report.form.filesAdded')}</p>
          <PlainFiles files={props.plainFiles.files} />
        </div>
      ) : null}
      {props.plainFiles ? <FileRefsField {...props.plainFiles} /> : null}

      <Field id="contact" label={t('report.form.contact')} hint={t('report.form.contactHint')} error={errors.contact} limit={LIMITS.contactChars}>
        <textarea id="contact" name="contact" rows={2} dir="auto" defaultValue={values.contact} {...fieldAria('contact', true, errors.contact)} />
      </Field>

      <button type="submit" className="button">
        {t('report.form.continue')}
      </button>
    </form>
  )
}
