import type { PlainFile } from '#server/plaintext/uploads.server'
import { sizeMessage } from '#common/i18n/message'
import { fileNoteMessage } from '#common/metadata/hidden'
import { useSay } from '~/ui/fields'
import { useT } from '~/ui/i18n'

/**
 * Without JavaScript, files already uploaded through the form: listed by
 * name, size and what was removed, and carried to the next step in one hidden field.
 */

export function PlainFiles({ files }: { files: PlainFile[] }) {
  const t = useT()
  const say = useSay()
  if (files.length === 0) return null
  return (
    <ul className="file-list" aria-label={t('reporter.files.added')}>
      {files.map((f, n) => (
        <li key={n} className="file-row file-row--done" data-file={f.ref.name}>
          <p className="file-row__name">
            <strong className="preserve">{f.ref.name}</strong> <span className="file-row__size">{say(sizeMessage(f.ref.size))}</span>
          </p>
          {f.note ? <p className="file-row__note">{say(fileNoteMessage(f.note))}</p> : null}
        </li>
      ))}
    </ul>
  )
}

/** The no-JS steps' files, carried to the next post; inside the form that posts it. */
export function FileRefsField({ files, fileRefs }: { files: PlainFile[]; fileRefs?: string }) {
  if (!fileRefs && files.length === 0) return null
  return <input type="hidden" name="fileRefs" value={fileRefs ?? JSON.stringify(files)} />
}

/** Reads the no-JS step's files defensively: the field is optional until every step carries it. */
export function plainFilesOf(view: unknown): { files: PlainFile[]; fileRefs?: string } {
  const v = view as { files?: unknown; fileRefs?: unknown }
  const files = Array.isArray(v?.files) ? (v.files as PlainFile[]).filter((f) => typeof f?.ref?.name === 'string' && typeof f.ref.size === 'number') : []
  return { files, fileRefs: typeof v?.fileRefs === 'string' ? v.fileRefs : undefined }
}
