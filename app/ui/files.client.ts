import type { FileRef } from '#crypto'
import { Refusal, t } from '#common/i18n/message'
import { langHeader } from './api.client'
import { loadCrypto } from './crypto.client'

export type Progress = (done: number, total: number) => void

/** What fetchAndOpen refuses a damaged or truncated file with: reviewers' pages tell it apart. */
export const FILE_DAMAGED = t('reporter.files.damaged')

/**
 * Fetches one attachment's ciphertext and opens it in this browser with the key from the sealed
 * message. All or nothing: a damaged or truncated file throws and no part of it is shown.
 * Reporters pass their session token; reviewers their cookie.
 */
export async function fetchAndOpen(ref: FileRef, auth: { token: string } | { cookies: true }, onProgress?: Progress): Promise<Uint8Array> {
  const c = await loadCrypto()
  let res: Response
  try {
    res = await fetch(`/api/files/${ref.id}`, {
      headers: { ...langHeader(), ...('token' in auth ? { authorization: `Bearer ${auth.token}` } : {}) },
      credentials: 'cookies' in auth ? 'same-origin' : 'omit',
      cache: 'no-store',
    })
  } catch {
    throw new Refusal(t('reporter.files.unreachable'))
  }
  if (!res.ok || !res.body) {
    const data = (await res.json().catch(() => ({}))) as { error?: string }
    if (data.error) throw new Error(data.error)
    throw new Refusal(t('reporter.files.notFetched', { status: res.status }))
  }
  const total = Number(res.headers.get('content-length') ?? 0)
  const ciphertext = new Uint8Array(total || c.paddedLength(ref.size))
  let done = 0
  const reader = res.body.getReader()
  for (;;) {
    const { value, done: end } = await reader.read()
    if (end) break
    if (done + value.length > ciphertext.length) throw new Refusal(FILE_DAMAGED)
    ciphertext.set(value, done)
    done += value.length
    onProgress?.(done, ciphertext.length)
  }
  if (done !== ciphertext.length) throw new Refusal(FILE_DAMAGED)
  try {
    return c.openFile(c.fromB64(ref.key), ciphertext, ref.size)
  } catch {
    // The crypto's own refusal is in English; this one is in the page's language.
    throw new Refusal(FILE_DAMAGED)
  }
}

/**
 * A download of the opened bytes under the file's own name. The type is always generic, so a
 * file that is really HTML or SVG is saved, never rendered as a page of ours.
 */
export function saveBytes(bytes: Uint8Array, name: string) {
  const url = URL.createObjectURL(new Blob([bytes as Uint8Array<ArrayBuffer>], { type: 'application/octet-stream' }))
  const a = document.createElement('a')
  a.href = url
  a.download = name
  document.body.append(a)
  a.click()
  a.remove()
  setTimeout(() => URL.revokeObjectURL(url), 10_000)
}
