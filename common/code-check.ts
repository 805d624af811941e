import { t } from './i18n/message'

/**
 * "Type the end of your code": proof that a receipt or recovery key was copied down before the
 * page moves on. Typing is forgiving (case, spaces, dashes, and O/I/L for 0/1, as the codes'
 * alphabet has none of them); the check symbol alone is one character, too little, so a receipt
 * asks for five.
 */
export function tailMatches(code: string, typed: string, chars: number): boolean {
  const tail = code.replace(/-/g, '').slice(-chars)
  return typed.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1') === tail
}

export const RECEIPT_TAIL_CHARS = 5
export const RECEIPT_TAIL_MISMATCH = t('report.receipt.mismatch')
export const receiptTailMatches = (receipt: string, typed: string) => tailMatches(receipt, typed, RECEIPT_TAIL_CHARS)
