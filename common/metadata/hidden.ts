import { t, type Message } from '../i18n/message'

/**
 * What may still be hidden in a file Candour could not strip, as codes: the stripper knows
 * formats, not languages, so the page that shows a file says these in its reader's language.
 * Apart from index.ts so a page can word a note without loading the stripper.
 */
export const HIDDEN_FAMILIES = ['heic', 'tiff', 'gif', 'pdf', 'office', 'rtf', 'video', 'audio', 'zip', 'markup', 'unknown'] as const
export type HiddenFamily = (typeof HIDDEN_FAMILIES)[number]

/** family: the kind of file and so what it can carry; notPicture: it claimed to be a picture and is not. */
export type Hidden = { family?: HiddenFamily; notPicture?: true }

const WARNING: Record<HiddenFamily, Message> = {
  heic: t('reporter.files.hidden.heic'),
  tiff: t('reporter.files.hidden.tiff'),
  gif: t('reporter.files.hidden.gif'),
  pdf: t('reporter.files.hidden.pdf'),
  office: t('reporter.files.hidden.office'),
  rtf: t('reporter.files.hidden.rtf'),
  video: t('reporter.files.hidden.video'),
  audio: t('reporter.files.hidden.audio'),
  zip: t('reporter.files.hidden.zip'),
  markup: t('reporter.files.hidden.markup'),
  unknown: t('reporter.files.hidden.unknown'),
}

// 'unknown' has no noun of its own: it is "something else".
const NOUN: Record<HiddenFamily, Message> = {
  heic: t('reporter.files.noun.heic'),
  tiff: t('reporter.files.noun.tiff'),
  gif: t('reporter.files.noun.gif'),
  pdf: t('reporter.files.noun.pdf'),
  office: t('reporter.files.noun.office'),
  rtf: t('reporter.files.noun.rtf'),
  video: t('reporter.files.noun.video'),
  audio: t('reporter.files.noun.audio'),
  zip: t('reporter.files.noun.zip'),
  markup: t('reporter.files.noun.markup'),
  unknown: t('reporter.files.noun.other'),
}

/** The warning to show beside a file, or undefined when nothing may remain hidden in it. */
export function hiddenMessage(h: Hidden | undefined): Message | undefined {
  if (!h) return undefined
  const warning = h.family ? WARNING[h.family] : undefined
  if (!h.notPicture) return warning
  const what = h.family ? NOUN[h.family] : t('reporter.files.noun.other')
  return warning ? t('reporter.files.notPictureAnd', { what, warning }) : t('reporter.files.notPicture', { what })
}

/**
 * The note under a file the no-JS pages stored, as codes, since each later step's form carries it
 * back in a hidden field and says it in that step's language. A string is a note in the words
 * an older server wrote, shown as it is.
 */
export type FileNote = { removed: true } | { nothingHidden: true } | { hidden: Hidden } | string

export function fileNoteMessage(note: FileNote): Message | string {
  if (typeof note === 'string') return note
  if ('removed' in note) return t('reporter.files.removed')
  if ('nothingHidden' in note) return t('reporter.files.nothingHidden')
  return hiddenMessage(note.hidden) ?? t('reporter.files.nothingHidden')
}
