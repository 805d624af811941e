import { createHash } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { z } from 'zod'
import { isBucketSize, paddedLength } from '#crypto'
import type { Store } from './db/store.server'
import {
  allBlobIds,
  attachBlob,
  blobForReading,
  blobForWriting,
  deleteOwnUnattachedBlob,
  deleteUnattachedBefore,
  deleteUnattachedBlob,
  insertBlob,
  insertPlainBlob,
  isAttachable,
  markReceived,
  setWritten,
  unattachedPlainBlobIds,
} from './db/blobs.server'
import type { Connection } from './db/connection.server'
import { addDays } from '#common/days'
import { shortOfSpace } from './budgets.server'
import { randomId } from './ids.server'
import { today } from '#common/days'
import { isUserError, UserError } from '#common/errors'
import { isStorageFull } from './errors.server'
import { FILE_LIMITS } from '#common/limits'
import { uploadBudgets, type UploadBudgets } from './upload-budgets.server'

/**
 * Evidence blobs: ciphertext only, written under DATA_DIR/blobs/<random id> as it arrives. An
 * upload is a capability: whoever created it holds a random token (only its hash is kept) and
 * only they can write it or attach it to a message. Once attached it belongs to the report, and
 * reading it needs that report's reporter session or a member of its inbox.
 *
 * What uploads may cost (decision 20): a global daily quota of unattached bytes, a floor of free
 * disk space below which nothing is written, and for files sent without JavaScript a byte budget
 * and a short life until the report is sent, tracked in memory only.
 */

export const blobIdSchema = z.string().regex(/^[A-Za-z0-9_-]{22}$/, 'unknown file')
export type Attachment = { id: string; token: string }

/**
 * A blob's file times (and its folder's) say only the day, like every other reporter-side time.
 * The inode change time cannot be set from here; docs/threat-model.md says so.
 */
function stampDay(p: string) {
  const midnight = new Date(`${today()}T00:00:00Z`)
  fs.utimesSync(p, midnight, midnight)
}
function dayOnly(file: string) {
  stampDay(file)
  stampDay(path.dirname(file))
}

/** A write the disk refused, or a transaction the store already answered for with its 503. */
const diskFull = (err: unknown) => isStorageFull(err) || (isUserError(err) && err.status === 503)

const hash = (token: string) => createHash('sha256').update(token).digest('base64url')

/**
 * Writes a piece's bytes at `offset` as they come, refusing a piece larger than `max` before
 * writing what would pass it. Returns the piece's length; an empty piece is refused.
 */
async function writeAt(fh: fs.promises.FileHandle, offset: number, body: AsyncIterable<Uint8Array>, max: number): Promise<number> {
  let length = 0
  for await (const part of body) {
    if (length + part.length > FILE_LIMITS.uploadRequestBytes) throw new UserError(400, 'errors.files.pieceSize')
    if (length + part.length > max) throw new UserError(413, 'errors.files.overDeclared')
    for (let at = 0; at < part.length;) at += (await fh.write(part, at, part.length - at, offset + length + at)).bytesWritten
    length += part.length
  }
  if (length === 0) throw new UserError(400, 'errors.files.pieceSize')
  return length
}

export function blobService(
  store: Store,
  dataDir: string,
  limits: { maxBytes: number; perMessage: number },
  budgets?: UploadBudgets,
  now: () => number = Date.now,
) {
  const dir = path.join(dataDir, 'blobs')
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 })
  const fileOf = (id: string) => path.join(dir, blobIdSchema.parse(id))
  const largest = paddedLength(limits.maxBytes)
  // Ids whose file exists but whose row may not yet: the sweep leaves their files alone.
  const pending = new Set<string>()
  const tooLarge = () => new UserError(413, 'errors.files.tooLarge', { values: { mib: Math.round(limits.maxBytes / 1024 / 1024) } })
  // Uploads with pieces in flight: how far they reach, and the last piece to be marked received.
  const lanes = new Map<string, { end: number; pieces: number; tail: Promise<void> }>()
  const resumeAt = (received: number) => new UserError(409, 'errors.files.resumeAt', { values: { received } })
  const spend = uploadBudgets(dataDir, (ids) => deleteUnattached(ids), budgets, now)

  /** Deletes unattached rows (a file never leaves a row naming it attached) and then their files. */
  async function deleteUnattached(ids: string[]): Promise<number> {
    const gone = await store.transaction(async (tx) => {
      const out: string[] = []
      for (const id of ids) if ((await deleteUnattachedBlob(tx, id)).changes) out.push(id)
      return out
    })
    for (const id of gone) await fs.promises.rm(fileOf(id), { force: true })
    if (gone.length) stampDay(dir)
    return gone.length
  }

  async function owned(id: string, token: string | undefined) {
    const row = await blobForWriting(store.read, id)
    // One answer for "no such upload" and "not yours": a guessed id learns nothing.
    if (!row || !token || row.token_hash !== hash(token)) throw new UserError(404, 'errors.files.noUpload')
    return row
  }

  const service = {
    limits: { ...limits, largestStored: largest, requestBytes: FILE_LIMITS.uploadRequestBytes },

    /** Starts an upload of `paddedSize` ciphertext bytes; the size must be a bucket, as crypto/ pads. */
    async create(paddedSize: number): Promise<{ id: string; token: string }> {
      if (!Number.isSafeInteger(paddedSize) || paddedSize < 1 || !isBucketSize(paddedSize)) throw new UserError(400, 'errors.files.badSize')
      if (paddedSize > largest) throw tooLarge()
      spend.checkFloor()
      const id = randomId(16)
      const token = randomId(32)
      pending.add(id)
      try {
        // In the writer's transaction, so two uploads starting at once cannot both fit the quota.
        await store.transaction(async (tx) => {
          await spend.fitQuota(tx, paddedSize)
          // The file exists before the row, so a row never names a missing file.
          fs.writeFileSync(fileOf(id), new Uint8Array(0), { mode: 0o600, flag: 'wx' })
          dayOnly(fileOf(id))
          await insertBlob(tx, id, hash(token), paddedSize, today())
        })
      } catch (err) {
        fs.rmSync(fileOf(id), { force: true })
        if (diskFull(err)) throw shortOfSpace()
        throw err
      } finally {
        pending.delete(id)
      }
      return { id, token }
    },

    /**
     * Writes one piece at `offset` as it streams in (never more than a read buffer held here).
     * Offsets at or before what was received are accepted, so a retry of a piece whose answer was
     * lost is harmless; so is an offset inside a piece still arriving, so a browser can keep a few
     * pieces in flight. A gap is refused. `received` only moves once a piece and every piece
     * before it are written and fsynced: a piece that finishes early waits for those before it,
     * and if one of them failed it answers 409 and is not counted, so it is sent again.
     */
    async append(id: string, token: string | undefined, offset: number, body: AsyncIterable<Uint8Array>): Promise<{ received: number; complete: boolean }> {
      // Any spelling of an id answers as an unknown one: never a parse error, never a log line.
      if (!blobIdSchema.safeParse(id).success) throw new UserError(404, 'errors.files.noUpload')
      const row = await owned(id, token)
      const lane = lanes.get(id)
      const reach = Math.max(row.received, lane?.end ?? 0)
      if (!Number.isSafeInteger(offset) || offset < 0 || offset > reach) throw resumeAt(row.received)
      // A piece's length is known only once it has arrived: writeAt holds it to both limits.
      if (offset >= row.padded_size) throw new UserError(413, 'errors.files.overDeclared')
      spend.checkFloor()
      // Joins the upload's lane before anything is awaited, so a piece right behind it is let in.
      const mine = lane ?? { end: row.received, pieces: 0, tail: Promise.resolve() }
      lanes.set(id, mine)
      const before = mine.tail
      let settled!: () => void
      mine.tail = new Promise<void>((resolve) => (settled = resolve))
      mine.pieces++
      mine.end = Math.max(mine.end, offset + FILE_LIMITS.uploadRequestBytes)
      let fh: fs.promises.FileHandle | undefined
      try {
        fh = await fs.promises.open(fileOf(id), 'r+')
        const length = await writeAt(fh, offset, body, Math.min(FILE_LIMITS.uploadRequestBytes, row.padded_size - offset))
        await fh.sync()
        // Marks are made one at a time, in the order pieces joined the lane.
        await before
        const now = await blobForWriting(store.read, id)
        if (!now) throw new UserError(404, 'errors.files.noUpload')
        // A piece before this one failed or never came: this one is not yet part of the file.
        if (offset > now.received) throw resumeAt(now.received)
        const received = Math.max(now.received, offset + length)
        dayOnly(fileOf(id))
        await store.transaction((tx) => markReceived(tx, id, received))
        return { received, complete: received === row.padded_size }
      } catch (err) {
        // Alone in the lane, back to what the row says arrived, so a full disk leaves no
        // half-written piece behind. With others in flight the bytes past `received` are left:
        // they count only once a piece is written there again and succeeds.
        if (fh && mine.pieces === 1) {
          const now = await blobForWriting(store.read, id).catch(() => undefined)
          try {
            // Synchronous, so no piece can join and write between the check and the cut.
            if (now && mine.pieces === 1) fs.ftruncateSync(fh.fd, now.received)
          } catch {
            // The next piece overwrites it anyway.
          }
        }
        if (diskFull(err)) throw shortOfSpace()
        throw err
      } finally {
        await fh?.close().catch(() => {})
        mine.pieces--
        if (mine.pieces === 0 && lanes.get(id) === mine) lanes.delete(id)
        // Never before the piece ahead of it, so marks stay in the order pieces joined.
        void before.then(settled)
      }
    },

    /**
     * The no-JavaScript path's budget of incoming file bytes, shared by everyone: taken as each
     * piece of a posted file arrives, before it is encrypted or written.
     */
    admitNoJs: spend.admitNoJs,

    /**
     * The no-JavaScript path's writer: ciphertext pieces, already padded, written as they arrive.
     * The row comes first, sized for the largest file, so neither the sweep nor a guessed token
     * can take a file half written; it shrinks to what was written at the end. Any failure,
     * including the caller's (a file over the limit), deletes the file and then the row. The
     * disk floor and the daily quota are checked before each piece is written.
     */
    async write(pieces: AsyncIterable<Uint8Array>): Promise<Attachment & { size: number }> {
      spend.checkFloor()
      const id = randomId(16)
      const token = randomId(32)
      const file = fileOf(id)
      pending.add(id)
      spend.streamed(id, 0)
      let fh: fs.promises.FileHandle | undefined
      let written = 0
      try {
        fh = await fs.promises.open(file, 'wx', 0o600)
        await store.transaction((tx) => insertPlainBlob(tx, id, hash(token), largest, today()))
        pending.delete(id)
        for await (const piece of pieces) {
          if (written + piece.length > largest) throw tooLarge()
          spend.checkFloor()
          await spend.fitQuota(store.read, piece.length)
          for (let at = 0; at < piece.length;) at += (await fh.write(piece, at, piece.length - at, written + at)).bytesWritten
          written += piece.length
          spend.streamed(id, written)
        }
        if (!isBucketSize(written)) throw new Error('a stored file must be padded to a bucket')
        await fh.sync()
        await fh.close()
        fh = undefined
        dayOnly(file)
        await store.transaction((tx) => setWritten(tx, id, written))
        spend.deleteUnsentAt(id)
        return { id, token, size: written }
      } catch (err) {
        await fh?.close().catch(() => {})
        // The file first: on a full disk, its space is what lets SQLite delete the row.
        await fs.promises.rm(file, { force: true })
        await store.transaction((tx) => deleteUnattachedBlob(tx, id)).catch(() => spend.deleteUnsentAt(id, now())) // tried again by the timer
        if (diskFull(err)) throw shortOfSpace()
        throw err
      } finally {
        pending.delete(id)
        spend.streamEnded(id)
      }
    },

    /** At start: no-JS uploads a report never took go at once, since their hour is not known. */
    async forgetUnsentPlain(): Promise<number> {
      const rows = await unattachedPlainBlobIds(store.read)
      return rows.length ? deleteUnattached(rows.map((r) => r.id)) : 0
    },

    /** Of these uploads, the ids that can no longer be attached: expired, deleted or not theirs. */
    async unsendable(files: Attachment[]): Promise<string[]> {
      const out: string[] = []
      for (const f of files) {
        const ok = blobIdSchema.safeParse(f.id).success && (await isAttachable(store.read, f.id, hash(f.token)))
        if (!ok) out.push(f.id)
      }
      return out
    },

    /** How long a no-JS upload waits for its report, as the pages say it. */
    keptMinutes: spend.keptMinutes,

    /**
     * Deletes uploads their holder gives up on (a refused no-JS form): only unattached ones whose
     * token matches, so a message already stored keeps its files.
     */
    async discard(files: Attachment[]): Promise<void> {
      const mine = files.filter((f) => blobIdSchema.safeParse(f.id).success && typeof f.token === 'string')
      if (!mine.length) return
      const gone = await store.transaction(async (tx) => {
        const ids: string[] = []
        for (const f of mine) {
          const { changes } = await deleteOwnUnattachedBlob(tx, f.id, hash(f.token))
          if (changes) ids.push(f.id)
        }
        return ids
      })
      for (const id of gone) {
        spend.forget(id)
        await fs.promises.rm(fileOf(id), { force: true })
      }
      if (gone.length) stampDay(dir)
    },

    /**
     * Inside the caller's transaction: binds finished uploads to the report whose message names
     * them. Any problem rolls the whole message back, so nothing is stored half-attached.
     */
    async attach(tx: Connection, reportId: string, files: Attachment[] | undefined): Promise<number> {
      if (!files?.length) return 0
      if (files.length > limits.perMessage) throw new UserError(400, 'errors.files.tooMany', { values: { max: limits.perMessage } })
      let bytes = 0
      for (const f of files) {
        const row = await attachBlob(tx, f.id, hash(f.token), reportId)
        if (!row) throw new UserError(409, 'errors.files.unfinished')
        bytes += row.padded_size
      }
      return bytes
    },

    /**
     * The blob's file, after checking the asker: the reporter of its report, or a live member of
     * its inbox. Every refusal is the same 404, so ids cannot be probed.
     */
    async forReading(id: string, who: { reportId: string } | { reviewerId: string }): Promise<{ file: string; size: number }> {
      const missing = new UserError(404, 'errors.files.missing')
      if (!blobIdSchema.safeParse(id).success) throw missing
      const row = await blobForReading(store.read, id, 'reviewerId' in who ? who.reviewerId : '')
      if (!row) throw missing
      const allowed = 'reportId' in who ? row.report_id === who.reportId : row.member === 1
      if (!allowed) throw missing
      // A restored backup can name a file deleted while the backup was being taken.
      if (!fs.existsSync(fileOf(id))) throw new UserError(404, 'errors.files.notStored')
      return { file: fileOf(id), size: row.padded_size }
    },

    /**
     * Deletes unattached uploads older than a day, then every file on disk with no row: rows go
     * with their report (ON DELETE CASCADE), and this is where their files follow.
     */
    async sweep(day = today()): Promise<{ removed: number }> {
      const cutoff = addDays(day, -FILE_LIMITS.orphanDays)
      await store.transaction((tx) => deleteUnattachedBefore(tx, cutoff))
      // In this order: a file listed here was made after its id went into `pending`, so it is
      // either still pending now or its row was committed before `known` is read.
      const names = fs.readdirSync(dir)
      const busy = new Set(pending)
      const known = new Set((await allBlobIds(store.read)).map((r) => r.id))
      let removed = 0
      for (const name of names) {
        if (known.has(name) || busy.has(name)) continue
        fs.rmSync(path.join(dir, name), { force: true })
        removed++
      }
      if (removed) stampDay(dir)
      restampOnceADay(
        day,
        names.filter((n) => !busy.has(n)),
      )
      return { removed }
    },
  }

  /**
   * Setting a file's times to the day also sets its change time to the moment it was done, which
   * utimes cannot touch: a blob's ctime says when its upload ended. Stamping every file again on
   * the first sweep of each day (hourly by default) moves all of them to that one moment, so no
   * blob's ctime dates its upload for longer than the day it happened.
   */
  let restamped = ''
  function restampOnceADay(day: string, names: string[]) {
    if (day === restamped) return
    for (const name of names) {
      try {
        stampDay(path.join(dir, name))
      } catch {
        // Deleted meanwhile: nothing left to stamp.
      }
    }
    stampDay(dir)
    restamped = day
  }
  return service
}

export type BlobService = ReturnType<typeof blobService>
