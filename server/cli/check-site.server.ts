import { assetMismatches, readSignedRelease, RELEASE_MANIFEST_PATH, releaseFormOfCsp, type ReleaseManifest } from '#common/release'
import { t, type Message } from '#common/i18n/message'
import { sri } from '../release.server'
import { strangerGet } from './stranger-fetch.server'

/**
 * release:check-site: what a stranger's browser would be given, held to the signed release.
 * Every reporter page's policy, every script, preload and style it names, the import map's
 * hashes and the bytes behind each address must be the released ones; any difference is named.
 */
export const REPORTER_PAGES = ['/', '/report', '/check', '/safer']
/** Far larger than any page or asset we serve. */
const MAX_BYTES = 8 * 1024 * 1024

type Tag = { name: string; attrs: Record<string, string>; body: string }

const decode = (s: string) =>
  s
    .replace(/&quot;/g, '"')
    .replace(/&#x27;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')

function tags(html: string): Tag[] {
  const attrsOf = (text: string) => {
    const attrs: Record<string, string> = {}
    for (const a of text.matchAll(/([a-zA-Z-]+)(?:="([^"]*)")?/g)) attrs[a[1]!.toLowerCase()] = decode(a[2] ?? '')
    return attrs
  }
  const out: Array<Tag & { at: number }> = []
  for (const m of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)) out.push({ name: 'script', attrs: attrsOf(m[1]!), body: m[2]!, at: m.index })
  for (const m of html.matchAll(/<link\b([^>]*)>/gi)) out.push({ name: 'link', attrs: attrsOf(m[1]!), body: '', at: m.index })
  return out.sort((a, b) => a.at - b.at)
}

const get = (url: string) => strangerGet(url, MAX_BYTES)

/** The inline scripts Remix writes: data for the page, and the module that imports the page's modules. */
function inlineProblem(body: string, imported: string[]): Message | undefined {
  const context = body.match(/^window\.__remixContext = ([\s\S]*);$/)
  if (context) {
    try {
      JSON.parse(context[1]!)
      return undefined
    } catch {
      return t('admin.site.notPageData')
    }
  }
  for (const line of body.split('\n')) {
    const m =
      line.match(/^import "([^"]+)";$/) ??
      line.match(/^import \* as route\d+ from "([^"]+)";$/) ??
      line.match(/^import\("([^"]+)"\);$/) ??
      (/^window\.__remixRouteModules = \{("[^"]+":route\d+,?)*\};$/.test(line) || line === '' ? [line, ''] : null)
    if (!m) return t('admin.site.inlineCode', { code: JSON.stringify(line.slice(0, 80)) })
    if (m[1]) imported.push(m[1])
  }
  return undefined
}

/** Checks one page; returns its problems and the asset addresses it names. */
function checkPage(page: string, res: { status: number; headers: Headers; bytes: Uint8Array }, m: ReleaseManifest, named: Set<string>): Message[] {
  const problems: Message[] = []
  if (res.status !== 200) return [t('admin.site.answered', { page, status: res.status })]
  const csp = res.headers.get('content-security-policy')
  if (!csp || releaseFormOfCsp(csp) !== m.csp) problems.push(t('admin.site.csp', { page, csp: String(csp) }))
  const html = new TextDecoder().decode(res.bytes)
  let importMap: Record<string, string> = {}
  const imported: string[] = []
  for (const tag of tags(html)) {
    const where = { page, tag: tag.name, url: tag.attrs.src ?? tag.attrs.href ?? '(inline)' }
    const url = tag.attrs.src ?? (tag.name === 'link' ? tag.attrs.href : undefined)
    if (tag.name === 'link' && !/^(modulepreload|stylesheet|preload|prefetch)$/.test(tag.attrs.rel ?? '')) continue
    if (url !== undefined) {
      named.add(url)
      if (!(url in m.assets)) problems.push(t('admin.site.unreleased', where))
      else if (tag.attrs.integrity !== m.assets[url])
        problems.push(t('admin.site.integrity', { ...where, integrity: tag.attrs.integrity ?? t('admin.site.noIntegrity'), released: m.assets[url]! }))
      continue
    }
    if (tag.name !== 'script') continue
    if (tag.attrs.type === 'importmap') {
      try {
        importMap = (JSON.parse(tag.body) as { integrity: Record<string, string> }).integrity ?? {}
      } catch {
        problems.push(t('admin.site.importMapNotJson', { page }))
      }
      continue
    }
    const p = inlineProblem(tag.body, imported)
    if (p) problems.push(t('admin.site.onPage', { page, problem: p }))
  }
  for (const [url, hash] of Object.entries(importMap)) {
    named.add(url)
    if (m.assets[url] !== hash)
      problems.push(
        m.assets[url] === undefined
          ? t('admin.site.importMapUnreleased', { page, url, hash })
          : t('admin.site.importMapNames', { page, url, hash, released: m.assets[url] }),
      )
  }
  for (const url of imported) {
    named.add(url)
    if (!(url in importMap)) problems.push(t('admin.site.unfixedImport', { page, url }))
  }
  return problems
}

export async function checkSite(site: string, publicKey: string): Promise<{ problems: Message[]; checked: number; manifest?: ReleaseManifest }> {
  const base = new URL(site)
  const signed = await get(new URL(RELEASE_MANIFEST_PATH, base).href)
  if (signed.status !== 200) return { problems: [t('admin.site.noManifest', { path: RELEASE_MANIFEST_PATH, status: signed.status })], checked: 0 }
  const read = readSignedRelease(new TextDecoder().decode(signed.bytes), publicKey)
  if (!read.ok) return { problems: [t('admin.site.onPage', { page: RELEASE_MANIFEST_PATH, problem: read.problem })], checked: 0 }
  const m = read.manifest
  const problems: Message[] = []
  const named = new Set<string>()
  for (const page of REPORTER_PAGES) problems.push(...checkPage(page, await get(new URL(page, base).href), m, named))
  // The bytes behind every address a page named, as the browser would fetch them.
  const found: Record<string, string> = {}
  for (const url of [...named].filter((u) => u in m.assets).sort()) {
    const res = await get(new URL(url, base).href)
    found[url] = res.status === 200 ? sri(res.bytes) : `HTTP ${res.status}`
  }
  const released = Object.fromEntries(Object.keys(found).map((u) => [u, m.assets[u]!]))
  problems.push(...assetMismatches(released, found))
  return { problems, checked: Object.keys(found).length, manifest: m }
}
