import { describe, it, expect, beforeAll } from 'vitest'
import { ready, newReceipt, parseReceipt, formatReceipt } from '../../crypto/index'
import { normaliseReceipt, RECEIPT_SYMBOLS } from '../../crypto/receipt'
import { seededRandom } from '../support/random'

// Independent re-statement of the receipt alphabet (Crockford base32 + its mod-37 check symbols).
const DATA = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'
const CHECK = DATA + '*~$=U'

/** Check symbol computed here, independently of crypto/receipt.ts. */
function expectedCheck(data: string): string {
  let v = 0n
  for (const ch of data) {
    const i = DATA.indexOf(ch)
    if (i < 0) throw new Error(`bad test data ${ch}`)
    v = v * 32n + BigInt(i)
  }
  return CHECK[Number(v % 37n)]
}

function randomData(rand: () => number): string {
  let d = ''
  for (let i = 0; i < RECEIPT_SYMBOLS; i++) d += DATA[Math.floor(rand() * 32)]
  return d
}

beforeAll(async () => {
  await ready()
})

describe('newReceipt / formatReceipt', () => {
  it('produces 20 data symbols plus a valid check symbol', () => {
    expect(RECEIPT_SYMBOLS).toBe(20)
    for (let i = 0; i < 200; i++) {
      const r = newReceipt()
      expect(r).toHaveLength(21)
      expect(r).toMatch(/^[0-9A-HJKMNP-TV-Z]{20}[0-9A-HJKMNP-TV-Z*~$=U]$/)
      expect(r[20]).toBe(expectedCheck(r.slice(0, 20)))
      const parsed = parseReceipt(r)
      expect(parsed).toEqual({ ok: true, normalised: r, formatted: formatReceipt(r) })
    }
  })

  it('does not repeat (100 random bits)', () => {
    const seen = new Set<string>()
    for (let i = 0; i < 500; i++) seen.add(newReceipt())
    expect(seen.size).toBe(500)
  })

  it('formats as XXXX-XXXX-XXXX-XXXX-XXXX-C', () => {
    const r = newReceipt()
    const f = formatReceipt(r)
    expect(f).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z*~$=]$/)
    expect(f.replace(/-/g, '')).toBe(r)
    expect(formatReceipt('K7QM2XDA9PVRT4NB8HWET')).toBe('K7QM-2XDA-9PVR-T4NB-8HWE-T')
  })
})

describe('check symbol', () => {
  it('all-zero data has check symbol 0', () => {
    expect(expectedCheck('0'.repeat(20))).toBe('0')
    expect(parseReceipt('0'.repeat(21))).toMatchObject({ ok: true, normalised: '0'.repeat(21) })
  })

  it('matches hand-computed values', () => {
    // 1 mod 37 = 1
    expect(parseReceipt('0'.repeat(19) + '1' + '1').ok).toBe(true)
    // 36 = 0b00001_00100 -> data ...14, value 36 -> 'U'
    expect(parseReceipt('0'.repeat(18) + '14' + 'U').ok).toBe(true)
    // 32 -> '10', check 32 -> '*'
    expect(parseReceipt('0'.repeat(18) + '10' + '*').ok).toBe(true)
    // 2^100 - 1: 32 ≡ -5, (-5)^20 = 5^20 ≡ 12 (mod 37), minus 1 = 11 -> 'B'
    expect(parseReceipt('Z'.repeat(20) + 'B').ok).toBe(true)
    expect(parseReceipt('K7QM2XDA9PVRT4NB8HWE' + expectedCheck('K7QM2XDA9PVRT4NB8HWE')).ok).toBe(true)
    expect(expectedCheck('K7QM2XDA9PVRT4NB8HWE')).toBe('T')
  })

  it('agrees with an independent BigInt computation on random data', () => {
    const rand = seededRandom(42)
    for (let i = 0; i < 300; i++) {
      const d = randomData(rand)
      const good = d + expectedCheck(d)
      expect(parseReceipt(good).ok).toBe(true)
      for (const c of CHECK) {
        if (c === good[20]) continue
        const p = parseReceipt(d + c)
        expect(p.ok).toBe(false)
        if (!p.ok) expect(p.problem).toBe('typo')
      }
    }
  })
})

describe('parseReceipt normalisation', () => {
  const r = 'K7QM2XDA9PVRT4NB8HWET'

  it('accepts lower case, spaces and missing dashes', () => {
    for (const input of [
      r,
      r.toLowerCase(),
      formatReceipt(r),
      formatReceipt(r).toLowerCase(),
      'K7QM 2XDA 9PVR T4NB 8HWE T',
      '  k7qm-2xda 9pvr-t4nb 8hwe-t  ',
      'K7QM2XDA-9PVRT4NB-8HWET',
      'K7QM\t2XDA\n9PVR T4NB 8HWE T',
    ]) {
      expect(parseReceipt(input)).toEqual({ ok: true, normalised: r, formatted: 'K7QM-2XDA-9PVR-T4NB-8HWE-T' })
    }
  })

  it('maps I and L to 1, O to 0', () => {
    const d = '01' + '0'.repeat(17) + '1'
    const good = d + expectedCheck(d)
    expect(parseReceipt(good).ok).toBe(true)
    const typed = 'OI' + 'o'.repeat(17) + 'l' + good[20]
    expect(normaliseReceipt(typed)).toBe(good)
    expect(parseReceipt(typed)).toMatchObject({ ok: true, normalised: good })
    expect(parseReceipt('O' + 'L' + 'O'.repeat(17) + 'i' + good[20])).toMatchObject({ ok: true, normalised: good })
  })

  it('accepts a lower-case check symbol u', () => {
    const good = '0'.repeat(18) + '14U'
    expect(parseReceipt(good.toLowerCase())).toMatchObject({ ok: true, normalised: good })
  })
})

describe('parseReceipt rejections', () => {
  it('rejects empty input', () => {
    for (const input of ['', '   ', '-----', ' - \t']) {
      expect(parseReceipt(input)).toMatchObject({ ok: false, problem: 'empty' })
    }
  })

  it('rejects the wrong length', () => {
    for (const input of ['0', '0'.repeat(20), '0'.repeat(22), 'K7QM-2XDA-9PVR-T4NB-8HWE', 'K7QM-2XDA-9PVR-T4NB-8HWE-TT']) {
      const p = parseReceipt(input)
      expect(p).toMatchObject({ ok: false, problem: 'length' })
      if (!p.ok) expect(p.message).toContain('21')
    }
  })

  it('rejects characters outside the alphabet', () => {
    const good = 'K7QM2XDA9PVRT4NB8HWET'
    for (const bad of ['U', '*', '~', '$', '=', '!', '#', 'é', '_']) {
      // data positions take only the 32 data symbols
      const input = bad + good.slice(1)
      expect(parseReceipt(input)).toMatchObject({ ok: false, problem: 'characters' })
    }
    for (const bad of ['!', '#', '_', '+']) {
      expect(parseReceipt(good.slice(0, 20) + bad)).toMatchObject({ ok: false, problem: 'characters' })
    }
  })

  it('reports a wrong check symbol as a typo', () => {
    const p = parseReceipt('K7QM-2XDA-9PVR-T4NB-8HWE-C')
    expect(p).toMatchObject({ ok: false, problem: 'typo' })
    if (!p.ok) expect(p.message).toMatch(/typo/i)
  })
})

describe('property: every single error is caught as a typo', () => {
  function receipts(): string[] {
    const rand = seededRandom(0xc4d0)
    const out: string[] = []
    for (let i = 0; i < 250; i++) {
      const d = randomData(rand)
      out.push(d + expectedCheck(d))
    }
    for (let i = 0; i < 50; i++) out.push(newReceipt())
    out.push('0'.repeat(21), 'Z'.repeat(20) + 'B')
    return out
  }

  it('detects every single-symbol substitution in the data symbols', () => {
    let checked = 0
    for (const r of receipts()) {
      expect(parseReceipt(r).ok).toBe(true)
      for (let i = 0; i < RECEIPT_SYMBOLS; i++) {
        for (const c of DATA) {
          if (c === r[i]) continue
          const mutated = r.slice(0, i) + c + r.slice(i + 1)
          const p = parseReceipt(mutated)
          if (p.ok || p.problem !== 'typo') throw new Error(`substitution not caught: ${r} -> ${mutated}`)
          checked++
        }
      }
    }
    expect(checked).toBe(302 * 20 * 31)
  })

  it('detects every adjacent transposition of distinct data symbols', () => {
    let checked = 0
    for (const r of receipts()) {
      for (let i = 0; i < RECEIPT_SYMBOLS - 1; i++) {
        if (r[i] === r[i + 1]) continue
        const mutated = r.slice(0, i) + r[i + 1] + r[i] + r.slice(i + 2)
        const p = parseReceipt(mutated)
        if (p.ok || p.problem !== 'typo') throw new Error(`transposition not caught: ${r} -> ${mutated}`)
        checked++
      }
    }
    expect(checked).toBeGreaterThan(5000)
  })
})
