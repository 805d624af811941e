import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { json, redirect } from '@remix-run/node'
import { useActionData, useLoaderData } from '@remix-run/react'
import { useEffect, useState, useSyncExternalStore } from 'react'
import { AnswersList } from '~/ui/answers-list'
import { focusField, HiddenValues, useSay } from '~/ui/fields'
import { ReceiptCard } from '~/reporter/receipt-card'
import { RECEIPT_TAIL_MISMATCH, receiptTailMatches } from '#common/code-check'
import { keptWords, UploadRows } from '~/ui/file-picker'
import { FileRefsField, PlainFiles, plainFilesOf } from '~/reporter/plain-files'
import { notSent, useUploadQueue, type UploadQueue } from '~/ui/upload-queue'
import { said } from '#common/i18n/message'
import { answersFromForm, CHOOSE_INBOX, EMPTY_VALUES, parseAnswers, type FormErrors, type FormValues } from '#common/answers'
import { LangLink, useLangHref, useT } from '~/ui/i18n'
import { pageMessages } from '~/ui/i18n.server'
import { ReportForm } from '~/reporter/report-form'
import { pageAction } from '~/ui/http.server'
import type { ReportStep } from '#server/plaintext/index.server'
import { sealAndSend } from '~/reporter/reporter.client'
import { SealedTo } from '~/reporter/sealed-to'
import { focusStep, PageTitle } from '~/ui/page-title'
import { ReceiptGone, ReceiptGuard } from '~/reporter/receipt-guard'

// Each step names its own title (PageTitle); the rest of the head is the site's.
export const meta: MetaFunction = ({ matches }) => matches[0].meta.filter((m) => !('title' in m))

export const loader = async (args: LoaderFunctionArgs) => ({
  ...pageMessages(args, ['report', 'leave']),
  // Without JavaScript a receipt is shown at its own address (POST-redirect-GET), so Back and reload show it again.
  shown: args.context.services.plain.shownReceipt(args.request) ?? null,
  inboxes: (await args.context.services.inboxes.list()).map((i) => ({
    id: i.id,
    name: i.name,
    description: i.description,
    key: i.current,
    log: i.log,
    fingerprint: i.fingerprint,
  })),
  files: { ...args.context.services.config.files, keptMinutes: args.context.services.blobs.keptMinutes },
})

export const action = ({ request, context }: ActionFunctionArgs) =>
  pageAction(
    { request, context },
    async () => {
      const step = await context.services.plain.report(request)
      return 'redirect' in step ? redirect(step.redirect, 303) : json(step)
    },
    (message, err) => json({ step: 'error' as const, message }, { status: err.status }),
  )

/** `focus`: with JavaScript, the field a "Change" button returns to. */
type View =
  | ReportStep
  | { step: 'form'; values: FormValues; errors: FormErrors; focus?: string }
  | { step: 'sealing'; values: FormValues; slow?: boolean; waiting?: boolean }
  | { step: 'error'; message: string }
  | { step: 'gone' }

export default function ReportPage() {
  const { inboxes, files: fileLimits, shown } = useLoaderData<typeof loader>()
  const uploads = useUploadQueue(fileLimits)
  const actionData = useActionData<typeof action>() as View | undefined
  const [clientView, setClientView] = useState<View | null>(null)
  const t = useT()
  const say = useSay()
  const href = useLangHref()
  const view: View = clientView ??
    actionData ??
    shown ?? { step: 'form', values: { ...EMPTY_VALUES, inboxId: inboxes.length === 1 ? inboxes[0].id : '' }, errors: {} }
  // A new step with JavaScript: focus goes where a screen reader user must start reading it.
  useEffect(() => {
    if (!clientView || clientView.step === 'sealing') return
    if (!('focus' in clientView && clientView.focus && focusField(clientView.focus))) focusStep()
  }, [clientView])

  if (inboxes.length === 0)
    return (
      <>
        <PageTitle step={t('report.closed.title')} />
        <h1>{t('report.closed.title')}</h1>
        <p>{t('report.closed.body')}</p>
      </>
    )

  const inboxOf = (id: string | undefined) => inboxes.find((i) => i.id === id)
  const inboxName = (id: string) => inboxOf(id)?.name
  const send = async (values: FormValues) => {
    const inbox = inboxes.find((i) => i.id === values.inboxId)
    if (!inbox) return setClientView({ step: 'form', values, errors: { inboxId: CHOOSE_INBOX } })
    // Send waits for files still uploading, and goes without none: a failed one is named instead.
    setClientView({ step: 'sealing', values, waiting: uploads.getSnapshot().items.some((i) => i.state !== 'done') })
    await uploads.settled()
    const failed = uploads.problems()
    if (failed.length)
      return setClientView({
        step: 'review',
        values,
        sendError: notSent(
          t,
          failed.map((f) => f.name),
        ),
      })
    setClientView({ step: 'sealing', values })
    try {
      const { inboxId: _, ...answers } = values
      const receipt = await sealAndSend(answers, inbox, () => setClientView({ step: 'sealing', values, slow: true }), uploads.results())
      uploads.clear()
      setClientView({ step: 'receipt', receipt: formatted(receipt), sealedIn: 'browser', inboxId: inbox.id })
    } catch (err) {
      setClientView({ step: 'review', values, sendError: said(err) })
    }
  }

  switch (view.step) {
    case 'gone':
      return <ReceiptGone />
    case 'error':
      return (
        <>
          <PageTitle step={t('report.failed.title')} error />
          <h1 tabIndex={-1}>{t('report.failed.title')}</h1>
          <p role="alert">{view.message}</p>
          <LangLink to="/report" className="button">
            {t('report.failed.startAgain')}
          </LangLink>
        </>
      )
    case 'form':
      return (
        <>
          <PageTitle step={t('report.form.title')} error={Object.values(view.errors).some(Boolean)} />
          <h1 tabIndex={-1}>{t('report.form.title')}</h1>
          <p>
            {t('report.form.before')} <LangLink to="/safer">{t('report.form.saferLink')}</LangLink>.
          </p>
          {inboxes.length === 1 ? <SealedTo inbox={inboxes[0]} /> : null}
          <ReportForm
            key={JSON.stringify(view.values)}
            inboxes={inboxes}
            values={view.values}
            errors={view.errors}
            fileLimits={fileLimits}
            uploads={plainFilesOf(view).files.length ? undefined : uploads}
            plainFiles={plainFilesOf(view)}
            onSubmit={(e) => {
              // Files already sent through the no-JS form stay on that path: the server holds them.
              if (plainFilesOf(view).files.length) return
              e.preventDefault()
              const typed = answersFromForm(new FormData(e.currentTarget))
              const checked = parseAnswers(
                typed,
                inboxes.some((i) => i.id === typed.inboxId),
              )
              setClientView(checked.ok ? { step: 'review', values: checked.values } : { step: 'form', values: checked.values, errors: checked.errors })
            }}
          />
        </>
      )
    case 'review':
    case 'sealing': {
      const { inboxId, ...answers } = view.values
      const hidden: Record<string, string | string[]> = { ...view.values }
      if (view.step === 'review' && view.receipt) hidden.receipt = view.receipt
      if (view.step === 'review' && view.trap) hidden.homepage = view.trap
      return (
        <>
          <PageTitle step={t('report.review.title')} error={view.step === 'review' && !!view.sendError} />
          <h1 tabIndex={-1}>{t('report.review.title')}</h1>
          {view.step === 'review' && view.sendError ? (
            <div className="error-summary" role="alert">
              <h2>{t('report.review.notSent')}</h2>
              <p>{say(view.sendError)}</p>
            </div>
          ) : null}
          <AnswersList
            answers={answers}
            inboxName={inboxes.length > 1 ? inboxName(inboxId) : undefined}
            change={view.step === 'review' ? { form: 'review-form', action: (field) => `${href('/report')}#${field}` } : undefined}
          />
          {inboxOf(inboxId) ? <SealedTo inbox={inboxOf(inboxId)!} /> : null}
          <ReviewFiles uploads={uploads} plain={plainFilesOf(view)} keptMinutes={fileLimits.keptMinutes} />
          <form
            method="post"
            id="review-form"
            onSubmit={(e) => {
              if (plainFilesOf(view).files.length) return
              e.preventDefault()
              const submitter = (e.nativeEvent as SubmitEvent).submitter
              const intent = submitter?.getAttribute('value')
              if (intent === 'edit') setClientView({ step: 'form', values: view.values, errors: {}, focus: submitter?.getAttribute('data-field') ?? undefined })
              else void send(view.values)
            }}
          >
            <HiddenValues values={hidden} />
            <FileRefsField {...plainFilesOf(view)} />
            <p>{t('report.review.sealNote')}</p>
            {view.step === 'sealing' ? (
              <p className="status" role="status" aria-live="polite">
                {view.waiting ? t('report.review.waiting') : view.slow ? t('report.review.robot') : t('report.review.sealing')}
              </p>
            ) : null}
            <div className="actions">
              <button type="submit" name="intent" value="send" className="button" disabled={view.step === 'sealing'}>
                {t('report.review.send')}
              </button>
              <button type="submit" name="intent" value="edit" className="button button--secondary" disabled={view.step === 'sealing'}>
                {t('report.review.change')}
              </button>
            </div>
          </form>
        </>
      )
    }
    case 'receipt':
      return (
        <>
          <PageTitle step={t('report.receipt.title')} error={!!view.confirmError} />
          <ReceiptGuard active />
          <ReceiptCard
            receipt={view.receipt}
            sealedIn={view.sealedIn}
            inboxId={view.inboxId}
            sealedTo={inboxOf(view.inboxId) ? <SealedTo inbox={inboxOf(view.inboxId)!} sent /> : null}
            confirmError={view.confirmError}
            onConfirm={(typed) =>
              setClientView(
                receiptTailMatches(view.receipt, typed) ? { step: 'done', sealedIn: view.sealedIn } : { ...view, confirmError: RECEIPT_TAIL_MISMATCH },
              )
            }
          />
        </>
      )
    case 'done':
      return (
        <>
          <PageTitle step={t('report.done.title')} />
          <h1 tabIndex={-1}>{t('report.done.title')}</h1>
          <p>{t('report.done.withReviewers')}</p>
          <p>{t('report.done.comeBack')}</p>
          <div className="actions">
            <LangLink to="/check" className="button">
              {t('report.done.check')}
            </LangLink>
            <LangLink to="/" className="button button--secondary">
              {t('report.done.start')}
            </LangLink>
          </div>
        </>
      )
  }
}

/**
 * The files on "Check your answers": with JavaScript the live uploads (still removable, or to try
 * again); without it, what the earlier step uploaded, kept in the hidden field for Send.
 */
function ReviewFiles({ uploads, plain, keptMinutes }: { uploads: UploadQueue; plain: ReturnType<typeof plainFilesOf>; keptMinutes: number }) {
  const t = useT()
  const say = useSay()
  const { items } = useSyncExternalStore(uploads.subscribe, uploads.getSnapshot, uploads.getSnapshot)
  const none = items.length === 0 && plain.files.length === 0
  return (
    <section aria-labelledby="files-title" className="review-files" data-review-files>
      <h2 id="files-title">{t('report.review.files')}</h2>
      {none ? <p className="empty">{t('report.review.noFiles')}</p> : null}
      <UploadRows queue={uploads} />
      <PlainFiles files={plain.files} />
      {plain.files.length ? <p className="hint">{keptWords(t, say, keptMinutes)}</p> : null}
    </section>
  )
}

const formatted = (r: string) => [...(r.slice(0, 20).match(/.{4}/g) ?? []), r.slice(20)].join('-')
