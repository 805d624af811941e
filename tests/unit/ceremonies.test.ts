import { describe, expect, it } from 'vitest'
import { isUserError } from '../../server/errors.server'
import { ceremonyStore } from '../../server/reviewers/ceremonies.server'
import { REVIEWER_SESSION, reviewerSessions } from '../../server/reviewers/sessions.server'

/** The in-memory stores behind passkey ceremonies and reviewer sessions, on a clock the test moves. */
function clock() {
  let t = 1_000_000
  return { now: () => t, advance: (ms: number) => (t += ms) }
}

const refusal = (fn: () => unknown) => {
  try {
    fn()
  } catch (err) {
    return isUserError(err) ? `${err.status} ${err.message}` : `not a user error: ${String(err)}`
  }
  return 'accepted'
}

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
