import path from 'node:path'
import { parseArgs } from 'node:util'
import { newInboxKeys, publishKey, ready } from '../../crypto/index'
import { loadConfig } from '../config.server'
import { migrate } from '../db/migrate.server'
import { Store } from '../db/store.server'
import { isUserError } from '../errors.server'
import { inboxService } from '../inboxes.server'
import { keyFileFor, readKeyFile, writeKeyFile } from './inbox-key-file.server'
import { openInbox } from './open-inbox.server'

const USAGE = `Candour admin

  npm run admin -- inbox:create NAME [--description TEXT] [--key-out FILE]
      Creates an offline inbox. Its secret keys are written once to FILE
      (default ./candour-inbox-<id>.key); keep that file off the server.
  npm run admin -- inbox:list
  npm run admin -- inbox:open --key FILE
      Decrypts and prints the inbox's reports and threads, checking every signature.

Uses DATA_DIR (default ./data) like the server.`

async function main(argv: string[]) {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { description: { type: 'string' }, 'key-out': { type: 'string' }, key: { type: 'string' }, help: { type: 'boolean' } },
  })
  const [command, ...rest] = positionals
  if (!command || values.help) return console.log(USAGE)
  await ready()
  const store = await Store.open(loadConfig().dbFile)
  try {
    await migrate(store)
    const inboxes = inboxService(store)
    switch (command) {
      case 'inbox:create': {
        const name = rest.join(' ').trim()
        if (!name) throw new Error('Give the inbox a name: inbox:create "Professional Standards"')
        const keys = newInboxKeys()
        const id = await inboxes.create({ name, description: values.description ?? '', custody: 'offline', key: publishKey(keys) })
        const file = path.resolve(values['key-out'] ?? `candour-inbox-${id}.key`)
        try {
          writeKeyFile(file, keyFileFor(id, name, keys))
        } catch (err) {
          await store.transaction((tx) => tx.run('DELETE FROM inboxes WHERE id = ?', [id]))
          throw new Error(`Could not write ${file} (${(err as NodeJS.ErrnoException).code}); the inbox was not created.`)
        }
        console.log(`Created inbox "${name}" (${id}).\nIts secret key is in ${file}: move it to an offline machine and keep a backup.`)
        return
      }
      case 'inbox:list':
        for (const i of await inboxes.list()) console.log(`${i.id}  ${i.name}  (key version ${i.current.keyVersion}, ${i.custody})`)
        return
      case 'inbox:open': {
        if (!values.key) throw new Error('inbox:open needs --key FILE')
        console.log(await openInbox(store, readKeyFile(values.key)))
        return
      }
      default:
        throw new Error(`Unknown command "${command}".\n\n${USAGE}`)
    }
  } finally {
    await store.close()
  }
}

main(process.argv.slice(2)).catch((err) => {
  console.error(isUserError(err) || err instanceof Error ? err.message : String(err))
  process.exit(1)
})
