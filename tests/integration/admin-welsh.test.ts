import fs from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { admin, createInbox, tempDataDir } from '../support/server'

/**
 * The admin tool speaks the operator's language, read from the locale (LC_ALL, LC_MESSAGES, LANG)
 * or named with --lang, and stores nothing; what scripts read stays the same in every language.
 */
const WELSH = { LANG: 'cy_GB.UTF-8' }
const ENGLISH = { LANG: 'en_GB.UTF-8' }
let dataDir: string
let inboxId: string

beforeAll(() => {
  dataDir = tempDataDir('candour-admin-cy-')
  inboxId = createInbox(dataDir).id
})
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }))

describe('the admin tool in Welsh and English', () => {
  it('prints its usage in the locale’s language, the commands as typed in both', () => {
    const cy = admin(dataDir, ['--help'], WELSH)
    expect(cy.code).toBe(0)
    expect(cy.stdout).toMatch(/^Gweinyddu Candour\n/)
    expect(cy.stdout).toContain('Yn creu mewnflwch all-lein.')
    expect(cy.stdout).toContain('  npm run admin -- inbox:create NAME [--description TEXT] [--key-out FILE]')
    expect(cy.stdout).not.toContain('Creates an offline inbox')
    const en = admin(dataDir, ['--help'], ENGLISH)
    expect(en.stdout).toMatch(/^Candour admin\n/)
    expect(en.stdout).toContain('Creates an offline inbox.')
    expect(en.stdout).not.toContain('mewnflwch')
  })

  it('lists inboxes in Welsh, and --lang wins over the locale', () => {
    const cy = admin(dataDir, ['inbox:list'], WELSH)
    expect(cy.code, cy.stderr).toBe(0)
    expect(cy.stdout).toMatch(new RegExp(`^${inboxId}  Professional Standards  \\(fersiwn allwedd 1, offline, ôl bys \\d{4}( \\d{4}){4}\\)$`, 'm'))
    const en = admin(dataDir, ['inbox:list', '--lang', 'en'], WELSH)
    expect(en.stdout).toMatch(new RegExp(`^${inboxId}  Professional Standards  \\(key version 1, offline, fingerprint \\d{4}( \\d{4}){4}\\)$`, 'm'))
    expect(admin(dataDir, ['inbox:list', '--lang', 'cy'], ENGLISH).stdout).toContain('fersiwn allwedd 1')
  })

  it('refuses in the operator’s language: its own refusals and the services’ alike, with the same exit code', () => {
    const own = admin(dataDir, ['inbox:open'], WELSH)
    expect(own.code).toBe(1)
    expect(own.stderr.trim()).toBe('Mae angen --key FILE ar inbox:open')
    expect(admin(dataDir, ['inbox:open'], ENGLISH).stderr.trim()).toBe('inbox:open needs --key FILE')
    const long = 'x'.repeat(200)
    const cy = admin(dataDir, ['inbox:create', long, '--key-out', `${dataDir}/long.key`], WELSH)
    expect(cy.code).toBe(1)
    expect(cy.stderr.trim()).toBe('Mae angen rhwng 1 a 80 nod ar enw blwch derbyn.')
    const en = admin(dataDir, ['inbox:create', long, '--key-out', `${dataDir}/long.key`], ENGLISH)
    expect(en.code).toBe(1)
    expect(en.stderr.trim()).toBe('An inbox name needs 1 to 80 characters.')
  })

  it('refuses a language it does not speak, or an option it does not know, in the locale’s, and changes nothing', () => {
    const r = admin(dataDir, ['inbox:create', 'Other', '--lang', 'fr'], WELSH)
    expect(r.code).toBe(1)
    expect(r.stderr).toContain('Nid yw --lang fr yn iaith')
    expect(admin(dataDir, ['inbox:list']).stdout).not.toContain('Other')
    const unknown = admin(dataDir, ['inbox:list', '--nope'], WELSH)
    expect(unknown.code).toBe(1)
    expect(unknown.stderr).toMatch(/^Nid yw'r offeryn hwn yn deall y llinell orchymyn hon \(Unknown option '--nope'/)
  })

  it('says what inbox:open finds in Welsh', () => {
    const r = admin(dataDir, ['inbox:open', '--key', `${dataDir}/Professional-Standards.key`], WELSH)
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).toMatch(new RegExp(`^Mewnflwch: Professional Standards \\(${inboxId}\\): 0 adroddiad$`, 'm'))
  })
})
