import type { ParsedReceipt } from '#crypto'
import type { Translate } from './i18n/translate'

/** Why a typed receipt code was refused, in the reader's language: the same words with or without JavaScript. */
export function receiptRefusal(t: Translate, refused: Extract<ParsedReceipt, { ok: false }>): string {
  switch (refused.problem) {
    case 'empty':
      return t('errors.receipt.empty')
    case 'length':
      return t('errors.receipt.length', { symbols: refused.expected, entered: refused.entered })
    case 'characters':
      return t('errors.receipt.characters')
    case 'typo':
      return t('errors.receipt.typo')
  }
}
