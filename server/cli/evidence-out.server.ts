import fs from 'node:fs'
import path from 'node:path'
import { sniffType } from '#common/metadata/index'
import { fromB64, openFile } from '#crypto'
import { t } from '#common/i18n/message'
import type { FileEntry, InboxDocument } from './open-inbox.server'

// Extensions only for types read from the decrypted bytes, never the sender's name or claimed
// type; markup, scripts and everything unknown stay .bin so that no double-click renders them.
const EXTENSIONS: Record<string, string> = {
  'image/jpeg': '.jpg',
  'image/png': '.png',
  'image/webp': '.webp',
  'image/gif': '.gif',
  'image/heic': '.heic',
  'image/tiff': '.tif',
  'image/bmp': '.bmp',
  'video/mp4': '.mp4',
  'video/quicktime': '.mov',
  'audio/mpeg': '.mp3',
  'audio/wav': '.wav',
  'application/pdf': '.pdf',
  'application/zip': '.zip',
  'text/plain': '.txt',
}
const BLOB_ID = /^[A-Za-z0-9_-]{22}$/

/**
 * Decrypts every file of a verified report or message into `dir`, under a name made here
 * (report, message and file number, then an extension from the sniffed bytes): a sender's file
 * name never becomes a path. Files are created new (never over an existing one), mode 0600, and
 * each entry in the document says where it went or why it was not saved.
 */
export function extractFiles(doc: InboxDocument, fileKeys: Map<string, string>, blobsDir: string, dir: string): void {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 })
  for (const r of doc.reports) {
    const save = (f: FileEntry, i: number) => {
      const key = fileKeys.get(f.id)
      if (!key) return void (f.notSaved = t('admin.open.unsaved.unverified'))
      if (!BLOB_ID.test(f.id)) return void (f.notSaved = t('admin.open.unsaved.badId'))
      let ciphertext: Uint8Array
      try {
        ciphertext = new Uint8Array(fs.readFileSync(path.join(blobsDir, f.id)))
      } catch {
        return void (f.notSaved = t('admin.open.unsaved.missing', { dir: blobsDir }))
      }
      let plain: Uint8Array
      try {
        plain = openFile(fromB64(key), ciphertext, f.size)
      } catch {
        return void (f.notSaved = t('admin.open.unsaved.damaged'))
      }
      const name = `report-${r.n}-${f.message === null ? '' : `message-${f.message}-`}file-${i + 1}${EXTENSIONS[sniffType(plain)] ?? '.bin'}`
      const target = path.join(dir, name)
      try {
        fs.writeFileSync(target, plain, { flag: 'wx', mode: 0o600 })
        fs.chmodSync(target, 0o600)
        f.savedTo = path.resolve(target)
      } catch (err) {
        f.notSaved =
          (err as NodeJS.ErrnoException).code === 'EEXIST' ? t('admin.open.unsaved.exists', { file: target }) : t('admin.open.unsaved.unwritable', { dir })
      } finally {
        plain.fill(0)
      }
    }
    r.files.forEach(save)
    for (const m of r.messages) m.files.forEach(save)
  }
}
