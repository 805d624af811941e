import { beforeAll, describe, expect, it } from 'vitest'
import { deriveReporterKeys, newInboxKeys, newReceipt, openMessage, openNote, ready, sealNote, toB64, type InboxKeys } from '../../crypto/index'

let inbox: InboxKeys
beforeAll(async () => {
  await ready()
  inbox = newInboxKeys(1)
})

describe('internal notes', () => {
  it('the inbox opens a note, verified against its identity, and it has no reporter wrap', () => {
    const env = sealNote({ text: 'Check the duty roster', by: 'Dana' }, inbox)
    expect(env.reporter).toBeUndefined()
    const note = openNote(env, { as: 'inbox', inbox: inbox.encryption }, toB64(inbox.identity.publicKey))
    expect(note).toEqual({ text: 'Check the duty roster', by: 'Dana', verified: true })
  })

  it('a note signed by another identity is not verified', () => {
    const env = sealNote({ text: 'x', by: 'Dana' }, { ...inbox, identity: newInboxKeys(1).identity })
    expect(openNote(env, { as: 'inbox', inbox: inbox.encryption }, toB64(inbox.identity.publicKey)).verified).toBe(false)
  })

  it('a reporter cannot open a note, and a note never reads as a reply', () => {
    const env = sealNote({ text: 'x', by: 'Dana' }, inbox)
    const keys = deriveReporterKeys(newReceipt())
    expect(() => openNote(env, { as: 'reporter-self', noteKey: keys.noteKey }, toB64(inbox.identity.publicKey))).toThrow()
    const trust = { reporterSignPk: toB64(keys.sign.publicKey), inboxSignPk: toB64(inbox.identity.publicKey) }
    expect(() => openMessage(env, { as: 'inbox', inbox: inbox.encryption }, trust)).toThrow()
  })
})
