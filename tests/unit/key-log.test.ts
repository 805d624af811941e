import { beforeAll, describe, expect, it } from 'vitest'
import { entryHash, genesisEntry, headOf, KEY_LOG_MAX_ENTRIES, successionEntry, traceLog, versionEntry, type KeyLogEntry } from '../../crypto/key-log'
import { newBoxKeyPair, newSignKeyPair, type KeyPair } from '../../crypto/keys'
import { ready, toB64 } from '../../crypto/index'
import { traceFromNote } from '../../crypto/reporter-view'

/**
 * The key log as a reader traces it. Each lie below is one a server could tell with every other
 * check passing, so each case fails only on the check named for it.
 */
let S: KeyPair
let S2: KeyPair
let log: KeyLogEntry[]

const head = headOf
const append = (entries: KeyLogEntry[], make: (h: { pos: number; hash: string }) => KeyLogEntry) => [...entries, make(head(entries))]

beforeAll(async () => {
  await ready()
  S = newSignKeyPair()
  S2 = newSignKeyPair()
  log = [genesisEntry(S, newBoxKeyPair().publicKey)]
  log = append(log, (h) => versionEntry(h, S, 2, newBoxKeyPair().publicKey))
  log = append(log, (h) => successionEntry(h, S, S2))
  log = append(log, (h) => versionEntry(h, S2, 3, newBoxKeyPair().publicKey))
})

describe('traceLog', () => {
  it('traces versions through a succession to the identity in force, and names the head', () => {
    const t = traceLog(log, { genesisSignPk: toB64(S.publicKey), extends: entryHash(log[1]) })
    expect(t).toMatchObject({ ok: true, genesisSignPk: toB64(S.publicKey), signPk: toB64(S2.publicKey), head: { pos: 3, hash: entryHash(log[3]) } })
    if (t.ok) expect(t.versions.map((v) => v.keyVersion)).toEqual([1, 2, 3])
  })

  it('refuses a version signed by a key that is not the identity in force', () => {
    const forged = append(log.slice(0, 2), (h) => versionEntry(h, newSignKeyPair(), 3, newBoxKeyPair().publicKey))
    expect(traceLog(forged)).toEqual({ ok: false, problem: 'signature', pos: 2 })
    // After a succession the old identity no longer speaks for the inbox.
    expect(traceLog(append(log, (h) => versionEntry(h, S, 4, newBoxKeyPair().publicKey)))).toEqual({ ok: false, problem: 'signature', pos: 4 })
  })

  it('refuses a succession the new key did not sign, or the old did not', () => {
    const stranger = newSignKeyPair()
    const onlyOld = { ...successionEntry(head(log.slice(0, 2)), S, stranger), signPk: toB64(S2.publicKey) }
    expect(traceLog([...log.slice(0, 2), onlyOld])).toMatchObject({ ok: false, problem: 'signature', pos: 2 })
    expect(traceLog(append(log.slice(0, 2), (h) => successionEntry(h, stranger, S2)))).toMatchObject({ ok: false, problem: 'signature', pos: 2 })
  })

  it('refuses a dropped, reordered or edited entry', () => {
    expect(traceLog([log[0], log[2], log[3]])).toMatchObject({ ok: false, problem: 'position', pos: 1 })
    expect(traceLog([log[0], { ...log[2], pos: 1 }])).toMatchObject({ ok: false, problem: 'chain', pos: 1 })
    const edited = { ...log[1], boxPk: toB64(newBoxKeyPair().publicKey) }
    expect(traceLog([log[0], edited])).toMatchObject({ ok: false, problem: 'signature', pos: 1 })
    // An edit that keeps its own signature still breaks the next entry's link.
    expect(traceLog([log[0], versionEntry(head([log[0]]), S, 2, newBoxKeyPair().publicKey), log[2]])).toMatchObject({ ok: false, problem: 'chain', pos: 2 })
  })

  it('refuses a skipped or repeated version number', () => {
    expect(traceLog(append([log[0]], (h) => versionEntry(h, S, 3, newBoxKeyPair().publicKey)))).toMatchObject({ problem: 'version-order', pos: 1 })
    expect(traceLog(append(log.slice(0, 2), (h) => versionEntry(h, S, 2, newBoxKeyPair().publicKey)))).toMatchObject({ problem: 'version-order', pos: 2 })
  })

  it('refuses another identity than the one pinned, and a log that does not hold the head seen before', () => {
    const other = [genesisEntry(newSignKeyPair(), newBoxKeyPair().publicKey)]
    expect(traceLog(other, { genesisSignPk: toB64(S.publicKey) })).toMatchObject({ ok: false, problem: 'identity', pos: 0 })
    // A fork: the same start, a different second entry, so the head seen earlier is not in it.
    const fork = append([log[0]], (h) => versionEntry(h, S, 2, newBoxKeyPair().publicKey))
    expect(traceLog(fork, { extends: entryHash(log[1]) })).toEqual({ ok: false, problem: 'not-extended' })
    // A rollback: an older prefix of the same log.
    expect(traceLog(log.slice(0, 2), { extends: entryHash(log[3]) })).toEqual({ ok: false, problem: 'not-extended' })
  })

  it('refuses what is not a log: nothing, too much, or an entry outside the format', () => {
    expect(traceLog([])).toEqual({ ok: false, problem: 'empty' })
    expect(traceLog({ 0: log[0] })).toEqual({ ok: false, problem: 'empty' })
    expect(traceLog(new Array(KEY_LOG_MAX_ENTRIES + 1).fill(log[0]))).toEqual({ ok: false, problem: 'too-long' })
    expect(traceLog([{ ...log[0], extra: 1 }])).toMatchObject({ ok: false, problem: 'malformed', pos: 0 })
    expect(traceLog([{ ...log[0], keyVersion: 2 }])).toMatchObject({ ok: false, problem: 'malformed', pos: 0 })
    expect(traceLog([log[0], { ...log[1], kind: 'genesis' }])).toMatchObject({ ok: false, problem: 'malformed', pos: 1 })
  })
})

describe("a reporter's return, traced from the self-note", () => {
  const note = (signPk: KeyPair, logHead?: string) => ({
    inboxId: 'inbox-1',
    inboxSignPk: toB64(signPk.publicKey),
    keyVersion: 3,
    ...(logHead ? { logHead } : {}),
  })

  it('after a succession, a report sealed to the identity in force still traces on its honest return', () => {
    const sealedAt = entryHash(log[3])
    expect(traceFromNote(log, note(S2, sealedAt))).toMatchObject({ state: 'ok', head: sealedAt })
    const longer = append(log, (h) => versionEntry(h, S2, 4, newBoxKeyPair().publicKey))
    expect(traceFromNote(longer, note(S2, sealedAt))).toMatchObject({ state: 'ok', head: entryHash(longer[4]) })
  })

  it('a log that does not hold the head is broken, whoever signed it; a note without a head traces from its identity', () => {
    const forked = append(log.slice(0, 3), (h) => versionEntry(h, S2, 3, newBoxKeyPair().publicKey))
    expect(traceFromNote(forked, note(S2, entryHash(log[3])))).toEqual({ state: 'broken' })
    expect(traceFromNote(log.slice(0, 3), note(S2, entryHash(log[3])))).toEqual({ state: 'broken' })
    expect(traceFromNote(log, note(S))).toMatchObject({ state: 'ok' })
    expect(traceFromNote(log, note(S2))).toEqual({ state: 'broken' })
  })
})
