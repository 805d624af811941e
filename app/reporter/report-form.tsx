import type { FormEvent } from 'react'
import { LIMITS } from '#common/limits'
import type { FormErrors, FormValues } from '#common/answers'
import { CATEGORIES, ROLES } from '#common/report-fields'
import { describedBy, ErrorSummary, Field } from '~/ui/fields'
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
  return (
    // Multipart, so that without JavaScript the chosen files travel with the answers.
    <form method="post" encType="multipart/form-data" noValidate onSubmit={props.onSubmit} aria-describedby="form-intro">
      <ErrorSummary errors={errors} />
      <p id="form-intro">
        Answer what you can. Only &ldquo;what kind&rdquo; and &ldquo;what happened&rdquo; are needed. You will check your answers before anything is sent.
      </p>
      <input type="hidden" name="intent" value="review" />
      <Honeypot />

      {inboxes.length > 1 ? (
        <fieldset className={`field${errors.inboxId ? ' field--error' : ''}`} id="inboxId">
          <legend className="field__label">Who should receive your report?</legend>
          {errors.inboxId ? <p className="field__error">{errors.inboxId}</p> : null}
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

      <fieldset className={`field${errors.categories ? ' field--error' : ''}`} id="categories">
        <legend className="field__label">What kind of behaviour was it?</legend>
        <div className="hint">Choose all that apply.</div>
        {errors.categories ? <p className="field__error">{errors.categories}</p> : null}
        {CATEGORIES.map(([id, label]) => (
          <label key={id} className="choice">
            <input type="checkbox" name="categories" value={id} defaultChecked={values.categories.includes(id)} />
            <span>{label}</span>
          </label>
        ))}
      </fieldset>

      <Field
        id="whatHappened"
        label="What happened?"
        hint="In your own words. Include what was said or done, and by whom if you know."
        error={errors.whatHappened}
      >
        <textarea
          id="whatHappened"
          name="whatHappened"
          rows={8}
          required
          maxLength={LIMITS.whatHappenedChars}
          defaultValue={values.whatHappened}
          aria-describedby={describedBy('whatHappened', true, errors.whatHappened)}
        />
      </Field>

      <Field id="when" label="Roughly when? (optional)" hint="For example: last Tuesday, March 2026, or over several months." error={errors.when}>
        <input id="when" name="when" maxLength={LIMITS.whenChars} defaultValue={values.when} aria-describedby={describedBy('when', true, errors.when)} />
      </Field>

      <Field
        id="where"
        label="Where, or which team? (optional)"
        hint={
          <>
            <strong>Careful:</strong> a station, shift or small team can point to you. Leave out what only you would know.
          </>
        }
        error={errors.where}
      >
        <input id="where" name="where" maxLength={LIMITS.whereChars} defaultValue={values.where} aria-describedby={describedBy('where', true, errors.where)} />
      </Field>

      <Field id="who" label="Who was involved? (optional)" hint="Names, ranks or roles, if you know them." error={errors.who}>
        <textarea id="who" name="who" rows={3} maxLength={LIMITS.whoChars} defaultValue={values.who} aria-describedby={describedBy('who', true, errors.who)} />
      </Field>

      <fieldset className="field" id="role">
        <legend className="field__label">How do you know about it? (optional)</legend>
        {ROLES.map(([id, label]) => (
          <label key={id} className="choice">
            <input type="radio" name="role" value={id} defaultChecked={values.role === id} />
            <span>{label}</span>
          </label>
        ))}
      </fieldset>

      <FilePicker
        limits={props.fileLimits}
        queue={props.uploads}
        hint="Screenshots, photos, chat exports (in WhatsApp: Export chat), documents, audio or video."
      />
      {props.plainFiles?.files.length ? (
        <div className="field">
          <p className="field__label">Files already added</p>
          <PlainFiles files={props.plainFiles.files} />
        </div>
      ) : null}
      {props.plainFiles ? <FileRefsField {...props.plainFiles} /> : null}

      <Field
        id="contact"
        label="Contact details (optional)"
        hint="Leave this empty to stay anonymous: you can still read replies with your receipt code. If you add a personal email or phone number, only the reviewers can read it. Do not use a work address."
        error={errors.contact}
      >
        <textarea
          id="contact"
          name="contact"
          rows={2}
          maxLength={LIMITS.contactChars}
          defaultValue={values.contact}
          aria-describedby={describedBy('contact', true, errors.contact)}
        />
      </Field>

      <button type="submit" className="button">
        Continue to check your answers
      </button>
    </form>
  )
}
