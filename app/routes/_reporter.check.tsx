import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { json } from '@remix-run/node'
import { useActionData, useLoaderData } from '@remix-run/react'
import { useEffect, useRef, useState } from 'react'
import { ErrorSummary, useSay } from '~/ui/fields'
import { useT } from '~/ui/i18n'
import { notSent, useUploadQueue } from '~/ui/upload-queue'
import { Honeypot } from '~/reporter/honeypot'
import { ThreadView } from '~/reporter/thread-view'
import { threadModel, type ThreadModel } from '#common/thread-model'
import { fetchAndOpen, saveBytes } from '~/ui/files.client'
import { askToWithdraw, openWithReceipt, readThread, sendFollowup, type OpenThread } from '~/reporter/reporter.client'
import { LIMITS, TIMINGS } from '#common/limits'
import { useIdleClose } from '~/reporter/idle'
import { IdleWarning } from '~/reporter/idle-warning'
import { ApiError } from '~/ui/api.client'
import { said } from '#common/i18n/message'
import { focusStep, PageTitle } from '~/ui/page-title'
import { pageAction } from '~/ui/http.server'
import { pageMessages } from '~/ui/i18n.server'

// Each step names its own title (PageTitle); the rest of the head is the site's.
export const meta: MetaFunction = ({ matches }) => matches[0].meta.filter((m) => !('title' in m))

/** The file limits and the follow-up budgets, stated on the page before anything is chosen. */
export const loader = (args: LoaderFunctionArgs) => ({
  files: args.context.services.config.files,
  followups: args.context.services.followups.limits,
  ...pageMessages(args, ['check', 'errors.receipt']),
})

export const action = ({ request, context }: ActionFunctionArgs) =>
  pageAction(
    { request, context },
    async () => {
      const step = await context.services.plain.check(request)
      return json(step, { status: step.step === 'thread' && step.status ? step.status : 200 })
    },
    (error, err) => json({ step: 'enter' as const, error }, { status: err.status }),
  )

export default function CheckPage() {
  const data = useActionData<typeof action>()
  const { files: limits, followups } = useLoaderData<typeof loader>()
  const t = useT()
  const say = useSay()
  const uploads = useUploadQueue(limits)
  // With JavaScript the keys and session stay in this page's memory only, gone when it closes.
  const session = useRef<OpenThread | null>(null)
  const [js, setJs] = useState<{
    thread?: ThreadModel
    error?: string
    notice?: string
    busy?: boolean
    waiting?: boolean
    slow?: boolean
    withdrawError?: string
    withdrawing?: boolean
    closed?: 'idle' | 'ended'
    draft?: string
  }>({})
  // Words typed and not sent when the report closed: off the screen, in this page's memory only,
  // and put back in the box when the code opens the report again.
  const kept = useRef('')
  const close = (why: 'idle' | 'ended') => {
    kept.current = document.querySelector<HTMLTextAreaElement>('#message')?.value.trim() || kept.current
    session.current = null
    uploads.clear()
    setJs({ closed: why })
  }
  // The server forgets a session after this long without a call, so signs of life reach it too,
  // at most once a minute; the warning's button is one of them.
  const touched = useRef(0)
  const idle = useIdleClose(
    !!js.thread,
    TIMINGS.reporterSessionIdleSeconds,
    () => close('idle'),
    () => {
      const open = session.current
      if (!open || Date.now() - touched.current < 60_000) return
      touched.current = Date.now()
      readThread(open.token, open.keys)
        .then((fresh) => (session.current = { ...open, ...fresh }))
        .catch(() => {})
    },
  )

  // A new step with JavaScript (the thread, a refusal, a close): focus goes where reading starts.
  const step = js.thread ? 'thread' : js.error ? `error:${js.error}` : (js.closed ?? '')
  useEffect(() => {
    if (step) focusStep()
  }, [step])

  if (js.thread)
    return (
      <>
        {idle.warning ? (
          <IdleWarning
            onStay={() => {
              touched.current = 0
              idle.stay()
            }}
          />
        ) : null}
        <ThreadView
          thread={js.thread}
          draft={js.draft}
          notice={js.notice}
          error={js.error}
          sending={js.busy ? (js.waiting ? t('check.reply.waiting') : true) : false}
          withdrawError={js.withdrawError}
          withdrawing={js.withdrawing}
          limits={limits}
          followups={followups}
          uploads={uploads}
          download={async (ref, onProgress) => {
            const open = session.current
            if (!open) throw new Error(t('check.files.reopen'))
            saveBytes(await fetchAndOpen(ref, { token: open.token }, onProgress), ref.name)
          }}
          onSend={async (e) => {
            e.preventDefault()
            const form = e.currentTarget
            const text = String(new FormData(form).get('message') ?? '')
              .replace(/\r\n/g, '\n')
              .trim()
            const open = session.current
            // Files alone are a message too, as without JavaScript.
            if ((!text && uploads.getSnapshot().items.length === 0) || !open) return setJs({ ...js, error: t('check.reply.empty'), notice: undefined })
            setJs({ ...js, busy: true, waiting: uploads.getSnapshot().items.some((i) => i.state !== 'done'), error: undefined, notice: undefined })
            try {
              await uploads.settled()
              const failed = uploads.problems()
              if (failed.length)
                return setJs({
                  ...js,
                  busy: false,
                  error: notSent(
                    t,
                    failed.map((f) => f.name),
                  ),
                  notice: undefined,
                })
              const files = uploads.results()
              await sendFollowup(t, open, text, files)
              uploads.clear()
              // The next message follows this one: what is sealed next is placed on what was read last.
              const fresh = await readThread(open.token, open.keys)
              session.current = { ...open, ...fresh }
              form.reset()
              const sent = files.length ? t('check.reply.sentFiles') : t('check.reply.sent')
              setJs({ thread: threadModel(fresh, { keys: true }), notice: sent })
            } catch (err) {
              // The server forgot the session: open it again with the code, the words kept.
              if (err instanceof ApiError && err.status === 401) return close('ended')
              // A reviewer wrote first: the thread is read again, so the words go after their message.
              const fresh = err instanceof ApiError && err.status === 409 ? await readThread(open.token, open.keys).catch(() => null) : null
              if (fresh) session.current = { ...open, ...fresh }
              setJs({ ...js, ...(fresh ? { thread: threadModel(fresh, { keys: true }) } : {}), busy: false, error: say(said(err)) })
            }
          }}
          onWithdraw={async (e) => {
            e.preventDefault()
            const open = session.current
            if (new FormData(e.currentTarget).get('confirm') !== 'yes' || !open)
              return setJs({ ...js, withdrawError: t('check.withdraw.unticked'), notice: undefined })
            setJs({ ...js, withdrawing: true, withdrawError: undefined, notice: undefined })
            try {
              await askToWithdraw(open)
              const fresh = await readThread(open.token, open.keys)
              session.current = { ...open, ...fresh }
              setJs({ thread: threadModel(fresh, { keys: true }), notice: t('check.withdraw.sent') })
              // The form is gone: take focus back to the top, where the status card now says so.
              requestAnimationFrame(() => document.querySelector<HTMLElement>('main h1')?.focus())
            } catch (err) {
              setJs({ ...js, withdrawing: false, withdrawError: say(said(err)) })
            }
          }}
        />
      </>
    )
  if (data?.step === 'thread')
    return (
      <ThreadView
        thread={data.thread}
        receipt={data.receipt}
        limits={limits}
        followups={followups}
        notice={data.notice}
        error={data.error}
        draft={data.draft}
        withdrawError={data.withdrawError}
      />
    )

  const error = js.error ?? (data?.step === 'enter' ? data.error : undefined)
  return (
    <>
      <PageTitle step={t('check.heading')} error={!!error} />
      <h1>{t('check.heading')}</h1>
      {js.closed ? (
        <p className="notice" role="status">
          {js.closed === 'idle' ? t('check.closed.idle', { minutes: TIMINGS.reporterSessionIdleSeconds / 60 }) : t('check.closed.ended')}{' '}
          {t('check.closed.again')}
          {kept.current ? ` ${t('check.closed.kept')}` : ''}
        </p>
      ) : null}
      <p>{t('check.enter.intro')}</p>
      <form
        method="post"
        noValidate
        onSubmit={async (e) => {
          e.preventDefault()
          const input = String(new FormData(e.currentTarget).get('receipt') ?? '')
          setJs({ busy: true })
          try {
            const open = await openWithReceipt(t, input, () => setJs({ busy: true, slow: true }))
            session.current = open
            touched.current = Date.now()
            const draft = kept.current
            kept.current = ''
            setJs({
              thread: threadModel(open, { keys: true }),
              draft,
              notice: draft ? t('check.closed.draftBack') : undefined,
            })
          } catch (err) {
            setJs({ error: say(said(err)) })
          }
        }}
      >
        <ErrorSummary errors={{ receipt: error }} />
        <input type="hidden" name="intent" value="open" />
        <Honeypot />
        <div className={`field${error ? ' field--error' : ''}`}>
          <label htmlFor="receipt" className="field__label">
            {t('check.enter.label')}
          </label>
          <div className="hint" id="receipt-hint">
            {t('check.enter.hint')}
          </div>
          <input
            id="receipt"
            name="receipt"
            className="input--code"
            autoComplete="off"
            autoCapitalize="characters"
            autoCorrect="off"
            spellCheck={false}
            maxLength={LIMITS.receiptInputChars}
            aria-describedby="receipt-hint"
            aria-invalid={error ? true : undefined}
          />
        </div>
        <button type="submit" className="button" disabled={js.busy}>
          {js.slow ? t('check.enter.robot') : js.busy ? t('check.enter.opening') : t('check.enter.submit')}
        </button>
      </form>
      <p className="hint">{t('check.enter.where')}</p>
    </>
  )
}
