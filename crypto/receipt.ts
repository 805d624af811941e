import { sodium } from './sodium'

/** Crockford base32, plus the five extra symbols of its mod-37 check alphabet. */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'
const CHECK_ALPHABET = ALPHABET + '*~$=U'
export const RECEIPT_SYMBOLS = 20

export type ReceiptProblem = 'empty' | 'length' | 'characters' | 'typo'
export type ParsedReceipt =
  | { ok: true; normalised: string; formatted: string }
  | { ok: false; problem: ReceiptProblem; message: string }

function checkSymbol(data: string): string {
  let value = 0n
  for (const ch of data) value = value * 32n + BigInt(ALPHABET.indexOf(ch))
  return CHECK_ALPHABET[Number(value % 37n)]
}

/** 100 random bits as 20 symbols, then the check symbol. Returns the normalised form. */
export function newReceipt(): string {
  const s = sodium()
  let data = ''
  for (let i = 0; i < RECEIPT_SYMBOLS; i++) data += ALPHABET[s.randombytes_uniform(32)]
  return data + checkSymbol(data)
}

export function formatReceipt(normalised: string): string {
  const groups = normalised.slice(0, RECEIPT_SYMBOLS).match(/.{4}/g) ?? []
  return [...groups, normalised.slice(RECEIPT_SYMBOLS)].join('-')
}

export function normaliseReceipt(input: string): string {
  return input
    .toUpperCase()
    .replace(/[\s\-‐‑–—.]/g, '')
    .replace(/[IL]/g, '1')
    .replace(/O/g, '0')
}

/** Checks what someone typed before anything is looked up, so typos get a clear message. */
export function parseReceipt(input: string): ParsedReceipt {
  const n = normaliseReceipt(input)
  if (n.length === 0) return { ok: false, problem: 'empty', message: 'Enter your receipt code.' }
  if (n.length !== RECEIPT_SYMBOLS + 1)
    return {
      ok: false,
      problem: 'length',
      message: `A receipt code has ${RECEIPT_SYMBOLS + 1} letters and numbers; you entered ${n.length}.`,
    }
  const data = n.slice(0, RECEIPT_SYMBOLS)
  const check = n.slice(RECEIPT_SYMBOLS)
  if ([...data].some((c) => !ALPHABET.includes(c)) || !CHECK_ALPHABET.includes(check))
    return {
      ok: false,
      problem: 'characters',
      message: 'A receipt code only uses the letters and numbers shown on your receipt.',
    }
  if (checkSymbol(data) !== check)
    return {
      ok: false,
      problem: 'typo',
      message: 'This code has a typo. Check each group against your receipt and try again.',
    }
  return { ok: true, normalised: n, formatted: formatReceipt(n) }
}
