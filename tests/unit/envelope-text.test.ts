import { beforeAll, describe, expect, it } from 'vitest'
import { fromB64, linkOf, ready, toB64, type Envelope } from '../../crypto/index'
import { readEnvelope } from '../../server/db/envelope-text.server'
import { storedLink } from '../../server/reports.server'

/** How a stored envelope column is read: as stored, or, when damaged, as an envelope that opens for no one. */
beforeAll(() => ready())

const textLink = (text: string) => linkOf({ body: toB64(new TextEncoder().encode(text)) })

describe('readEnvelope', () => {
  it('reads a stored envelope as it was stored', () => {
    const stored = { v: 1, body: 'AAAA', inbox: 'BBBB', reporter: 'CCCC' }
    const text = JSON.stringify(stored)
    expect(readEnvelope(text)).toEqual(stored)
    expect(storedLink(text)).toBe(linkOf(stored as Envelope))
  })

  for (const text of ['{"v":1,"body":"q1Zy', '', 'not json at all \u{1F600}', '\ud800 a lone surrogate'])
    it(`reads ${JSON.stringify(text)} as an envelope whose body is the stored text, and links it so`, () => {
      const env = readEnvelope(text)
      expect(Object.keys(env)).toEqual(['v', 'body', 'inbox'])
      expect(env.inbox).toBe('')
      expect(new TextDecoder().decode(fromB64(env.body))).toBe(text.replace('\ud800', '\ufffd'))
      expect(linkOf(env)).toBe(textLink(text))
      expect(storedLink(text)).toBe(textLink(text))
      // Read twice, it stays what it was read as: a link never depends on how often it is read.
      expect(readEnvelope(JSON.stringify(readEnvelope(text)))).toEqual(env)
    })

  it('reads a value that is not text (NULL, a number, a blob) as damaged too', () => {
    expect(linkOf(readEnvelope(null))).toBe(textLink('null'))
    expect(linkOf(readEnvelope(42))).toBe(textLink('42'))
    expect(linkOf(readEnvelope(Buffer.from('{"v":1')))).toBe(textLink('{"v":1'))
  })
})
