import path from 'node:path'
import { parseArgs } from 'node:util'
import { logKey, newInboxKeys, publishKey, ready } from '#crypto'
import { appendAudit, readAudit, verifyAudit } from '../audit.server'
import { loadConfig } from '../config.server'
import { deleteInboxRow } from '../db/inboxes.server'
import { migrate } from '../db/migrate.server'
import { reviewerCount } from '../db/reviewers.server'
import { Store } from '../db/store.server'
import { isUserError } from '#common/errors'
import { i18nService } from '../i18n.server'
import { inboxService } from '../inboxes.server'
import { keyFileFor, readKeyFile, writeKeyFile } from './inbox-key-file.server'
import { makeBackup, restoreBackup, verifyBackup } from './backup.server'
import { extractFiles } from './evidence-out.server'
import { renderInbox } from './inbox-text.server'
import { openInbox } from './open-inbox.server'
import { safeJson } from './terminal-text.server'
import { createSetupToken, setupUrl } from '../reviewers/setup-tokens.server'
import { releaseCommand } from './release-command.server'
import { CannotWatch, watchKeyLog } from './key-log-watch.server'

const USAGE = `Candour admin

  npm run admin -- inbox:create NAME [--description TEXT] [--key-out FILE]
      Creates an offline inbox. Its secret keys are written once to FILE
      (default ./candour-inbox-<id>.key); keep that file off the server.
  npm run admin -- inbox:list
  npm run admin -- inbox:open --key FILE [--json] [--files-out DIR]
      Decrypts and prints the inbox's reports and threads, checking every signature.
      Reporters' and reviewers' words are on lines starting with "│", controls escaped.
      --json prints one JSON document instead. --files-out DIR decrypts the evidence
      files of verified messages into DIR (made if missing) under generated names, mode 0600.
  npm run admin -- backup DIR
      Copies the database (a consistent snapshot, safe while the server runs) and blobs
      into the new or empty folder DIR, with a manifest of SHA-256 hashes.
  npm run admin -- verify DIR
      Re-hashes a backup and checks its database; exits non-zero if anything is off.
  npm run admin -- restore DIR [--force]
      Verifies the backup, then puts it in DATA_DIR. The server must be stopped; a
      non-empty DATA_DIR is refused unless --force (its database and blobs are replaced).
  npm run admin -- audit:verify
      Checks the audit log's hash chain and prints its head hash; exits non-zero at the
      first bad entry. Keep the head somewhere else to notice the newest entries being cut.
  npm run admin -- audit:list [--limit N]
      Prints the audit log (with --limit, only the newest N entries).
  npm run admin -- setup-link
      Prints a new one-time link (valid 24 h) for setting up the first reviewer.
      Refused once a reviewer exists: further reviewers are invited by an admin.
  npm run admin -- release:keygen --out FILE
      Makes an offline release signing key in FILE (never overwritten) and prints its public key.
  npm run admin -- release:sign --key FILE [--out FILE] [--commit SHA]
      Hashes the built public/ folder and writes the signed release manifest
      (default ./candour-release-<version>.json) for RELEASE_MANIFEST.
  npm run admin -- release:check-site URL --release-key PUBKEY
      Fetches the site's signed manifest and every reporter page as a stranger would, and checks
      every script, preload and style they name, bytes included; exits non-zero on a mismatch.
  npm run admin -- key-log:watch URL --state FILE
      Fetches every inbox's key log from the site as a stranger would, traces each one, and
      checks it extends what FILE (made on the first run, mode 0600) recorded last time. Prints
      each inbox's fingerprint and head; run it on a schedule from a machine the server's
      operator does not control. Exits 1 on a fork, a rollback, another identity, an entry
      that does not verify or an inbox gone from the list, leaving FILE as it was; exits 2 if
      it could not look.

Uses DATA_DIR (default ./data) like the server.`

async function main(argv: string[]) {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      description: { type: 'string' },
      'key-out': { type: 'string' },
      key: { type: 'string' },
      help: { type: 'boolean' },
      force: { type: 'boolean' },
      limit: { type: 'string' },
      json: { type: 'boolean' },
      'files-out': { type: 'string' },
      out: { type: 'string' },
      commit: { type: 'string' },
      'release-key': { type: 'string' },
      state: { type: 'string' },
    },
  })
  const [command, ...rest] = positionals
  if (!command || values.help) return console.log(USAGE)
  if (command === 'backup' || command === 'verify' || command === 'restore') return backupCommand(command, rest[0], values.force)
  await ready()
  if (command.startsWith('release:')) return releaseCommand(command, rest, values)
  if (command === 'key-log:watch') return keyLogWatchCommand(rest[0], values.state)
  const store = await Store.open(loadConfig().dbFile)
  try {
    await migrate(store)
    const inboxes = inboxService(store)
    switch (command) {
      case 'inbox:create': {
        const name = rest.join(' ').trim()
        if (!name) throw new Error('Give the inbox a name: inbox:create "Professional Standards"')
        const keys = newInboxKeys()
        const id = await inboxes.create({
          name,
          description: values.description ?? '',
          custody: 'offline',
          key: publishKey(keys),
          log: logKey(keys),
          actor: 'operator',
        })
        const file = path.resolve(values['key-out'] ?? `candour-inbox-${id}.key`)
        try {
          writeKeyFile(file, keyFileFor(id, name, keys))
        } catch (err) {
          // The audit log keeps the inbox.create entry, so it also records that the inbox went away.
          await store.transaction(async (tx) => {
            await deleteInboxRow(tx, id)
            await appendAudit(tx, { actor: 'operator', action: 'inbox.delete', subject: id, detail: { reason: 'key-file-not-written' } })
          })
          throw new Error(`Could not write ${file} (${(err as NodeJS.ErrnoException).code}); the inbox was not created.`)
        }
        console.log(`Created inbox "${name}" (${id}).\nIts secret key is in ${file}: move it to an offline machine and keep a backup.`)
        console.log(`Its fingerprint, for posters and the intranet: ${(await inboxes.get(id))?.fingerprint}`)
        return
      }
      case 'inbox:list':
        for (const i of await inboxes.list())
          console.log(`${i.id}  ${i.name}  (key version ${i.current.keyVersion}, ${i.custody}, fingerprint ${i.fingerprint ?? 'not logged yet'})`)
        return
      case 'inbox:open': {
        if (!values.key) throw new Error('inbox:open needs --key FILE')
        const { doc, fileKeys } = await openInbox(store, readKeyFile(values.key))
        if (values['files-out']) extractFiles(doc, fileKeys, path.join(loadConfig().dataDir, 'blobs'), path.resolve(values['files-out']))
        console.log(values.json ? safeJson(doc) : renderInbox(doc))
        return
      }
      case 'setup-link': {
        if ((await reviewerCount(store.read)) > 0) throw new Error('A reviewer already exists: an admin invites the others from the review pages.')
        const config = loadConfig()
        console.log(`One-time setup link (valid 24 h):\n${setupUrl(config.publicUrl, await createSetupToken(store, 'operator'))}`)
        return
      }
      case 'audit:verify': {
        const check = await verifyAudit(store.read)
        if (!check.ok) throw new Error(`Audit log NOT OK at entry ${check.badSeq}: ${check.reason} (${check.count} entries verified before it).`)
        console.log(`Audit log OK: ${check.count} entries, head ${check.head}`)
        return
      }
      case 'audit:list': {
        if (values.limit !== undefined && !/^[1-9]\d{0,8}$/.test(values.limit)) throw new Error('--limit needs a positive whole number')
        const entries = await readAudit(store.read, { limit: values.limit === undefined ? undefined : Number(values.limit) })
        for (const e of entries) {
          const what = [e.action, e.subject, e.detail && JSON.stringify(e.detail)].filter(Boolean).join(' ')
          console.log(`${e.seq}  ${e.at}  ${e.actor}  ${what}  ${e.hash}`)
        }
        return
      }
      default:
        throw new Error(`Unknown command "${command}".\n\n${USAGE}`)
    }
  } finally {
    await store.close()
  }
}

/** Backup commands never open the live database through Store: no migration, no file created. */
async function backupCommand(command: 'backup' | 'verify' | 'restore', dir: string | undefined, force = false) {
  if (!dir) throw new Error(`${command} needs a folder: npm run admin -- ${command} DIR`)
  const { dataDir, dbFile } = loadConfig()
  const target = path.resolve(dir)
  const summary = (m: { reportCount: number; blobs: unknown[]; createdAt: string }) =>
    `${m.reportCount} report(s), ${m.blobs.length} blob(s), made ${m.createdAt}`
  if (command === 'backup') {
    console.log(`Backed up ${dbFile} to ${target}: ${summary(await makeBackup(dataDir, dbFile, target))}.`)
  } else if (command === 'verify') {
    const { manifest, problems } = await verifyBackup(target)
    if (!manifest || problems.length) throw new Error(`The backup in ${target} is NOT OK:\n  ${problems.join('\n  ')}`)
    console.log(`The backup in ${target} is OK: ${summary(manifest)}.`)
  } else {
    console.log(`Restored ${target} into ${dataDir}: ${summary(await restoreBackup(target, dataDir, dbFile, { force }))}.`)
  }
}

async function keyLogWatchCommand(site: string | undefined, stateFile: string | undefined) {
  if (!site || !/^https?:\/\/[^/]+\/?$/.test(site)) throw new CannotWatch('key-log:watch needs the site address: key-log:watch https://… --state FILE')
  if (!stateFile) throw new CannotWatch('key-log:watch needs --state FILE, where it keeps what it saw (made on the first run)')
  const origin = new URL(site).origin
  const { alarms, lines } = await watchKeyLog(origin, path.resolve(stateFile))
  for (const line of lines) console.log(line)
  if (alarms.length) {
    process.exitCode = 1
    console.error(`ALARM: ${origin} is not serving key logs that extend the ones seen before:\n  ${alarms.join('\n  ')}`)
    console.error(`${stateFile} was left as it was. If an inbox was closed on purpose, remove it from that file.`)
  }
}

main(process.argv.slice(2)).catch((err) => {
  // The operator's terminal speaks English, as the rest of this tool does.
  console.error(isUserError(err) ? i18nService().refusal('en', err) : err instanceof Error ? err.message : String(err))
  process.exit(err instanceof CannotWatch ? err.exitCode : 1)
})
