import { createHash } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { z } from 'zod'
import { Refusal, t, type Message } from '#common/i18n/message'
import { RefusalWithProblems } from './language.server'
import { databaseInUse, describeDatabase as describe, snapshotDatabase } from '../db/backup.server'

/**
 * Online backups: `backup DIR` while the server runs, `verify DIR`, `restore DIR` on a stopped
 * server. A backup folder holds candour.sqlite (a consistent snapshot made with SQLite's backup
 * API), blobs/ (a copy of DATA_DIR/blobs, if any) and manifest.json, written last, which lists
 * every file with its SHA-256 and size. The manifest detects damage, not a deliberate forger:
 * anyone who can edit the copy can edit the manifest too.
 */
const FORMAT_VERSION = 1
const DB_NAME = 'candour.sqlite'
const BLOBS = 'blobs'
const MANIFEST = 'manifest.json'

const fileEntry = z.strictObject({ path: z.string(), sha256: z.string().regex(/^[0-9a-f]{64}$/), size: z.number().int().min(0) })
const manifestSchema = z.strictObject({
  kind: z.literal('candour-backup'),
  formatVersion: z.literal(FORMAT_VERSION),
  createdAt: z.string(),
  database: fileEntry,
  migrations: z.array(z.string()),
  reportCount: z.number().int().min(0),
  blobs: z.array(fileEntry),
})
export type Manifest = z.infer<typeof manifestSchema>
type FileEntry = z.infer<typeof fileEntry>

async function sha256(file: string): Promise<FileEntry> {
  const hash = createHash('sha256')
  let size = 0
  for await (const chunk of fs.createReadStream(file)) {
    hash.update(chunk as Buffer)
    size += (chunk as Buffer).length
  }
  return { path: file, sha256: hash.digest('hex'), size }
}

function fsyncPath(p: string) {
  const fd = fs.openSync(p, 'r')
  try {
    fs.fsyncSync(fd)
  } finally {
    fs.closeSync(fd)
  }
}

/** Regular files under dir, as paths relative to dir with '/' separators; symlinks are refused. */
function filesUnder(dir: string, prefix = ''): string[] {
  if (!fs.existsSync(dir)) return []
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const rel = prefix ? `${prefix}/${e.name}` : e.name
    if (e.isDirectory()) return filesUnder(path.join(dir, e.name), rel)
    if (e.isFile()) return [rel]
    throw new Refusal(t('admin.backup.notRegular', { file: path.join(dir, e.name) }))
  })
}

/** Copies each blob file, fsyncs it and returns its manifest entry (hashed from the copy). */
async function copyBlobs(fromDir: string, toDir: string): Promise<FileEntry[]> {
  const entries: FileEntry[] = []
  for (const rel of filesUnder(fromDir).sort()) {
    const to = path.join(toDir, rel)
    fs.mkdirSync(path.dirname(to), { recursive: true, mode: 0o700 })
    try {
      fs.copyFileSync(path.join(fromDir, rel), to, fs.constants.COPYFILE_EXCL)
    } catch (err) {
      // Deleted since it was listed (retention, a withdrawal): its report went with it, so skip it.
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') continue
      throw err
    }
    fsyncPath(to)
    entries.push({ ...(await sha256(to)), path: `${BLOBS}/${rel}` })
  }
  return entries
}

const isEmptyDir = (dir: string) => !fs.existsSync(dir) || fs.readdirSync(dir).length === 0

/**
 * Copies the live database as one consistent snapshot (see snapshotDatabase), then the blobs:
 * copied after the snapshot, a blob written before its row was committed is in the backup
 * whenever its row is.
 */
export async function makeBackup(dataDir: string, dbFile: string, outDir: string): Promise<Manifest> {
  if (!fs.existsSync(dbFile)) throw new Refusal(t('admin.backup.noDatabase', { file: dbFile }))
  if (!isEmptyDir(outDir)) throw new Refusal(t('admin.backup.notEmpty', { dir: outDir }))
  fs.mkdirSync(outDir, { recursive: true, mode: 0o700 })
  const partial = path.join(outDir, `${DB_NAME}.partial`)
  await snapshotDatabase(dbFile, partial)
  // The copy is its own single file (a snapshot has no WAL); make it durable, then name it.
  const copy = path.join(outDir, DB_NAME)
  fs.chmodSync(partial, 0o600)
  fsyncPath(partial)
  fs.renameSync(partial, copy)
  const blobs = await copyBlobs(path.join(dataDir, BLOBS), path.join(outDir, BLOBS))
  const { migrations, reportCount, integrity } = await describe(copy)
  if (integrity !== 'ok') throw new Refusal(t('admin.backup.copyDamaged', { integrity }))
  const manifest: Manifest = {
    kind: 'candour-backup',
    formatVersion: FORMAT_VERSION,
    createdAt: new Date().toISOString(),
    database: { ...(await sha256(copy)), path: DB_NAME },
    migrations,
    reportCount,
    blobs,
  }
  // Written last and renamed into place: a folder with a manifest is a finished backup.
  fs.writeFileSync(path.join(outDir, `${MANIFEST}.tmp`), JSON.stringify(manifest, null, 2) + '\n', { mode: 0o600 })
  fsyncPath(path.join(outDir, `${MANIFEST}.tmp`))
  fs.renameSync(path.join(outDir, `${MANIFEST}.tmp`), path.join(outDir, MANIFEST))
  fsyncPath(outDir)
  return manifest
}

/** Re-hashes every file against the manifest and checks the database copy; returns the problems found. */
export async function verifyBackup(dir: string): Promise<{ manifest?: Manifest; problems: Message[] }> {
  const problems: Message[] = []
  let manifest: Manifest
  try {
    const parsed = manifestSchema.safeParse(JSON.parse(fs.readFileSync(path.join(dir, MANIFEST), 'utf8')))
    if (!parsed.success) return { problems: [t('admin.backup.problem.notManifest', { file: MANIFEST, format: FORMAT_VERSION })] }
    manifest = parsed.data
  } catch (err) {
    return { problems: [t('admin.backup.problem.unreadable', { file: path.join(dir, MANIFEST), reason: (err as Error).message })] }
  }
  const listed = [manifest.database, ...manifest.blobs]
  for (const entry of listed) {
    const inside = entry.path === DB_NAME || (entry.path.startsWith(`${BLOBS}/`) && !entry.path.split('/').includes('..'))
    const file = path.join(dir, entry.path)
    if (!inside) problems.push(t('admin.backup.problem.badPath', { file: entry.path }))
    else if (!fs.existsSync(file)) problems.push(t('admin.backup.problem.missing', { file: entry.path }))
    else {
      const actual = await sha256(file)
      if (actual.size !== entry.size) problems.push(t('admin.backup.problem.size', { file: entry.path, size: actual.size, listed: entry.size }))
      if (actual.sha256 !== entry.sha256) problems.push(t('admin.backup.problem.hash', { file: entry.path }))
    }
  }
  const names = new Set(listed.map((e) => e.path))
  for (const rel of filesUnder(path.join(dir, BLOBS)))
    if (!names.has(`${BLOBS}/${rel}`)) problems.push(t('admin.backup.problem.unlisted', { file: `${BLOBS}/${rel}` }))
  if (fs.existsSync(path.join(dir, DB_NAME))) {
    try {
      const d = await describe(path.join(dir, DB_NAME))
      if (d.integrity !== 'ok') problems.push(t('admin.backup.problem.integrity', { file: DB_NAME, integrity: d.integrity }))
      if (d.reportCount !== manifest.reportCount)
        problems.push(t('admin.backup.problem.reports', { file: DB_NAME, count: d.reportCount, listed: manifest.reportCount }))
      if (d.migrations.join() !== manifest.migrations.join()) problems.push(t('admin.backup.problem.migrations', { file: DB_NAME }))
    } catch (err) {
      problems.push(t('admin.backup.problem.notDatabase', { file: DB_NAME, reason: (err as Error).message }))
    }
  }
  return { manifest, problems }
}

/** Puts a verified backup in place of DATA_DIR's database and blobs. The server must be stopped. */
export async function restoreBackup(dir: string, dataDir: string, dbFile: string, opts: { force?: boolean } = {}): Promise<Manifest> {
  const { manifest, problems } = await verifyBackup(dir)
  if (!manifest || problems.length) throw new RefusalWithProblems(t('admin.backup.doesNotVerify', { dir }), problems)
  if (await databaseInUse(dbFile)) throw new Refusal(t('admin.backup.inUse', { file: dbFile }))
  if (!isEmptyDir(dataDir) && !opts.force) throw new Refusal(t('admin.backup.restoreNotEmpty', { dir: dataDir }))
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 })

  const incoming = path.join(dataDir, `${DB_NAME}.restoring`)
  fs.rmSync(incoming, { force: true })
  fs.copyFileSync(path.join(dir, DB_NAME), incoming)
  fs.chmodSync(incoming, 0o600)
  fsyncPath(incoming)
  if ((await sha256(incoming)).sha256 !== manifest.database.sha256) throw new Refusal(t('admin.backup.dbChanged'))
  const blobsIn = path.join(dataDir, `${BLOBS}.restoring`)
  fs.rmSync(blobsIn, { recursive: true, force: true })
  const copied = await copyBlobs(path.join(dir, BLOBS), blobsIn)
  if (copied.length !== manifest.blobs.length || copied.some((c, i) => c.path !== manifest.blobs[i].path || c.sha256 !== manifest.blobs[i].sha256))
    throw new Refusal(t('admin.backup.blobsChanged'))

  // An old -wal beside the new file would be replayed into it: remove it before the rename.
  for (const suffix of ['-wal', '-shm', '-journal']) fs.rmSync(dbFile + suffix, { force: true })
  fs.renameSync(incoming, dbFile)
  fs.rmSync(path.join(dataDir, BLOBS), { recursive: true, force: true })
  if (fs.existsSync(blobsIn)) fs.renameSync(blobsIn, path.join(dataDir, BLOBS))
  fsyncPath(dataDir)
  return manifest
}
