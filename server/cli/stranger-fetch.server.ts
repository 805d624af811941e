import { Refusal, t } from '#common/i18n/message'

/**
 * A GET as a stranger's browser would make it: no cookie, no referrer, nothing cached, a common
 * browser's name, so a server cannot tell a monitor from a visitor and show it something else.
 * The body is read only up to `maxBytes`: a hostile server cannot fill the monitor's memory.
 */
export async function strangerGet(url: string, maxBytes: number): Promise<{ status: number; headers: Headers; bytes: Uint8Array }> {
  const res = await fetch(url, {
    redirect: 'manual',
    cache: 'no-store',
    headers: { 'user-agent': 'Mozilla/5.0 (Windows NT 10.0; rv:128.0) Gecko/20100101 Firefox/128.0' },
  })
  const chunks: Uint8Array[] = []
  let size = 0
  const reader = res.body?.getReader()
  for (let part = await reader?.read(); part && !part.done; part = await reader!.read()) {
    size += part.value.length
    if (size > maxBytes) {
      await reader!.cancel()
      throw new Refusal(t('admin.site.tooLarge', { url, max: maxBytes }))
    }
    chunks.push(part.value)
  }
  return { status: res.status, headers: res.headers, bytes: Buffer.concat(chunks) }
}
