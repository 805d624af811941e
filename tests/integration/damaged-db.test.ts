import { createHash } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { json, loadInboxKeys, reporterToken } from '../support/http'
import { sealedSubmission } from '../support/seal'
import { admin, createInbox, startServer, tempDataDir } from '../support/server'

/**
 * A damaged database at start: the server refuses to run, names the file and the restore
 * command, and leaves every byte and every file as it found them, so the restore starts from
 * exactly what was there. Then the named commands bring it back.
 */
let good: string
let backup: string
let receipt: string
const dirs: string[] = []

const fresh = () => {
  const d = tempDataDir('candour-damaged-')
  dirs.push(d)
  return d
}

/** Every file in the folder with its SHA-256: what "changed nothing" is checked against. */
function fingerprint(dir: string): Record<string, string> {
  const out: Record<string, string> = {}
  for (const f of fs.readdirSync(dir).sort()) {
    const p = path.join(dir, f)
    out[f] = fs.statSync(p).isDirectory() ? 'dir' : createHash('sha256').update(fs.readFileSync(p)).digest('hex')
  }
  return out
}

function copyDir(from: string, to: string) {
  fs.cpSync(from, to, { recursive: true })
}

async function refusal(dataDir: string): Promise<string> {
  const before = fingerprint(dataDir)
  const err = await startServer({ dataDir }).then(
    async (s) => {
      await s.stop()
      return null
    },
    (e: Error) => e,
  )
  expect(err, 'the server started on a damaged database').not.toBeNull()
  expect(fingerprint(dataDir)).toEqual(before)
  return err!.message
}

beforeAll(async () => {
  good = fresh()
  const inbox = createInbox(good)
  const keys = await loadInboxKeys(inbox.keyFile)
  const server = await startServer({ dataDir: good })
  // Enough rows that the file has many pages, so damage in its middle hits a table.
  for (let i = 0; i < 40; i++) {
    const s = await sealedSubmission(inbox.id, keys, {
      categories: ['bullying'],
      whatHappened: `Damage test ${i}`,
      when: '',
      where: '',
      who: '',
      role: '',
      contact: '',
    })
    expect((await json(`${server.url}/api/reports`, { body: s.body })).status).toBe(201)
    receipt = s.receipt
  }
  backup = path.join(fresh(), 'backup')
  expect(admin(good, ['backup', backup]).code).toBe(0)
  await server.stop()
  fs.rmSync(inbox.keyFile)
})

afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true })
})

describe('a damaged database at start', () => {
  const damages: Array<[string, (file: string) => void]> = [
    ['truncated to half', (f) => fs.truncateSync(f, Math.floor(fs.statSync(f).size / 2))],
    ['not a database at all', (f) => fs.writeFileSync(f, 'these are not the bytes of a database\n'.repeat(100))],
    [
      'pages overwritten in the middle',
      (f) => {
        const b = fs.readFileSync(f)
        b.fill(0xa5, 4096 * 2, 4096 * 4)
        fs.writeFileSync(f, b)
      },
    ],
    [
      'a damaged header',
      (f) => {
        const b = fs.readFileSync(f)
        b.fill(0xff, 16, 100)
        fs.writeFileSync(f, b)
      },
    ],
  ]

  for (const [what, damage] of damages)
    it(`${what}: refuses to start, names the file and the restore command, changes nothing`, async () => {
      const dataDir = fresh()
      copyDir(good, dataDir)
      const file = path.join(dataDir, 'candour.sqlite')
      damage(file)
      const message = await refusal(dataDir)
      expect(message).toContain(`The database file ${file} is damaged`)
      expect(message).toContain('npm run admin -- restore DIR --force')
      expect(message).toContain('changed nothing')
      // One clear line, not a stack trace.
      expect(message).not.toMatch(/\n\s+at /)
    })

  it('the commands it names bring the portal back: restore --force, then the report opens with its receipt', async () => {
    const dataDir = fresh()
    copyDir(good, dataDir)
    fs.truncateSync(path.join(dataDir, 'candour.sqlite'), 5000)
    await refusal(dataDir)
    expect(admin(dataDir, ['verify', backup]).code).toBe(0)
    const restored = admin(dataDir, ['restore', backup, '--force'])
    expect(restored.code, restored.stderr).toBe(0)
    const server = await startServer({ dataDir })
    try {
      const token = await reporterToken(server.url, receipt)
      expect((await json(`${server.url}/api/reporter/thread`, { token })).status).toBe(200)
    } finally {
      await server.stop()
    }
  })
})
