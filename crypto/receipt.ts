import { sodium } from './sodium'

/** Crockford base32, plus the five extra symbols of its mod-37 check alphabet. */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'
const CHECK_ALPHABET = ALPHABET + '*~$=U'
export const RECEIPT_SYMBOLS = 20

export type ReceiptProblem = 'empty' | 'length' | 'characters' | 'typo'
/** A refusal names its problem and the counts, so a page can say it in its own language. */
export type ParsedReceipt =
  { ok: true; normalised: string; formatted: string } | { ok: false; problem: ReceiptProblem; message: string; entered: number; expected: number }

function checkSymbol(data: string): string {
  let value = 0n
  for (const ch of data) value = value * 32n + BigInt(ALPHABET.indexOf(ch))
  return CHECK_ALPHABET[Number(value % 37n)]
}

/** `symbols` random Crockford symbols (5 bits each), then the check symbol; normalised form. */
export function newCode(symbols: number): string {
  const s = sodium()
  let data = ''
  for (let i = 0; i < symbols; i++) data += ALPHABET[s.randombytes_uniform(32)]
  return data + checkSymbol(data)
}

/** 100 random bits as 20 symbols, then the check symbol. */
export const newReceipt = () => newCode(RECEIPT_SYMBOLS)

export function formatCode(normalised: string): string {
  const data = normalised.slice(0, -1)
  return [...(data.match(/.{1,4}/g) ?? []), normalised.slice(-1)].join('-')
}

export const formatReceipt = formatCode

export function normaliseReceipt(input: string): string {
  return input
    .toUpperCase()
    .replace(/[\s\-‐‑–—.]/g, '')
    .replace(/[IL]/g, '1')
    .replace(/O/g, '0')
}

/** Checks what someone typed before anything is looked up, so typos get a clear message. */
export function parseCode(input: string, symbols: number, what = 'receipt code'): ParsedReceipt {
  const n = normaliseReceipt(input)
  const counts = { entered: n.length, expected: symbols + 1 }
  if (n.length === 0) return { ok: false, problem: 'empty', message: `Enter your ${what}.`, ...counts }
  if (n.length !== symbols + 1)
    return {
      ok: false,
      problem: 'length',
      message: `A ${what} has ${symbols + 1} letters and numbers; you entered ${n.length}.`,
      ...counts,
    }
  const data = n.slice(0, symbols)
  const check = n.slice(symbols)
  if ([...data].some((c) => !ALPHABET.includes(c)) || !CHECK_ALPHABET.includes(check))
    return {
      ok: false,
      problem: 'characters',
      message: `A ${what} only uses the letters and numbers shown on it.`,
      ...counts,
    }
  if (checkSymbol(data) !== check)
    return {
      ok: false,
      problem: 'typo',
      message: 'This code has a typo. Check each group against what you wrote down and try again.',
      ...counts,
    }
  return { ok: true, normalised: n, formatted: formatCode(n) }
}

export const parseReceipt = (input: string) => parseCode(input, RECEIPT_SYMBOLS)
