import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { json } from '@remix-run/node'
import { Link, useActionData, useLoaderData } from '@remix-run/react'
import { useEffect, useState, useSyncExternalStore } from 'react'
import { AnswersList } from '~/ui/answers-list'
import { HiddenValues } from '~/ui/fields'
import { ReceiptCard } from '~/reporter/receipt-card'
import { RECEIPT_TAIL_MISMATCH, receiptTailMatches } from '#common/code-check'
import { keptWords, UploadRows } from '~/ui/file-picker'
import { FileRefsField, PlainFiles, plainFilesOf } from '~/reporter/plain-files'
import { notSent, useUploadQueue, type UploadQueue } from '~/ui/upload-queue'
import { answersFromForm, EMPTY_VALUES, parseAnswers, type FormValues } from '#common/answers'
import { ReportForm } from '~/reporter/report-form'
import { pageAction } from '~/ui/http.server'
import type { ReportStep } from '#server/plaintext/index.server'
import { sealAndSend } from '~/reporter/reporter.client'
import { SealedTo } from '~/reporter/sealed-to'
import { focusStep, PageTitle } from '~/ui/page-title'

// Each step names its own title (PageTitle); the rest of the head is the site's.
export const meta: MetaFunction = ({ matches }) => matches[0].meta.filter((m) => !('title' in m))

export const loader = async ({ context }: LoaderFunctionArgs) => ({
  inboxes: (await context.services.inboxes.list()).map((i) => ({
    id: i.id,
    name: i.name,
    description: i.description,
    key: i.current,
    log: i.log,
    fingerprint: i.fingerprint,
  })),
  files: { ...context.services.config.files, keptMinutes: context.services.blobs.keptMinutes },
})

export const action = ({ request, context }: ActionFunctionArgs) =>
  pageAction(
    { request, context },
    async () => json(await context.services.plain.report(request)),
    (message, err) => json({ step: 'error' as const, message }, { status: err.status }),
  )

type View = ReportStep | { step: 'sealing'; values: FormValues; slow?: boolean; waiting?: boolean } | { step: 'error'; message: string }

export default function ReportPage() {
  const { inboxes, files: fileLimits } = useLoaderData<typeof loader>()
  const uploads = useUploadQueue(fileLimits)
  const actionData = useActionData<typeof action>() as View | undefined
  const [clientView, setClientView] = useState<View | null>(null)
  const view: View = clientView ?? actionData ?? { step: 'form', values: { ...EMPTY_VALUES, inboxId: inboxes.length === 1 ? inboxes[0].id : '' }, errors: {} }
  // A new step with JavaScript: focus goes where a screen reader user must start reading it.
  useEffect(() => {
    if (clientView && clientView.step !== 'sealing') focusStep()
  }, [clientView])

  if (inboxes.length === 0)
    return (
      <>
        <PageTitle step="Reports are not yet being accepted" />
        <h1>Reports are not yet being accepted</h1>
        <p>This service has not been set up yet, so there is nobody to send a report to. Please come back later.</p>
      </>
    )

  const inboxOf = (id: string | undefined) => inboxes.find((i) => i.id === id)
  const inboxName = (id: string) => inboxOf(id)?.name
  const send = async (values: FormValues) => {
    const inbox = inboxes.find((i) => i.id === values.inboxId)
    if (!inbox) return setClientView({ step: 'form', values, errors: { inboxId: 'Choose who should receive your report.' } })
    // Send waits for files still uploading, and goes without none: a failed one is named instead.
    setClientView({ step: 'sealing', values, waiting: uploads.getSnapshot().items.some((i) => i.state !== 'done') })
    await uploads.settled()
    const failed = uploads.problems()
    if (failed.length) return setClientView({ step: 'review', values, sendError: notSent(failed.map((f) => f.name)) })
    setClientView({ step: 'sealing', values })
    try {
      const { inboxId: _, ...answers } = values
      const receipt = await sealAndSend(answers, inbox, () => setClientView({ step: 'sealing', values, slow: true }), uploads.results())
      uploads.clear()
      setClientView({ step: 'receipt', receipt: formatted(receipt), sealedIn: 'browser', inboxId: inbox.id })
    } catch (err) {
      setClientView({ step: 'review', values, sendError: (err as Error).message })
    }
  }

  switch (view.step) {
    case 'error':
      return (
        <>
          <PageTitle step="That did not work" error />
          <h1 tabIndex={-1}>That did not work</h1>
          <p role="alert">{view.message}</p>
          <Link to="/report" className="button">
            Start again
          </Link>
        </>
      )
    case 'form':
      return (
        <>
          <PageTitle step="Make a report" error={Object.values(view.errors).some(Boolean)} />
          <h1 tabIndex={-1}>Make a report</h1>
          <p>
            Before you start: <Link to="/safer">how to report safely</Link>.
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
          <PageTitle step="Check your answers" error={view.step === 'review' && !!view.sendError} />
          <h1 tabIndex={-1}>Check your answers</h1>
          {view.step === 'review' && view.sendError ? (
            <div className="error-summary" role="alert">
              <h2>Your report was not sent</h2>
              <p>{view.sendError}</p>
            </div>
          ) : null}
          <AnswersList answers={answers} inboxName={inboxes.length > 1 ? inboxName(inboxId) : undefined} />
          {inboxOf(inboxId) ? <SealedTo inbox={inboxOf(inboxId)!} /> : null}
          <ReviewFiles uploads={uploads} plain={plainFilesOf(view)} keptMinutes={fileLimits.keptMinutes} />
          <form
            method="post"
            onSubmit={(e) => {
              if (plainFilesOf(view).files.length) return
              e.preventDefault()
              const intent = (e.nativeEvent as SubmitEvent).submitter?.getAttribute('value')
              if (intent === 'edit') setClientView({ step: 'form', values: view.values, errors: {} })
              else void send(view.values)
            }}
          >
            <HiddenValues values={hidden} />
            <FileRefsField {...plainFilesOf(view)} />
            <p>When you send, your report is sealed so that only the reviewers can open it. You then get a receipt code.</p>
            {view.step === 'sealing' ? (
              <p className="status" role="status" aria-live="polite">
                {view.waiting ? 'Waiting for your files to finish uploading…' : view.slow ? 'Checking this device is not a robot…' : 'Sealing on this phone…'}{' '}
                then sending. Keep this page open.
              </p>
            ) : null}
            <div className="actions">
              <button type="submit" name="intent" value="send" className="button" disabled={view.step === 'sealing'}>
                Send report
              </button>
              <button type="submit" name="intent" value="edit" className="button button--secondary" disabled={view.step === 'sealing'}>
                Change answers
              </button>
            </div>
          </form>
        </>
      )
    }
    case 'receipt':
      return (
        <>
          <PageTitle step="Your report has been sent" error={!!view.confirmError} />
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
          <PageTitle step="Thank you" />
          <h1 tabIndex={-1}>Thank you</h1>
          <p>Your report is with the reviewers. They aim to acknowledge it within 7 days.</p>
          <p>Come back with your receipt code to read replies, answer questions and add anything else.</p>
          <div className="actions">
            <Link to="/check" className="button">
              Check replies
            </Link>
            <Link to="/" className="button button--secondary">
              Back to the start
            </Link>
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
  const { items } = useSyncExternalStore(uploads.subscribe, uploads.getSnapshot, uploads.getSnapshot)
  const none = items.length === 0 && plain.files.length === 0
  return (
    <section aria-labelledby="files-title" className="review-files" data-review-files>
      <h2 id="files-title">Files</h2>
      {none ? <p className="empty">No files added.</p> : null}
      <UploadRows queue={uploads} />
      <PlainFiles files={plain.files} />
      {plain.files.length ? <p className="hint">{keptWords(keptMinutes)}</p> : null}
    </section>
  )
}

const formatted = (r: string) => [...(r.slice(0, 20).match(/.{4}/g) ?? []), r.slice(20)].join('-')
