import fs from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { countRows, openInboxCli, postForm, receiptFromPage, visibleText } from '../support/http'
import { createInbox, errorLines, startServer, tempDataDir, type RunningServer } from '../support/server'
import { sqlAll } from '../support/review-api'

/** The no-JS path: plain HTML forms posted to /report and /check, sealed by the server in memory. */
let server: RunningServer
let inbox: { id: string; keyFile: string }

const WHAT = 'Inspector Quillfeather mocked the accent of a probationer in the canteen.'
const WHO = 'Inspector Quillfeather'

type Fields = Array<[string, string]>
const form = (intent: string, overrides: Partial<Record<string, string>> = {}, categories = ['racism', 'sexism']): Fields => {
  const base: Record<string, string> = {
    inboxId: inbox.id,
    whatHappened: WHAT,
    when: 'Friday night shift',
    where: 'Riverside canteen',
    who: WHO,
    role: 'targeted',
    contact: '',
    ...overrides,
  }
  return [['intent', intent], ...Object.entries(base), ...categories.map((c): [string, string] => ['categories', c])]
}

beforeAll(async () => {
  const dataDir = tempDataDir()
  inbox = createInbox(dataDir)
  server = await startServer({ dataDir })
})

afterAll(async () => {
  await server?.stop()
  if (server) fs.rmSync(server.dataDir, { recursive: true, force: true })
})

const report = (fields: Fields | Record<string, string>) => postForm(`${server.url}/report`, fields)
const check = (fields: Record<string, string>) => postForm(`${server.url}/check`, fields)

describe('POST /report without JavaScript', () => {
  it('review with no category: the form again, with the error summary, nothing stored', async () => {
    for (const intent of ['review', 'send']) {
      const res = await report(form(intent, {}, []))
      expect(res.status).toBe(200)
      const text = visibleText(res.html)
      expect(text).toContain('There is a problem')
      expect(text).toContain('Choose at least one kind of behaviour.')
      expect(res.html).toContain('href="#categories"')
      // What was typed comes back, so nothing is lost.
      expect(text).toContain(WHAT)
      expect(res.html).not.toContain('data-receipt=')
    }
    expect(await countRows(server.dbFile)).toBe(0)
  })

  it('review with no text: "Tell us what happened."', async () => {
    const res = await report(form('review', { whatHappened: '   ' }))
    expect(res.status).toBe(200)
    expect(visibleText(res.html)).toContain('Tell us what happened.')
    expect(await countRows(server.dbFile)).toBe(0)
  })

  it('review with valid answers: the "Check your answers" page, still nothing stored', async () => {
    const res = await report(form('review'))
    expect(res.status).toBe(200)
    const text = visibleText(res.html)
    expect(text).toContain('Check your answers')
    expect(text).toContain(WHAT)
    expect(text).toContain('Racism, Sexism or misogyny')
    expect(text).toContain('It was aimed at me')
    expect(text).toContain('None: anonymous')
    // The answers ride along as hidden fields for the Send button.
    expect(res.html).toMatch(/<input type="hidden" name="whatHappened" value="Inspector Quillfeather/)
    expect(res.html).toMatch(/name="intent" value="send"/)
    expect(await countRows(server.dbFile)).toBe(0)
  })

  let receipt = ''

  it('send: the receipt page with the code, stored exactly once', async () => {
    const res = await report(form('send'))
    expect(res.status).toBe(200)
    const text = visibleText(res.html)
    expect(text).toContain('Your receipt code')
    expect(text).toContain('JavaScript is off, so our server sealed your report in memory')
    receipt = receiptFromPage(res.html)
    expect(receipt).toMatch(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){4}-.$/)
    expect(await countRows(server.dbFile)).toBe(1)
    // The receipt page is not an echo of the report.
    expect(text).not.toContain(WHAT)
  })

  it('the offline CLI opens the server-sealed report, signed like a browser-sealed one', () => {
    const out = openInboxCli(server.dataDir, inbox.keyFile)
    expect(out).toMatch(/: 1 report\(s\)/)
    expect(out).toContain(WHAT)
    expect(out).toContain('Kind: Racism, Sexism or misogyny')
    expect(out).toContain('Where / team:\n  │ Riverside canteen')
    expect(out).toContain('How they know: It was aimed at me')
    expect(out).not.toContain('WARNING')
  })

  it('the receipt opens the report on /check without JavaScript', async () => {
    const res = await check({ intent: 'open', receipt })
    expect(res.status).toBe(200)
    const text = visibleText(res.html)
    expect(text).toContain('Your report')
    expect(text).toContain('Sent. Nobody has replied yet.')
    expect(text).toContain('No replies yet')
    expect(text).toContain(WHAT)
    expect(text).toContain('Riverside canteen')
    // Lower case, spaces instead of dashes, O for 0 and I for 1 all normalise to the same code.
    const sloppy = receipt.toLowerCase().replace(/-/g, ' ').replace(/0/g, 'o').replace(/1/g, 'i')
    const again = await check({ intent: 'open', receipt: sloppy })
    expect(visibleText(again.html)).toContain(WHAT)
  })

  it('confirm with the last group and check symbol: "Thank you"', async () => {
    const tail = receipt.slice(-6) // e.g. WXYZ-C
    for (const typed of [tail, tail.replace('-', ''), tail.toLowerCase(), ` ${tail} `]) {
      const res = await report({ intent: 'confirm', receipt, lastGroup: typed })
      expect(res.status).toBe(200)
      expect(visibleText(res.html), typed).toContain('Thank you')
    }
  })

  it('confirm with the wrong ending: "does not match", and the code is shown again', async () => {
    const wrongCheck = receipt.slice(-6, -1) + (receipt.endsWith('0') ? '1' : '0')
    for (const typed of [wrongCheck, receipt.slice(-1), '', receipt.slice(0, 6)]) {
      const res = await report({ intent: 'confirm', receipt, lastGroup: typed })
      expect(res.status).toBe(200)
      const text = visibleText(res.html)
      expect(text, typed).toContain('does not match')
      expect(text).not.toContain('Thank you')
      expect(receiptFromPage(res.html)).toBe(receipt)
    }
  })

  it('confirm with a broken receipt field: a 4xx error page, nothing changed', async () => {
    const res = await report({ intent: 'confirm', receipt: 'not-a-receipt', lastGroup: 'ABCD-E' })
    expect(res.status).toBe(400)
    expect(visibleText(res.html)).toContain('The receipt on this page is not valid')
  })

  it('what happened over 20,000 characters: the limit message, nothing stored', async () => {
    const before = await countRows(server.dbFile)
    for (const intent of ['review', 'send']) {
      const res = await report(form(intent, { whatHappened: 'a'.repeat(20_001) }))
      expect(res.status).toBe(200)
      expect(visibleText(res.html)).toContain('What happened must be 20,000 characters or fewer.')
      expect(res.html).not.toContain('data-receipt=')
    }
    // Exactly at the limit is fine for review.
    const atLimit = await report(form('review', { whatHappened: 'b'.repeat(20_000) }))
    expect(visibleText(atLimit.html)).toContain('Check your answers')
    expect(await countRows(server.dbFile)).toBe(before)
  })

  it('other fields over their limits are refused too', async () => {
    const before = await countRows(server.dbFile)
    const cases: Array<[string, string]> = [
      ['when', 'When it happened must be 200 characters or fewer.'],
      ['where', 'Where or which team must be 500 characters or fewer.'],
      ['contact', 'Contact details must be 500 characters or fewer.'],
    ]
    for (const [field, message] of cases) {
      const limit = Number(message.match(/([\d,]+) characters/)![1].replace(',', ''))
      const res = await report(form('send', { [field]: 'x'.repeat(limit + 1) }))
      expect(res.status).toBe(200)
      expect(visibleText(res.html)).toContain(message)
    }
    expect(await countRows(server.dbFile)).toBe(before)
  })

  it('an unknown inbox id: "Choose who should receive your report.", nothing stored', async () => {
    const before = await countRows(server.dbFile)
    for (const inboxId of ['NoSuchInbox12345', '', "'; DROP TABLE reports; --"]) {
      const res = await report(form('send', { inboxId }))
      expect(res.status).toBeLessThan(500)
      expect(visibleText(res.html)).toContain('Choose who should receive your report.')
      expect(res.html).not.toContain('data-receipt=')
    }
    expect(await countRows(server.dbFile)).toBe(before)
  })

  it('an unknown category or intent is refused, never stored', async () => {
    const before = await countRows(server.dbFile)
    const badCategory = await report(form('send', {}, ['racism', 'made-up']))
    expect(badCategory.status).toBe(200)
    expect(visibleText(badCategory.html)).toContain('There is a problem')
    const badIntent = await report(form('publish'))
    expect(badIntent.status).toBe(400)
    expect(visibleText(badIntent.html)).toContain('The form was not understood. Nothing was sent.')
    const overlong = await report(form('send', { inboxId: 'x'.repeat(65) }))
    expect(overlong.status).toBe(413)
    expect(visibleText(overlong.html)).toContain('That entry is too long.')
    expect(await countRows(server.dbFile)).toBe(before)
  })

  it('re-posting the check-answers page (a reload after Send) files one report and shows the same code', async () => {
    const before = await countRows(server.dbFile)
    const reviewed = await report(form('review', { whatHappened: 'Sent twice by a reload.' }))
    const chosen = reviewed.html.match(/name="receipt" value="([^"]+)"/)?.[1]
    expect(chosen).toMatch(/^[0-9A-Z*~$=]{21}$/)
    const first = await report([...form('send', { whatHappened: 'Sent twice by a reload.' }), ['receipt', chosen!]])
    const second = await report([...form('send', { whatHappened: 'Sent twice by a reload.' }), ['receipt', chosen!]])
    expect(first.status).toBe(200)
    expect(second.status).toBe(200)
    expect(receiptFromPage(first.html)).toBe(receiptFromPage(second.html))
    expect(await countRows(server.dbFile)).toBe(before + 1)
  })

  it('a send without a chosen code (a hand-made post) gets a fresh receipt', async () => {
    const before = await countRows(server.dbFile)
    const res = await report(form('send', { whatHappened: 'A different thing entirely.' }))
    expect(receiptFromPage(res.html)).not.toBe(receipt)
    expect(await countRows(server.dbFile)).toBe(before + 1)
  })

  it('never answered 5xx or logged an error along the way', () => {
    expect(errorLines(server.output())).toEqual([])
  })
})

describe('with no inbox yet', () => {
  let empty: RunningServer
  beforeAll(async () => {
    empty = await startServer({ dataDir: tempDataDir() })
  })
  afterAll(async () => {
    await empty?.stop()
    if (empty) fs.rmSync(empty.dataDir, { recursive: true, force: true })
  })

  it('GET /report says reports are not yet being accepted', async () => {
    const res = await fetch(`${empty.url}/report`)
    expect(res.status).toBe(200)
    expect(visibleText(await res.text())).toContain('Reports are not yet being accepted')
    const home = await fetch(`${empty.url}/`)
    expect(visibleText(await home.text())).toContain('Reports are not yet being accepted here')
  })

  it('a posted form stores nothing and sends no receipt', async () => {
    const res = await postForm(`${empty.url}/report`, [
      ['intent', 'send'],
      ['inboxId', 'NoSuchInbox12345'],
      ['categories', 'racism'],
      ['whatHappened', 'Nobody can receive this.'],
    ])
    expect(res.status).toBeLessThan(500)
    expect(res.html).not.toContain('data-receipt=')
    expect(await countRows(empty.dbFile)).toBe(0)
  })
})

describe('a refused follow-up without JavaScript keeps its words', () => {
  it('when the inbox keys can no longer be traced, the thread says so and the words are back in the box', async () => {
    const dataDir = tempDataDir()
    const own = createInbox(dataDir)
    const s = await startServer({ dataDir })
    try {
      const sent = await postForm(`${s.url}/report`, { intent: 'send', inboxId: own.id, categories: 'racism', whatHappened: WHAT })
      const receipt = receiptFromPage(sent.html)
      // A server that empties the log: this receipt's self-note holds a head the log no longer has.
      await sqlAll(s.dbFile, 'DELETE FROM key_log')
      const words = 'I remembered: it was the Tuesday briefing.'
      const res = await postForm(`${s.url}/check`, { intent: 'followup', receipt, message: words })
      expect(res.status).toBe(409)
      // No box to put them back in (nothing may be sealed to keys that do not trace): shown to keep.
      expect(visibleText(res.html)).toContain(`Your message was not sent`)
      expect(res.html).toMatch(new RegExp(`data-unsent[^]*${words}`))
      expect(await countRows(s.dbFile, 'messages')).toBe(0)
    } finally {
      await s.stop()
      fs.rmSync(dataDir, { recursive: true, force: true })
    }
  })
})
