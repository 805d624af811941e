import { beforeAll, describe, expect, it } from 'vitest'
import { fromB64, linkOf, ready, toB64, type Envelope } from '../../crypto/index'
import { served, servedEnvelope } from '../../server/db/envelope-text.server'
import { storedLink } from '../../server/reports.server'

/** What a damaged envelope column is served as: an envelope that opens for no one, linked by the stored text. */
beforeAll(() => ready())

const textLink = (text: string) => linkOf({ body: toB64(new TextEncoder().encode(text)) })

describe('servedEnvelope', () => {
  it('passes a stored envelope through unchanged, byte for byte', () => {
    const text = JSON.stringify({ v: 1, body: 'AAAA', inbox: 'BBBB', reporter: 'CCCC' })
    expect(servedEnvelope(text)).toBe(text)
    expect(storedLink(text)).toBe(linkOf(JSON.parse(text) as Envelope))
  })

  for (const text of ['{"v":1,"body":"q1Zy', '', 'not json at all \u{1F600}', '\ud800 a lone surrogate'])
    it(`serves ${JSON.stringify(text)} as an envelope whose body is the stored text, and links it so`, () => {
      const env = JSON.parse(servedEnvelope(text)) as Envelope
      expect(Object.keys(env)).toEqual(['v', 'body', 'inbox'])
      expect(env.inbox).toBe('')
      expect(new TextDecoder().decode(fromB64(env.body))).toBe(text.replace('\ud800', '\ufffd'))
      expect(linkOf(env)).toBe(textLink(text))
      expect(storedLink(text)).toBe(textLink(text))
      // Served twice, it stays what it was served as: a link never depends on how often it is read.
      expect(servedEnvelope(servedEnvelope(text))).toBe(servedEnvelope(text))
    })

  it('serves a value that is not text (NULL, a number, a blob) as damaged too', () => {
    expect(linkOf(JSON.parse(servedEnvelope(null)) as Envelope)).toBe(textLink('null'))
    expect(linkOf(JSON.parse(servedEnvelope(42)) as Envelope)).toBe(textLink('42'))
    expect(linkOf(JSON.parse(servedEnvelope(Buffer.from('{"v":1'))) as Envelope)).toBe(textLink('{"v":1'))
  })

  it('served() replaces only the envelope of a row, and keeps a missing row missing', () => {
    expect(served({ seq: 2, envelope: 'x{' })).toEqual({ seq: 2, envelope: servedEnvelope('x{') })
    expect(served(undefined)).toBeUndefined()
  })
})
