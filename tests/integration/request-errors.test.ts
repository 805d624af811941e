import fs from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { json, reporterToken } from '../support/http'
import { firstAdminWithKeys, reviewApi, sqlAll } from '../support/review-api'
import { sealedSubmission } from '../support/seal'
import { startServer, type RunningServer } from '../support/server'

/**
 * A request that fails on our side (here: a table a damaged disk lost) must not write a timed line for
 * a reporter's request: the journal would date that reporter's action to the millisecond. A
 * reviewer's failure is logged at once (reviewer actions are audited to the millisecond anyway).
 */
let server: RunningServer
let cookie = ''
let reportId = ''
let receipt = ''
const api = reviewApi(() => server.url)

beforeAll(async () => {
  server = await startServer()
  const ada = await firstAdminWithKeys(server, { api })
  cookie = ada.cookie
  const filed = await sealedSubmission(ada.inboxId, ada.inbox, {
    categories: ['racism'],
    whatHappened: 'Seen at the desk',
    when: '',
    where: '',
    who: '',
    role: '',
    contact: '',
  })
  expect((await json(`${server.url}/api/reports`, { body: filed.body })).status).toBe(201)
  receipt = filed.receipt
  ;[{ id: reportId }] = await sqlAll<{ id: string }>(server.dbFile, 'SELECT id FROM reports WHERE locator = ?', [filed.body.locator])
})

afterAll(async () => {
  await server?.stop()
  if (server) fs.rmSync(server.dataDir, { recursive: true, force: true })
})

const errorLines = () =>
  server
    .output()
    .split('\n')
    .filter((l) => /"level":(50|60)[,}]/.test(l))

describe('failures on our side', () => {
  it('a reporter request that fails logs nothing at that moment', async () => {
    const token = await reporterToken(server.url, receipt)
    // A damaged row reads as one unreadable message (decision 19); a lost table is a failure of ours.
    await sqlAll(server.dbFile, 'DROP TABLE message_gaps')
    const res = await json(`${server.url}/api/reporter/thread`, { token })
    expect(res.status).toBe(500)
    const page = await fetch(`${server.url}/check`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ intent: 'open', receipt }).toString(),
    })
    expect(page.status).toBe(500)
    await new Promise((r) => setTimeout(r, 300))
    expect(errorLines()).toEqual([])
  })

  it('a reviewer request that fails is logged at once, by the kind of error only', async () => {
    const res = await api.post('/api/review/triage/open', { reportId }, cookie)
    expect(res.status).toBe(500)
    await new Promise((r) => setTimeout(r, 300))
    const lines = errorLines()
    expect(lines).toHaveLength(1)
    expect(JSON.parse(lines[0])).toMatchObject({ name: 'Error', msg: 'reviewer request failed' })
    expect(lines[0]).not.toContain('message_gaps')
  })
})
