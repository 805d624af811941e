import fs from 'node:fs'
import sqlite3 from 'sqlite3'
import { deriveReporterKeys, fromB64, ready, sign, toB64, type InboxKeys } from '../../crypto/index'
import { normaliseReceipt } from '../../crypto/receipt'
import { withProof } from './pow'
import { admin } from './server'

/** The inbox's secret keys from the file `admin inbox:create --key-out` wrote, as crypto/ wants them. */
export async function loadInboxKeys(keyFile: string): Promise<InboxKeys> {
  await ready()
  const f = JSON.parse(fs.readFileSync(keyFile, 'utf8')) as {
    identity: { publicKey: string; privateKey: string }
    encryption: Array<{ keyVersion: number; publicKey: string; privateKey: string }>
  }
  const enc = f.encryption[0]
  return {
    identity: { publicKey: fromB64(f.identity.publicKey), privateKey: fromB64(f.identity.privateKey) },
    encryption: { publicKey: fromB64(enc.publicKey), privateKey: fromB64(enc.privateKey) },
    keyVersion: enc.keyVersion,
  }
}

export type JsonResponse = { status: number; headers: Headers; body: any }

/**
 * Sends a JSON request the way the browser code does and reads the JSON answer. A POST body to a
 * route that wants a proof of work gets a solved one, as the browser adds it; `proof: false`
 * sends the body exactly as given.
 */
export async function json(
  url: string,
  opts: { method?: string; body?: unknown; raw?: string; contentType?: string; token?: string; proof?: boolean } = {},
): Promise<JsonResponse> {
  const headers: Record<string, string> = {}
  if (opts.body !== undefined || opts.raw !== undefined) headers['content-type'] = opts.contentType ?? 'application/json'
  if (opts.token) headers.authorization = `Bearer ${opts.token}`
  const res = await fetch(url, {
    method: opts.method ?? (opts.body !== undefined || opts.raw !== undefined ? 'POST' : 'GET'),
    headers,
    body: opts.raw ?? (opts.body !== undefined ? JSON.stringify(await bodyToSend(url, opts)) : undefined),
  })
  const text = await res.text()
  let body: unknown = text
  try {
    body = JSON.parse(text)
  } catch {
    // Not JSON: keep the text so a failing assertion shows what came back.
  }
  return { status: res.status, headers: res.headers, body }
}

const bodyToSend = (url: string, opts: { method?: string; body?: unknown; proof?: boolean }) =>
  opts.proof === false || (opts.method ?? 'POST') !== 'POST' ? opts.body : withProof(url, opts.body)

/** Posts a plain HTML form (application/x-www-form-urlencoded) as a browser without JS would. */
export async function postForm(url: string, fields: Array<[string, string]> | Record<string, string>) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields as Record<string, string>).toString(),
    redirect: 'manual',
  })
  return seeOther(url, res)
}

/**
 * A form's answer as a browser shows it: a 303 (a receipt is shown at its own address) is
 * followed with a GET, as a browser does, and `at` is the address the page ends on. Any other
 * redirect is returned as it came, for the tests that check where it points.
 */
export async function seeOther(url: string, res: Response) {
  if (res.status !== 303 || !res.headers.get('location')?.startsWith('/')) return { status: res.status, headers: res.headers, html: await res.text(), at: url }
  const at = new URL(res.headers.get('location')!, url).toString()
  const next = await fetch(at, { redirect: 'manual' })
  return { status: next.status, headers: next.headers, html: await next.text(), at }
}

/** The text a reader sees, roughly: tags dropped, the few entities React writes decoded. */
export function visibleText(html: string): string {
  return html
    .replace(/<script[\s\S]*?<\/script>/g, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&quot;/g, '"')
    .replace(/&#x27;|&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
}

const SYMBOL = '[0-9A-HJKMNP-TV-Z*~$=U]'
const RECEIPT_ATTR = new RegExp(`data-receipt="(${SYMBOL}{4}(?:-${SYMBOL}{4}){4}-${SYMBOL})"`)

/** The receipt shown on the receipt page, formatted XXXX-XXXX-XXXX-XXXX-XXXX-C. */
export function receiptFromPage(html: string): string {
  const m = html.match(RECEIPT_ATTR)
  if (!m) throw new Error(`no receipt in page:\n${visibleText(html).slice(0, 2000)}`)
  return m[1]
}

/** Rows in the reports (or messages) table, read through a separate read-only connection. */
export function countRows(dbFile: string, table: 'reports' | 'messages' | 'passkeys' = 'reports'): Promise<number> {
  return new Promise((resolve, reject) => {
    const db = new sqlite3.Database(dbFile, sqlite3.OPEN_READONLY, (err) => {
      if (err) return reject(err)
      db.get(`SELECT COUNT(*) AS n FROM ${table}`, (err2, row: { n: number } | undefined) => {
        db.close()
        if (err2) reject(err2)
        else resolve(row?.n ?? -1)
      })
    })
  })
}

/** What the operator's offline tool prints for the inbox: every report opened and checked. */
export function openInboxCli(dataDir: string, keyFile: string): string {
  const r = admin(dataDir, ['inbox:open', '--key', keyFile])
  if (r.code !== 0) throw new Error(`inbox:open failed (${r.code}): ${r.stderr}`)
  return r.stdout
}

export const todayUtc = () => new Date().toISOString().slice(0, 10)

/** The JS sign-in as the browser does it: challenge for the locator, sign it, log in; the bearer token. */
export async function reporterToken(url: string, receipt: string): Promise<string> {
  await ready()
  const keys = deriveReporterKeys(normaliseReceipt(receipt))
  const c = await json(`${url}/api/reporter/challenge`, { body: { locator: keys.locator } })
  if (c.status !== 200) throw new Error(`challenge: ${c.status} ${JSON.stringify(c.body)}`)
  const signature = toB64(sign('login', fromB64(c.body.challenge), keys.sign.privateKey))
  const l = await json(`${url}/api/reporter/login`, { body: { challengeId: c.body.challengeId, signature } })
  if (l.status !== 200) throw new Error(`login: ${l.status} ${JSON.stringify(l.body)}`)
  return l.body.token
}
