import fs from 'node:fs'
import path from 'node:path'
import ts from 'typescript'
import { describe, expect, it } from 'vitest'

/**
 * All SQL lives behind the store's own modules (server/db/, and migrations/): services call
 * named query functions and hold no SQL text, so a second store (PostgreSQL, ADR 0022) replaces
 * one folder. This reads every string literal and template in server/ and app/ outside
 * server/db/ and fails on anything that looks like SQL.
 */

const ROOT = path.resolve(import.meta.dirname, '../..')
const SCANNED = ['server', 'app', 'common']
const STORE = path.join(ROOT, 'server', 'db') + path.sep

/** Uppercase, as this codebase writes SQL; prose that merely says "update" or "select" passes. */
const SQL = [
  /\bSELECT\s+[\w*(]/,
  /\bINSERT\s+(OR\s+[A-Z]+\s+)?INTO\b/,
  /\bUPDATE\s+\w+\s+SET\b/,
  /\bDELETE\s+FROM\b/,
  /\bCREATE\s+(TABLE|INDEX|UNIQUE|TRIGGER|VIEW|VIRTUAL|TEMP)\b/,
  /\bPRAGMA\s+\w+\s*(=|\(|;|$)/,
  /\b(BEGIN(\s+(IMMEDIATE|EXCLUSIVE|DEFERRED))?|COMMIT|ROLLBACK|VACUUM)\s*(;|$)/,
]

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name)
    if (e.isDirectory()) return p + path.sep === STORE ? [] : sourceFiles(p)
    return /\.(ts|tsx|js|mjs)$/.test(e.name) ? [p] : []
  })
}

/** Every piece of literal text in a file: strings, and templates' text between their `${}`s. */
function literals(file: string): Array<{ line: number; text: string }> {
  const source = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true)
  const out: Array<{ line: number; text: string }> = []
  const visit = (node: ts.Node) => {
    if (ts.isStringLiteralLike(node) || ts.isTemplateHead(node) || ts.isTemplateMiddle(node) || ts.isTemplateTail(node))
      out.push({ line: source.getLineAndCharacterOfPosition(node.getStart()).line + 1, text: node.text })
    ts.forEachChild(node, visit)
  }
  visit(source)
  return out
}

/** `file:line: text` for each literal outside the store that reads as SQL. */
function sqlOutsideStore(root = ROOT): string[] {
  return SCANNED.flatMap((d) => sourceFiles(path.join(root, d))).flatMap((file) =>
    literals(file)
      .filter((l) => SQL.some((re) => re.test(l.text)))
      .map((l) => `${path.relative(root, file)}:${l.line}: ${l.text.trim().replace(/\s+/g, ' ').slice(0, 80)}`),
  )
}

describe('the store boundary', () => {
  it('keeps SQL text inside server/db/ and migrations/', () => {
    expect(sqlOutsideStore()).toEqual([])
  })

  it('recognises the SQL this codebase writes, and not prose', () => {
    const sql = [
      'SELECT 1 AS x FROM reviewers LIMIT 1',
      'SELECT * FROM reports WHERE id = ?',
      'INSERT INTO blobs (id) VALUES (?)',
      'INSERT OR IGNORE INTO rotation_due (inbox_id, since) VALUES (?,?)',
      'UPDATE reports SET status = ? WHERE id = ?',
      'DELETE FROM messages WHERE report_id = ?',
      'CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY)',
      'PRAGMA integrity_check',
      'PRAGMA busy_timeout = 5000',
      'BEGIN IMMEDIATE',
      'VACUUM',
    ]
    const prose = [
      'The copy fails PRAGMA integrity_check: ',
      'Select an inbox.',
      'Update your passkeys in settings.',
      'Delete from this device',
      'Create an inbox',
      'Begin again',
    ]
    for (const s of sql)
      expect(
        SQL.some((re) => re.test(s)),
        s,
      ).toBe(true)
    for (const s of prose)
      expect(
        SQL.some((re) => re.test(s)),
        s,
      ).toBe(false)
  })
})
