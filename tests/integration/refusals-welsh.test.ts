import fs from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { formatReceipt, newReceipt, ready } from '../../crypto/index'
import { postForm, visibleText } from '../support/http'
import { createInbox, startServer, tempDataDir, type RunningServer } from '../support/server'

/**
 * The server's refusals come in the asker's language: JSON ones in the language our fetches name
 * first in Accept-Language, no-JS pages' in the language of the page's address, English otherwise.
 */
let server: RunningServer

beforeAll(async () => {
  await ready()
  const dataDir = tempDataDir()
  // The report page shows its refusals only once there is an inbox to report to.
  createInbox(dataDir)
  server = await startServer({ dataDir })
})

afterAll(async () => {
  await server?.stop()
  if (server) fs.rmSync(server.dataDir, { recursive: true, force: true })
})

const getJson = async (path: string, lang?: string) => {
  const res = await fetch(`${server.url}${path}`, { headers: lang ? { 'accept-language': lang } : {} })
  return { status: res.status, body: (await res.json()) as { error: string } }
}

describe('JSON refusals', () => {
  it('are in Welsh when the fetch asks for cy, and in English when it names no language', async () => {
    const welsh = await getJson('/api/pow?purpose=nothing', 'cy')
    expect(welsh.status).toBe(400)
    expect(welsh.body.error).toBe('purpose: dywedwch at beth mae gwiriad y ddyfais (report, sign-in, upload).')
    const english = await getJson('/api/pow?purpose=nothing')
    expect(english.status).toBe(400)
    expect(english.body.error).toBe('purpose: say what the device check is for (report, sign-in, upload).')
  })

  it('the 405 for a GET to a POST-only address is in Welsh too', async () => {
    const res = await getJson('/api/reports', 'cy')
    expect(res.status).toBe(405)
    expect(res.body.error).toBe('Defnyddiwch POST ar gyfer y cyfeiriad hwn.')
    expect((await getJson('/api/reports', 'en')).body.error).toBe('Use POST for this address.')
  })

  it('a body refused before it is read, for its size, is refused in Welsh too', async () => {
    const big = 'x'.repeat(600 * 1024)
    const res = await fetch(`${server.url}/api/reports`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'accept-language': 'cy' },
      body: big,
    })
    expect(res.status).toBe(413)
    expect(await res.text()).toBe("Mae'r cais yn rhy fawr: y terfyn yw 512 KiB.")
  })

  it('a language we do not have gets English', async () => {
    expect((await getJson('/api/reports', 'fr')).body.error).toBe('Use POST for this address.')
  })

  it('a refusal read from the body (here, not JSON) follows the header as well', async () => {
    const res = await fetch(`${server.url}/api/reporter/challenge`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain', 'accept-language': 'cy' },
      body: 'x',
    })
    expect(res.status).toBe(415)
    expect(((await res.json()) as { error: string }).error).toBe('Anfonwch JSON (Content-Type: application/json).')
  })

  it('a field a person got wrong is named in their words, not the schema library’s', async () => {
    const post = async (body: unknown, lang: string) => {
      const res = await fetch(`${server.url}/api/review/setup/options`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'accept-language': lang, origin: server.url },
        body: JSON.stringify(body),
      })
      return { status: res.status, error: ((await res.json()) as { error: string }).error }
    }
    expect(await post({ token: 'short', displayName: 'Ada' }, 'cy')).toEqual({ status: 400, error: "Nid yw'r ddolen sefydlu hon yn ddilys." })
    expect(await post({ token: 'a'.repeat(43), displayName: '  ' }, 'cy')).toEqual({
      status: 400,
      error: 'Rhowch eich enw fel y mae cydweithwyr yn ei adnabod.',
    })
    expect(await post({ token: 'short', displayName: 'Ada' }, 'en')).toEqual({ status: 400, error: 'This setup link is not valid.' })
  })
})

describe('no-JS form refusals', () => {
  it('a bad receipt on the receipt step is refused in Welsh on /report?lang=cy, and in English on /report', async () => {
    const cy = await postForm(`${server.url}/report?lang=cy`, { intent: 'confirm', receipt: 'not a receipt' })
    expect(cy.status).toBe(400)
    expect(visibleText(cy.html)).toContain("Nid yw'r dderbynneb ar y dudalen hon yn ddilys. Ni newidiwyd dim.")
    const en = await postForm(`${server.url}/report`, { intent: 'confirm', receipt: 'not a receipt' })
    expect(en.status).toBe(400)
    expect(visibleText(en.html)).toContain('The receipt on this page is not valid. Nothing was changed.')
  })

  it('an unknown receipt code on /check?lang=cy is answered in Welsh, as is a form it cannot understand', async () => {
    const receipt = formatReceipt(newReceipt())
    const unknown = await postForm(`${server.url}/check?lang=cy`, { intent: 'open', receipt })
    expect(unknown.status).toBe(200)
    expect(visibleText(unknown.html)).toContain("Nid oes adroddiad yn cyfateb i'r cod derbynneb hwn.")
    const short = await postForm(`${server.url}/check?lang=cy`, { intent: 'open', receipt: 'ABC' })
    expect(visibleText(short.html)).toContain('Mae gan god derbynneb 21 o lythrennau a rhifau; rhoesoch chi 3.')
    const odd = await postForm(`${server.url}/check?lang=cy`, { intent: 'dance', receipt })
    expect(odd.status).toBe(400)
    expect(visibleText(odd.html)).toContain('Ni ddeallwyd y ffurflen.')
  })

  it('a file download without a receipt says so in Welsh, in plain text', async () => {
    const res = await postForm(`${server.url}/check/download?lang=cy`, { receipt: '', file: 'x' })
    expect(res.status).toBe(400)
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/)
    expect(res.html).toBe("Rhowch eich cod derbynneb. Ewch yn ôl i'ch adroddiad a rhowch gynnig arall arni.")
  })
})
