import { Refusal, t, type Message } from '#common/i18n/message'

/**
 * The page's language code ('cy' from <html lang="cy">, 'en' from "en-GB"): our fetches name it
 * first in Accept-Language, so the server words its refusals in the language of the page.
 */
export const pageLang = () => document.documentElement.lang.split('-')[0].toLowerCase() || 'en'
export const langHeader = () => ({ 'accept-language': pageLang() })

/**
 * A refusal from our own server: its words (already in the page's language), or, when it gave
 * none, a message the page says; and `retry: 'pow'` when a new proof of work would pass.
 */
export class ApiError extends Refusal {
  constructor(
    said: Message | string,
    readonly status: number,
    readonly retry?: 'pow',
  ) {
    super(said)
    this.name = 'ApiError'
  }
}

/**
 * Talks to our own JSON routes; a refusal becomes an ApiError, a server out of reach a Refusal.
 * Pages show either with `say(said(err))`: the root sends every page these words (errors.network).
 * Reporter calls never carry cookies; reviewer calls carry their session cookie (`cookies: true`).
 */
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
    throw new Refusal(t('errors.network.unreachable'))
  }
  const data = (await res.json().catch(() => ({}))) as { error?: string; retry?: unknown }
  if (!res.ok) throw new ApiError(data.error ?? t('errors.network.refused', { status: res.status }), res.status, data.retry === 'pow' ? 'pow' : undefined)
  return data as T
}
