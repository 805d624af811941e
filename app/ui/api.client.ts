import { NETWORK_WORDS } from '#common/network-words'

/**
 * The page's language code ('cy' from <html lang="cy">, 'en' from "en-GB"): our fetches name it
 * first in Accept-Language, so the server words its refusals in the language of the page.
 */
export const pageLang = () => document.documentElement.lang.split('-')[0].toLowerCase() || 'en'
export const langHeader = () => ({ 'accept-language': pageLang() })

/** This file's own words, for when the server could not answer: too few for the catalogues. */
const networkWords = () => NETWORK_WORDS[pageLang() as keyof typeof NETWORK_WORDS] ?? NETWORK_WORDS.en

/** A refusal from our own server: its message, and `retry: 'pow'` when a new proof of work would pass. */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly retry?: 'pow',
  ) {
    super(message)
    this.name = 'ApiError'
  }
}

/** Talks to our own JSON routes; a refusal becomes an ApiError carrying the server's message. */
/** Reporter calls never carry cookies; reviewer calls carry their session cookie (`cookies: true`). */
export async function callApi<T>(path: string, init: { body?: unknown; token?: string; cookies?: boolean } = {}): Promise<T> {
  const headers: Record<string, string> = langHeader()
  if (init.body !== undefined) headers['content-type'] = 'application/json'
  if (init.token) headers.authorization = `Bearer ${init.token}`
  let res: Response
  try {
    res = await fetch(path, {
      method: init.body === undefined ? 'GET' : 'POST',
      headers,
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
      credentials: init.cookies ? 'same-origin' : 'omit',
      cache: 'no-store',
    })
  } catch {
    throw new Error(networkWords().unreachable)
  }
  const data = (await res.json().catch(() => ({}))) as { error?: string; retry?: unknown }
  if (!res.ok) throw new ApiError(data.error ?? networkWords().refused(res.status), res.status, data.retry === 'pow' ? 'pow' : undefined)
  return data as T
}
