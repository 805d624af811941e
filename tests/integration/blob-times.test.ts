import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sealFile } from '../../crypto/files'
import { ready } from '../../crypto/index'
import { json, todayUtc } from '../support/http'
import { startServer, tempDataDir } from '../support/server'

/**
 * A blob's file times may say the day only. utimes sets modification and access times to
 * midnight, but the change time it cannot set is the moment of that call: the first sweep of
 * each day (and at start) stamps every blob again, so an upload's own moment does not stay.
 */
const dataDir = tempDataDir('candour-blob-times-')
beforeAll(() => ready())
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }))

describe('blob file times', () => {
  it('keep the day in mtime and atime, and lose the upload moment from ctime at the next daily stamp', async () => {
    let server = await startServer({ dataDir })
    const { ciphertext } = sealFile(new Uint8Array(Buffer.from('evidence\n'.repeat(100))))
    const made = await json(`${server.url}/api/files`, { body: { paddedSize: ciphertext.length } })
    expect(made.status).toBe(201)
    const put = await fetch(`${server.url}/api/files/${made.body.id}?offset=0`, {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream', authorization: `Bearer ${made.body.token}` },
      body: Buffer.from(ciphertext),
    })
    expect(put.status).toBe(200)
    const file = path.join(dataDir, 'blobs', made.body.id)
    const uploaded = fs.statSync(file)
    const midnight = new Date(`${todayUtc()}T00:00:00Z`).getTime()
    expect(uploaded.mtimeMs).toBe(midnight)
    expect(uploaded.atimeMs).toBe(midnight)
    await server.stop()
    await new Promise((r) => setTimeout(r, 1500))
    server = await startServer({ dataDir })
    await new Promise((r) => setTimeout(r, 500))
    const later = fs.statSync(file)
    await server.stop()
    expect(later.mtimeMs).toBe(midnight)
    expect(later.ctimeMs - uploaded.ctimeMs).toBeGreaterThan(1000)
  })
})
