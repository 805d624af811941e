/**
 * The submit baseline: a bare node:http server doing only what a submission must do. It reads
 * the JSON, checks it with the same zod schema as the portal (sealedReportSchema), and inserts
 * the same row into the same `reports` table (migrations applied, the store's PRAGMAs: WAL,
 * synchronous=FULL), one committed transaction per request, before answering 201.
 * No Express, Remix, headers, session or inbox lookup (the foreign key still checks the inbox).
 *
 * Run: tsx tests/bench/bare-server.ts DATA_DIR  (prints {"url": ...} once listening on loopback)
 */
import http from 'node:http'
import path from 'node:path'
import { migrate } from '../../server/db/migrate.server'
import { Store } from '../../server/db/store.server'
import { randomId } from '../../server/ids.server'
import { today } from '#common/days'
import { sealedReportSchema } from '#common/wire'

const dataDir = process.argv[2]
if (!dataDir) throw new Error('usage: bare-server.ts DATA_DIR')
const store = await Store.open(path.join(dataDir, 'bare.sqlite'))
await migrate(store)
// One inbox key row for the reports' foreign key; the values are never read.
const inboxId = 'bench-inbox-0001'
await store.transaction(async (tx) => {
  await tx.run(`INSERT OR IGNORE INTO inboxes (id, name, description, sign_pk, custody, created_at) VALUES (?, 'bench', '', 'x', 'offline', '2026-01-01')`, [
    inboxId,
  ])
  await tx.run(`INSERT OR IGNORE INTO inbox_keys (inbox_id, key_version, box_pk, signature, created_at) VALUES (?, 1, 'x', 'x', '2026-01-01')`, [inboxId])
})

const server = http.createServer((req, res) => {
  const chunks: Buffer[] = []
  req.on('data', (c: Buffer) => chunks.push(c))
  req.on('end', async () => {
    const answer = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' })
      res.end(JSON.stringify(body))
    }
    try {
      const parsed = sealedReportSchema.safeParse(JSON.parse(Buffer.concat(chunks).toString('utf8')))
      if (!parsed.success) return answer(400, { error: 'shape' })
      const r = parsed.data
      const receivedDay = today()
      await store.transaction((tx) =>
        tx.run(
          `INSERT INTO reports (id, inbox_id, key_version, envelope, locator, sign_pk, box_pk, self_note, received_day)
           VALUES (?,?,?,?,?,?,?,?,?)`,
          [randomId(), r.inboxId, r.keyVersion, JSON.stringify(r.envelope), r.locator, r.signPk, r.boxPk, r.selfNote, receivedDay],
        ),
      )
      answer(201, { receivedDay })
    } catch {
      answer(500, { error: 'failed' })
    }
  })
})
server.listen(0, '127.0.0.1', () => {
  const a = server.address()
  console.log(JSON.stringify({ url: `http://127.0.0.1:${typeof a === 'object' && a ? a.port : 0}`, inboxId }))
})
const stop = () => server.close(() => store.close().then(() => process.exit(0)))
process.on('SIGTERM', stop)
process.on('SIGINT', stop)
