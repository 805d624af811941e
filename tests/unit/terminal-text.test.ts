import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { QUOTE, quoted, quotedJson, safeJson, visible } from '../../server/cli/terminal-text.server'

/** What the admin tools print of someone else's text: nothing a terminal acts on, nothing lost. */
// Controls, direction marks, isolates and overrides, separators, the BOM, and lone surrogates.
const ACTS_ON = /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]|[\ud800-\udfff]/u
// The same, less the newline that multi-line output keeps as a line break.
const ACTS_ON_LINES = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]|[\ud800-\udfff]/u
const anyText = fc.string({ unit: 'binary', maxLength: 200 })

/** Reads the escapes back: proves the escaping loses nothing and is unambiguous. */
const unescape = (s: string) =>
  s.replace(/\\(\\|t|n|r|x[0-9a-f]{2}|u[0-9a-f]{4})/g, (_, e: string) =>
    e === '\\' ? '\\' : e === 't' ? '\t' : e === 'n' ? '\n' : e === 'r' ? '\r' : String.fromCharCode(parseInt(e.slice(1), 16)),
  )

describe('visible', () => {
  it('escapes every code unit a terminal acts on, for every one of the 65,536', () => {
    for (let c = 0; c <= 0xffff; c++) {
      const ch = String.fromCharCode(c)
      const shown = visible(ch)
      expect(ACTS_ON.test(shown), `U+${c.toString(16)}`).toBe(false)
      if (ACTS_ON.test(ch)) expect(shown).toMatch(/^\\(t|n|r|x[0-9a-f]{2}|u[0-9a-f]{4})$/)
    }
  })

  it('leaves nothing raw and can be read back exactly, for any string', () => {
    fc.assert(
      fc.property(anyText, (s) => {
        const shown = visible(s)
        expect(ACTS_ON.test(shown)).toBe(false)
        expect(unescape(shown)).toBe(s)
      }),
    )
  })

  it('shows the escapes people meet in attacks', () => {
    expect(visible('\x1b[2J\x1b]0;title\x07')).toBe('\\x1b[2J\\x1b]0;title\\x07')
    expect(visible('a\rb\bc')).toBe('a\\rb\\x08c')
    expect(visible('gpj\u202eexe')).toBe('gpj\\u202eexe')
    expect(visible('C:\\x1b')).toBe('C:\\\\x1b') // a typed "\x1b" is not mistaken for an escape
  })
})

describe('quoted', () => {
  it('keeps line breaks, and starts every line with the mark', () => {
    fc.assert(
      fc.property(anyText, (s) => {
        const lines = quoted(s)
        expect(lines).toHaveLength(s.split('\n').length)
        for (const l of lines) expect(l.startsWith(QUOTE.trimEnd())).toBe(true)
        expect(ACTS_ON_LINES.test(lines.join('\n'))).toBe(false)
      }),
    )
  })
})

describe('safeJson', () => {
  it('parses back to the same value, with nothing raw in it', () => {
    fc.assert(
      fc.property(fc.jsonValue(), anyText, (v, s) => {
        const value = { v, s }
        const text = safeJson(value)
        expect(ACTS_ON_LINES.test(text)).toBe(false)
        expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(value)))
        for (const l of quotedJson(value)) expect(l.startsWith(QUOTE)).toBe(true)
      }),
    )
  })
})
