import { useEffect, useRef, type FormEvent, type RefObject } from 'react'
import { LIMITS } from '#common/limits'
import { ErrorSummary, Field, fieldAria } from '~/ui/fields'
import { FilePicker } from '~/ui/file-picker'
import { useT } from '~/ui/i18n'
import type { FileLimits, UploadQueue } from '~/ui/upload-queue'

/** A refusal on the report page, with the field at fault when one is, for the summary to link to. */
export type Problem = { message: string; field?: string }

export const errorAt = (problem: Problem | undefined, field: string) => (problem?.field === field ? problem.message : undefined)

/**
 * The page's one summary, at the top. A refusal that belongs to no field (the server's, the
 * network's, a thread that moved on) is said plainly; one field's links to it.
 */
export function ProblemSummary({ problem }: { problem?: Problem }) {
  const box = useRef<HTMLDivElement>(null)
  // A refused action moves the focus to what went wrong, as an error summary does on a form.
  useEffect(() => {
    if (problem) box.current?.querySelector<HTMLElement>('.error-summary')?.focus()
  }, [problem])
  return (
    <div ref={box}>
      {problem?.field ? (
        <ErrorSummary errors={{ [problem.field]: problem.message }} />
      ) : problem ? (
        <p className="error-summary" role="alert" tabIndex={-1}>
          {problem.message}
        </p>
      ) : null}
    </div>
  )
}

type FormProps = { busy: boolean; error?: string; onSubmit: (e: FormEvent<HTMLFormElement>) => void }

export function ReplyForm(props: FormProps & { name: string; fileLimits: FileLimits; uploads: UploadQueue }) {
  const t = useT()
  return (
    <form onSubmit={props.onSubmit} className="reply-form">
      <Field id="reply" label={t('triage.report.reply')} hint={t('triage.report.replyHint', { name: props.name })} error={props.error}>
        <textarea id="reply" name="text" rows={5} required maxLength={LIMITS.followupChars} {...fieldAria('reply', true, props.error)} />
      </Field>
      <FilePicker
        limits={props.fileLimits}
        queue={props.uploads}
        id="reply-files"
        label={t('triage.report.replyFiles')}
        hint={t('triage.report.replyFilesHint')}
        device="browser"
      />
      <button type="submit" className="button" disabled={props.busy}>
        {t('triage.report.send')}
      </button>
    </form>
  )
}

/** `box` is the textarea a citation is added to. */
export function NoteForm(props: FormProps & { box: RefObject<HTMLTextAreaElement> }) {
  const t = useT()
  return (
    <form onSubmit={props.onSubmit} className="reply-form">
      <Field id="note" label={t('triage.report.note')} hint={t('triage.report.noteHint')} error={props.error}>
        <textarea ref={props.box} id="note" name="text" rows={3} required maxLength={LIMITS.followupChars} {...fieldAria('note', true, props.error)} />
      </Field>
      <button type="submit" className="button button--secondary" disabled={props.busy}>
        {t('triage.report.addNote')}
      </button>
    </form>
  )
}
