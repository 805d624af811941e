import fs from 'node:fs'
import { createRequire } from 'node:module'
import type { Page } from 'playwright-core'

const AXE = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8')

/** The rule sets every page is held to: WCAG 2.2 A and AA, and axe's best practices. */
export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']

/**
 * axe-core's violations on the page as it is now, one line each, named. Injected through the
 * debugger, not a script tag: the page's own policy rightly refuses inline scripts, and this
 * works with the page's JavaScript switched off too. A run that checked no rule is a violation.
 */
export async function runAxe(page: Page, name: string, tags: string[] = AXE_TAGS): Promise<string[]> {
  await page.evaluate(AXE)
  const violations = await page.evaluate(async (tags) => {
    type Node = { target: unknown[]; failureSummary?: string }
    type Result = { id: string; impact: string; nodes: Node[] }
    const axe = (window as unknown as { axe: { run: (o: unknown) => Promise<{ violations: Result[]; passes: Result[] }> } }).axe
    const r = await axe.run({ runOnly: tags, resultTypes: ['violations'] })
    if (r.passes.length === 0) return ['no rule ran']
    return r.violations.map((v) => `${v.id} (${v.impact}, ${v.nodes.length} nodes: ${v.nodes.map((n) => n.target.join(' ')).join(', ')})`)
  }, tags)
  return violations.map((v) => `${name}: axe ${v}`)
}

/** Anything wider than the viewport: a reader would have to scroll both ways. */
export async function sidewaysOverflow(page: Page, name: string): Promise<string[]> {
  const found = await page.evaluate(() => {
    const width = document.documentElement.clientWidth
    const over = document.documentElement.scrollWidth - width
    if (over <= 0) return []
    const wide = [...document.querySelectorAll('body *')].filter((el) => el.getBoundingClientRect().right > width + 1).slice(0, 3)
    return [`page is ${over}px wider than the viewport: ${wide.map((el) => `<${el.tagName.toLowerCase()} class="${el.className}">`).join(' ')}`]
  })
  return found.map((p) => `${name}: ${p}`)
}

/** One state, checked as it stands in the light theme and again in the dark one. */
export async function axeLightAndDark(page: Page, name: string): Promise<string[]> {
  await page.waitForLoadState('load')
  const found: string[] = []
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme })
    found.push(...(await runAxe(page, `${name} (${colorScheme})`)), ...(await sidewaysOverflow(page, `${name} (${colorScheme})`)))
  }
  await page.emulateMedia({ colorScheme: 'light' })
  return found
}
