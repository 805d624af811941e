import path from 'node:path'
import { parseArgs } from 'node:util'
import { logKey, newInboxKeys, publishKey, ready } from '#crypto'
import { DEFAULT_LANG } from '#common/i18n/lang-url'
import { Refusal, t, type Message } from '#common/i18n/message'
import { appendAudit, readAudit, verifyAudit } from '../audit.server'
import { loadConfig } from '../config.server'
import { deleteInboxRow } from '../db/inboxes.server'
import { migrate } from '../db/migrate.server'
import { reviewerCount } from '../db/reviewers.server'
import { Store } from '../db/store.server'
import { i18nService } from '../i18n.server'
import { inboxService } from '../inboxes.server'
import { keyFileFor, readKeyFile, writeKeyFile } from './inbox-key-file.server'
import { makeBackup, restoreBackup, verifyBackup, type Manifest } from './backup.server'
import { extractFiles } from './evidence-out.server'
import { renderInbox, saidIn } from './inbox-text.server'
import { localeLang, RefusalWithProblems, speakerFor, type Speaker } from './language.server'
import { openInbox } from './open-inbox.server'
import { safeJson } from './terminal-text.server'
import { createSetupToken, setupUrl } from '../reviewers/setup-tokens.server'
import { releaseCommand } from './release-command.server'
import { CannotWatch, watchKeyLog } from './key-log-watch.server'

/** Each command as typed (the same in every language), then what it does in the operator's. */
const COMMANDS: Array<[string, Message?]> = [
  ['inbox:create NAME [--description TEXT] [--key-out FILE]', t('admin.usage.inboxCreate')],
  ['inbox:list', t('admin.usage.inboxList')],
  ['inbox:open --key FILE [--json] [--files-out DIR]', t('admin.usage.inboxOpen')],
  ['backup DIR', t('admin.usage.backup')],
  ['verify DIR', t('admin.usage.verify')],
  ['restore DIR [--force]', t('admin.usage.restore')],
  ['audit:verify', t('admin.usage.auditVerify')],
  ['audit:list [--limit N]', t('admin.usage.auditList')],
  ['setup-link', t('admin.usage.setupLink')],
  ['release:keygen --out FILE', t('admin.usage.releaseKeygen')],
  ['release:sign --key FILE [--out FILE] [--commit SHA]', t('admin.usage.releaseSign')],
  ['release:check-site URL --release-key=PUBKEY', t('admin.usage.releaseCheckSite')],
  ['key-log:watch URL --state FILE', t('admin.usage.keyLogWatch')],
]

/** Words wrapped to a terminal's width under an indent, whatever their language's word lengths. */
function wrap(text: string, indent: string, width = 96): string {
  const lines: string[] = []
  for (const word of text.split(/\s+/)) {
    const last = lines.length - 1
    if (last >= 0 && lines[last]!.length + 1 + word.length <= width) lines[last] += ` ${word}`
    else lines.push(indent + word)
  }
  return lines.join('\n')
}

const usage = ({ say }: Speaker) =>
  [
    say(t('admin.usage.title')),
    '',
    ...COMMANDS.flatMap(([synopsis, what]) => [`  npm run admin -- ${synopsis}`, ...(what ? [wrap(say(what), '      ')] : [])]),
    '',
    wrap(say(t('admin.usage.lang')), ''),
    wrap(say(t('admin.usage.dataDir')), ''),
  ].join('\n')

const i18n = i18nService()
const codes = i18n.languages.map((l) => l.code)
// The terminal's language until --lang says otherwise; failures are told in it too.
let speaker = speakerFor(i18n, localeLang(process.env, codes))

/** The command line, or a refusal that points to --help; Node's own words name what was wrong. */
function readArgs(argv: string[]) {
  try {
    return parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        lang: { type: 'string' },
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
  } catch (err) {
    if (!String((err as NodeJS.ErrnoException).code).startsWith('ERR_PARSE_ARGS_')) throw err
    throw new Refusal(t('admin.badArgs', { detail: (err as Error).message }))
  }
}

async function main(argv: string[]) {
  const { values, positionals } = readArgs(argv)
  if (values.lang !== undefined) {
    if (!codes.includes(values.lang)) throw new Refusal(t('admin.badLang', { lang: values.lang, langs: codes.join(', ') }))
    speaker = speakerFor(i18n, values.lang)
  }
  const { say } = speaker
  const [command, ...rest] = positionals
  if (!command || values.help) return console.log(usage(speaker))
  if (command === 'backup' || command === 'verify' || command === 'restore') return backupCommand(command, rest[0], values.force)
  await ready()
  if (command.startsWith('release:')) return releaseCommand(command, rest, values, speaker)
  if (command === 'key-log:watch') return keyLogWatchCommand(rest[0], values.state)
  const store = await Store.open(loadConfig().dbFile)
  try {
    await migrate(store)
    const inboxes = inboxService(store)
    switch (command) {
      case 'inbox:create': {
        const name = rest.join(' ').trim()
        if (!name) throw new Refusal(t('admin.inbox.needsName'))
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
          throw new Refusal(t('admin.inbox.keyFileNotWritten', { file, code: String((err as NodeJS.ErrnoException).code) }))
        }
        console.log(say(t('admin.inbox.created', { name, id, file })))
        console.log(say(t('admin.inbox.fingerprint', { fingerprint: String((await inboxes.get(id))?.fingerprint) })))
        return
      }
      case 'inbox:list':
        for (const i of await inboxes.list())
          console.log(
            say(
              t('admin.inbox.listed', {
                id: i.id,
                name: i.name,
                version: i.current.keyVersion,
                custody: i.custody,
                fingerprint: i.fingerprint ?? t('admin.inbox.notLogged'),
              }),
            ),
          )
        return
      case 'inbox:open': {
        if (!values.key) throw new Refusal(t('admin.inbox.openNeedsKey'))
        const { doc, fileKeys } = await openInbox(store, readKeyFile(values.key))
        if (values['files-out']) extractFiles(doc, fileKeys, path.join(loadConfig().dataDir, 'blobs'), path.resolve(values['files-out']))
        // JSON is for scripts: its words are English whatever the terminal speaks.
        console.log(values.json ? safeJson(saidIn(speakerFor(i18n, DEFAULT_LANG).say, doc)) : renderInbox(doc, speaker))
        return
      }
      case 'setup-link': {
        if ((await reviewerCount(store.read)) > 0) throw new Refusal(t('admin.setup.exists'))
        const config = loadConfig()
        console.log(say(t('admin.setup.link', { url: setupUrl(config.publicUrl, await createSetupToken(store, 'operator')) })))
        return
      }
      case 'audit:verify': {
        const check = await verifyAudit(store.read)
        if (!check.ok) throw new Refusal(t('admin.audit.notOk', { seq: check.badSeq, reason: check.reason, count: check.count }))
        console.log(say(t('admin.audit.ok', { count: check.count, head: check.head })))
        return
      }
      case 'audit:list': {
        if (values.limit !== undefined && !/^[1-9]\d{0,8}$/.test(values.limit)) throw new Refusal(t('admin.audit.badLimit'))
        const entries = await readAudit(store.read, { limit: values.limit === undefined ? undefined : Number(values.limit) })
        for (const e of entries) {
          const what = [e.action, e.subject, e.detail && JSON.stringify(e.detail)].filter(Boolean).join(' ')
          console.log(`${e.seq}  ${e.at}  ${e.actor}  ${what}  ${e.hash}`)
        }
        return
      }
      default:
        throw new Error(`${say(t('admin.unknownCommand', { command }))}\n\n${usage(speaker)}`)
    }
  } finally {
    await store.close()
  }
}

/** Backup commands never open the live database through Store: no migration, no file created. */
async function backupCommand(command: 'backup' | 'verify' | 'restore', dir: string | undefined, force = false) {
  if (!dir) throw new Refusal(t('admin.backup.needsDir', { command }))
  const { say } = speaker
  const { dataDir, dbFile } = loadConfig()
  const target = path.resolve(dir)
  const summary = (m: Manifest) => t('admin.backup.summary', { reports: m.reportCount, blobs: m.blobs.length, at: m.createdAt })
  if (command === 'backup') {
    console.log(say(t('admin.backup.made', { db: dbFile, dir: target, summary: summary(await makeBackup(dataDir, dbFile, target)) })))
  } else if (command === 'verify') {
    const { manifest, problems } = await verifyBackup(target)
    if (!manifest || problems.length) throw new RefusalWithProblems(t('admin.backup.notOk', { dir: target }), problems)
    console.log(say(t('admin.backup.ok', { dir: target, summary: summary(manifest) })))
  } else {
    console.log(say(t('admin.backup.restored', { dir: target, dataDir, summary: summary(await restoreBackup(target, dataDir, dbFile, { force })) })))
  }
}

async function keyLogWatchCommand(site: string | undefined, stateFile: string | undefined) {
  if (!site || !/^https?:\/\/[^/]+\/?$/.test(site)) throw new CannotWatch(t('admin.keyLog.needsSite'))
  if (!stateFile) throw new CannotWatch(t('admin.keyLog.needsState'))
  const { say, lines } = speaker
  const origin = new URL(site).origin
  const watched = await watchKeyLog(origin, path.resolve(stateFile))
  for (const line of watched.lines) console.log(say(line))
  if (watched.alarms.length) {
    process.exitCode = 1
    // "ALARM:" is for whatever reads this output, so it is the same in every language.
    console.error(`ALARM: ${say(t('admin.keyLog.alarm', { origin }))}${lines(watched.alarms)}`)
    console.error(say(t('admin.keyLog.leftAsItWas', { file: stateFile })))
  }
}

main(process.argv.slice(2)).catch((err) => {
  console.error(speaker.sayError(err))
  process.exit(err instanceof CannotWatch ? err.exitCode : 1)
})
