import { describe, expect, it } from 'vitest'
import { localeLang } from '../../server/cli/language.server'

/** The admin tool's language comes from the locale as any command-line tool reads it. */
const CODES = ['en', 'cy']

describe('localeLang', () => {
  it('reads the language part of a locale we speak', () => {
    expect(localeLang({ LANG: 'cy_GB.UTF-8' }, CODES)).toBe('cy')
    expect(localeLang({ LANG: 'cy' }, CODES)).toBe('cy')
    expect(localeLang({ LANG: 'CY_GB' }, CODES)).toBe('cy')
    expect(localeLang({ LANG: 'cy_GB@euro' }, CODES)).toBe('cy')
    expect(localeLang({ LANG: 'en_GB.UTF-8' }, CODES)).toBe('en')
  })

  it('takes LC_ALL before LC_MESSAGES before LANG, skipping any that is empty', () => {
    expect(localeLang({ LC_ALL: 'en_GB.UTF-8', LC_MESSAGES: 'cy_GB.UTF-8', LANG: 'cy_GB.UTF-8' }, CODES)).toBe('en')
    expect(localeLang({ LC_ALL: 'cy_GB.UTF-8', LANG: 'en_GB.UTF-8' }, CODES)).toBe('cy')
    expect(localeLang({ LC_MESSAGES: 'cy_GB.UTF-8', LANG: 'en_GB.UTF-8' }, CODES)).toBe('cy')
    expect(localeLang({ LC_ALL: '', LC_MESSAGES: '', LANG: 'cy_GB.UTF-8' }, CODES)).toBe('cy')
  })

  it('is English for C, POSIX, nothing at all, or a language we do not speak', () => {
    for (const LANG of ['C', 'C.UTF-8', 'POSIX', '', 'fr_FR.UTF-8', 'cyx_GB']) expect(localeLang({ LANG }, CODES), LANG).toBe('en')
    expect(localeLang({}, CODES)).toBe('en')
  })
})
