import { beforeAll, describe, expect, it } from 'vitest'
import { ready } from '../../crypto/index'
import { ceremonyStore, signedChallenges } from '../../server/reviewers/ceremonies.server'
import { REVIEWER_SESSION, reviewerSessions } from '../../server/reviewers/sessions.server'
import { refusedWith } from '../support/refusal'

// Ids and MAC keys come from libsodium's random bytes.
beforeAll(() => ready())

/** The in-memory stores behind passkey ceremonies and reviewer sessions, on a clock the test moves. */
function clock() {
  let t = 1_000_000
  return { now: () => t, advance: (ms: number) => (t += ms) }
}

const refusal = refusedWith

describe('passkey ceremonies', () => {
  it('answer once, with their challenge and value', () => {
    const c = clock()
    const store = ceremonyStore<string>(c.now)
    const id = store.open('challenge-1', 'dana')
    expect(store.take(id)).toMatchObject({ value: 'dana', challenge: 'challenge-1' })
    expect(refusal(() => store.take(id))).toMatch(/^400 .*already used/)
  })

  it('go stale after five minutes: a late answer is refused and cannot be retried', () => {
    const c = clock()
    const store = ceremonyStore<null>(c.now)
    const id = store.open('challenge-2', null)
    c.advance(5 * 60 * 1000 + 1)
    expect(refusal(() => store.take(id))).toMatch(/^400 .*expired/)
    expect(refusal(() => store.take(id))).toMatch(/^400 .*already used/)
  })

  it('refuse ids that were never issued, of any type', () => {
    const store = ceremonyStore<null>()
    for (const bad of ['nope', '', undefined, 42, {}]) expect(refusal(() => store.take(bad))).toMatch(/^400/)
  })
})

describe('sign-in challenges, which anyone may ask for', () => {
  it('answer once with their challenge, and go stale after five minutes', () => {
    const c = clock()
    const store = signedChallenges(c.now)
    const id = store.open('challenge-3')
    expect(store.take(id)).toEqual({ challenge: 'challenge-3' })
    expect(refusal(() => store.take(id))).toMatch(/^400 .*already used/)
    const late = store.open('challenge-4')
    c.advance(5 * 60 * 1000 + 1)
    expect(refusal(() => store.take(late))).toMatch(/^400 .*expired/)
  })

  it('keep nothing when issued: a reviewer’s challenge still answers after a flood of others', () => {
    const store = signedChallenges()
    const mine = store.open('mine')
    // Ten times what the gated stores hold before the oldest goes.
    for (let i = 0; i < 10_000; i++) store.open(`flood-${i}`)
    expect(store.take(mine)).toEqual({ challenge: 'mine' })
  })

  it('refuse an id whose challenge, expiry or tag was changed, one from another process, and any non-id', () => {
    const c = clock()
    const store = signedChallenges(c.now)
    const id = store.open('challenge-5')
    const [expires, challenge, tag] = id.split('.')
    const later = (parseInt(expires, 36) + 60_000).toString(36)
    for (const forged of [`${expires}.challenge-6.${tag}`, `${later}.${challenge}.${tag}`, `${expires}.${challenge}.${tag.slice(1)}x`])
      expect(refusal(() => store.take(forged))).toMatch(/^400 .*already used or never existed/)
    expect(refusal(() => signedChallenges(c.now).take(id))).toMatch(/^400 .*never existed/)
    for (const bad of ['nope', 'a.b', 'a.b.c.d', '', undefined, 42, {}]) expect(refusal(() => store.take(bad))).toMatch(/^400/)
    expect(store.take(id)).toEqual({ challenge: 'challenge-5' })
  })
})

describe('reviewer sessions', () => {
  it('end after 15 idle minutes, and activity keeps them alive', () => {
    const c = clock()
    const sessions = reviewerSessions(c.now)
    const token = sessions.start('rev-1', 'pk-1')
    c.advance(REVIEWER_SESSION.idleMs - 1)
    expect(sessions.check(token)?.reviewerId).toBe('rev-1')
    c.advance(REVIEWER_SESSION.idleMs - 1)
    expect(sessions.check(token)?.reviewerId).toBe('rev-1')
    c.advance(REVIEWER_SESSION.idleMs + 1)
    expect(sessions.check(token)).toBeNull()
  })

  it('end after 8 hours however active, and on sign-out or removal', () => {
    const c = clock()
    const sessions = reviewerSessions(c.now)
    const busy = sessions.start('rev-1', 'pk-1')
    for (let elapsed = 0; elapsed < REVIEWER_SESSION.maxMs; elapsed += 10 * 60 * 1000) {
      expect(sessions.check(busy)).not.toBeNull()
      c.advance(10 * 60 * 1000)
    }
    c.advance(1)
    expect(sessions.check(busy)).toBeNull()
    const a = sessions.start('rev-2', 'pk-2')
    const b = sessions.start('rev-2', 'pk-3')
    sessions.end(a)
    expect(sessions.check(a)).toBeNull()
    expect(sessions.check(b)).not.toBeNull()
    sessions.endAllFor('rev-2')
    expect(sessions.check(b)).toBeNull()
    expect(sessions.check(undefined)).toBeNull()
    expect(sessions.check('forged-token')).toBeNull()
  })
})
