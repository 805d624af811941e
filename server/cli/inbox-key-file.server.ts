import fs from 'node:fs'
import { Refusal, t } from '#common/i18n/message'
import { decodeKeyFile, type InboxKeyFile } from '../inbox-key-file'

export { keyFileFor } from '../inbox-key-file'

export function writeKeyFile(file: string, content: InboxKeyFile): void {
  // 'wx': never overwrite an existing key file; 0600: readable by the operator only.
  fs.writeFileSync(file, JSON.stringify(content, null, 2) + '\n', { flag: 'wx', mode: 0o600 })
}

export function readKeyFile(file: string) {
  let json: unknown
  try {
    json = JSON.parse(fs.readFileSync(file, 'utf8'))
  } catch {
    json = null
  }
  const decoded = decodeKeyFile(json)
  if (!decoded) throw new Refusal(t('admin.inbox.notKeyFile', { file }))
  return decoded
}
