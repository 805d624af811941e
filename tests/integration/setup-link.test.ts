import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { prepareFirstAdmin } from '../../app/review/enrol.client'
import { setupLink } from '../e2e/reviewer-helpers'
import { sqlAll } from '../support/review-api'
import { admin, startServer, tempDataDir, type RunningServer } from '../support/server'
import { softPasskey } from '../support/soft-passkey'

/** A setup link makes the first admin and nothing more: links left from earlier starts die with it. */
let server: RunningServer
const post = async (path: string, body: unknown) => {
  const res = await fetch(`${server.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
  return { status: res.status, body: (await res.json()) as any }
}
const tokenOf = (link: string) => new URL(link).hash.slice(1)

beforeAll(async () => {
  server = await startServer({ dataDir: tempDataDir('candour-setup-') })
})
afterAll(() => server?.stop())

describe('setup links', () => {
  it('only the first admin can be made; a second, older link is refused afterwards, as is the CLI', async () => {
    const first = tokenOf(await setupLink(server))
    const cli = admin(server.dataDir, ['setup-link'])
    expect(cli.code).toBe(0)
    const second = tokenOf(cli.stdout.match(/http\S+/)![0])
    // Both links are open before anyone has set up.
    const opts = await post('/api/review/setup/options', { token: first, displayName: 'First Admin' })
    expect(opts.status).toBe(200)
    const early = await post('/api/review/setup/options', { token: second, displayName: 'Second' })
    expect(early.status).toBe(200)
    const prepared = await prepareFirstAdmin({ kind: 'prf', prf: randomBytes(32) }, { name: 'PS', description: '' })
    const done = await post('/api/review/setup/complete', {
      ceremonyId: opts.body.ceremonyId,
      registration: softPasskey(server.url).register(opts.body.options),
      reviewer: prepared.reviewer,
      inbox: prepared.inbox,
    })
    expect(done.status).toBe(201)
    // The second link's ceremony, opened before, cannot finish now; nor can a new one start.
    const other = await prepareFirstAdmin({ kind: 'prf', prf: randomBytes(32) }, { name: 'Rogue', description: '' })
    const late = await post('/api/review/setup/complete', {
      ceremonyId: early.body.ceremonyId,
      registration: softPasskey(server.url).register(early.body.options),
      reviewer: other.reviewer,
      inbox: other.inbox,
    })
    expect(late.status).toBe(410)
    expect(late.body.error).toContain('already set up')
    expect((await post('/api/review/setup/options', { token: second, displayName: 'Rogue' })).status).toBe(410)
    expect(await sqlAll(server.dbFile, 'SELECT role FROM reviewers')).toEqual([{ role: 'admin' }])
    expect(admin(server.dataDir, ['setup-link']).code).not.toBe(0)
  })
})
