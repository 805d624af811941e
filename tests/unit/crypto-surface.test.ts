import fs from 'node:fs'
import path from 'node:path'
import ts from 'typescript'
import { describe, expect, it } from 'vitest'

/**
 * crypto/index.ts is the module's whole surface: it names only what code outside crypto/ uses,
 * and code outside crypto/ reaches crypto/ through it alone. Tests are the exception both ways:
 * they may import a private module to test it, and what only tests use stays private. The one
 * other door is crypto/text.ts, for pages that must not load libsodium (see the index).
 * The check reads syntax only (no type checker), so it stays fast: a name counts as used when it
 * is imported from the index, or read as a property in a file that holds the index as a whole
 * (app/ui/crypto.client.ts loads it lazily and hands it on as one object).
 */

const ROOT = path.resolve(__dirname, '../..')
const CRYPTO = path.join(ROOT, 'crypto')
const INDEX = path.join(CRYPTO, 'index')
const SKIP = new Set(['crypto', 'tests', 'node_modules', 'build', 'public', '.cache'])
/** The one module besides the index that code outside may import; the index's comment says why. */
const TEXT = path.join(CRYPTO, 'text')

function sourceFiles(dir: string, top = true): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name)
    if (e.isDirectory()) return e.name.startsWith('.') || (top && SKIP.has(e.name)) ? [] : sourceFiles(full, false)
    return /\.(ts|tsx|js|mjs)$/.test(e.name) && !e.name.endsWith('.d.ts') ? [full] : []
  })
}

const parse = (file: string) => ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true)

function moduleSpecifier(n: ts.Node): string | undefined {
  if ((ts.isImportDeclaration(n) || ts.isExportDeclaration(n)) && n.moduleSpecifier && ts.isStringLiteral(n.moduleSpecifier)) return n.moduleSpecifier.text
  if (ts.isCallExpression(n) && n.expression.kind === ts.SyntaxKind.ImportKeyword && n.arguments[0] && ts.isStringLiteral(n.arguments[0]))
    return n.arguments[0].text
  return undefined
}

/** The file a relative, `~/` (app/) or package-imports (`#crypto`, `#common/…`) specifier names, without its extension; undefined for a package. */
function resolveSpecifier(from: string, spec: string): string | undefined {
  if (spec === '#crypto') return INDEX
  if (spec.startsWith('#common/')) return path.join(ROOT, 'common', spec.slice(8))
  if (spec.startsWith('#server/')) return path.join(ROOT, 'server', spec.slice(8))
  if (spec.startsWith('~/')) return path.join(ROOT, 'app', spec.slice(2)).replace(/\.tsx?$/, '')
  return spec.startsWith('.') ? path.resolve(path.dirname(from), spec).replace(/\.tsx?$/, '') : undefined
}

/** Names the index exports, and what every file outside crypto/ and tests/ takes from crypto/. */
function survey(files: string[]) {
  const exported = new Set<string>()
  parse(`${INDEX}.ts`).forEachChild((n) => {
    if (ts.isExportDeclaration(n) && n.exportClause && ts.isNamedExports(n.exportClause)) for (const e of n.exportClause.elements) exported.add(e.name.text)
  })
  const used = new Set<string>()
  const around: string[] = []
  for (const file of files) {
    const src = parse(file)
    let whole = false
    const names: string[] = []
    const visit = (n: ts.Node) => {
      const spec = moduleSpecifier(n)
      const target = spec === undefined ? undefined : resolveSpecifier(file, spec)
      if (target && target !== TEXT && (target === CRYPTO || target.startsWith(CRYPTO + path.sep))) {
        if (target !== INDEX && target !== CRYPTO) around.push(`${path.relative(ROOT, file)} imports ${spec}`)
        const clause = ts.isImportDeclaration(n) ? n.importClause?.namedBindings : ts.isExportDeclaration(n) ? n.exportClause : undefined
        if (clause && (ts.isNamedImports(clause) || ts.isNamedExports(clause))) for (const e of clause.elements) used.add((e.propertyName ?? e.name).text)
        else whole = true
      }
      if (target?.endsWith(`${path.sep}crypto.client`)) whole = true
      if (ts.isPropertyAccessExpression(n)) names.push(n.name.text)
      if (ts.isBindingElement(n) && ts.isIdentifier(n.propertyName ?? n.name)) names.push(((n.propertyName ?? n.name) as ts.Identifier).text)
      ts.forEachChild(n, visit)
    }
    visit(src)
    if (whole) for (const name of names) used.add(name)
  }
  return { exported: [...exported], used, around }
}

describe('crypto/index.ts: the protocol verbs and nothing else', () => {
  const files = sourceFiles(ROOT)
  const { exported, used, around } = survey(files)

  it('reads the code outside crypto/ and tests/', () => {
    expect(files.some((f) => f.endsWith(path.join('server', 'index.ts')))).toBe(true)
    expect(exported).toContain('sealReport')
    expect(used).toContain('sealReport')
  })

  it('exports only what code outside crypto/ and tests/ uses', () => {
    expect(exported.filter((name) => !used.has(name))).toEqual([])
  })

  it('is the only way into crypto/ from outside it and tests/', () => {
    expect(around).toEqual([])
  })
})
