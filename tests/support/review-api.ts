import sqlite3 from 'sqlite3'

/**
 * Talking to the reviewer API as a browser's fetch would, for tests without a browser: a JSON
 * POST with an optional session cookie, recording every status so a test can assert "no 5xx".
 */
export function reviewApi(baseUrl: () => string) {
  const statuses: Array<[string, number]> = []
  async function post(path: string, body: unknown = {}, cookie?: string) {
    const res = await fetch(`${baseUrl()}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(cookie ? { cookie } : {}) },
      body: JSON.stringify(body),
      redirect: 'manual',
    })
    statuses.push([path, res.status])
    const text = await res.text()
    let json: any = text
    try {
      json = JSON.parse(text)
    } catch {
      // not JSON: kept as text for the failure message
    }
    return { status: res.status, body: json, cookie: (res.headers.get('set-cookie') ?? '').split(';')[0] }
  }
  return { post, statuses }
}

/** Rows from the server's database through a second connection (waits out the server's writes). */
export function sqlAll<T = any>(dbFile: string, query: string, params: unknown[] = []): Promise<T[]> {
  return new Promise((resolve, reject) => {
    const d = new sqlite3.Database(dbFile, (err) => {
      if (err) return reject(err)
      d.configure('busyTimeout', 5000)
      d.all(query, params, (e, rows) => {
        d.close()
        if (e) reject(e)
        else resolve(rows as T[])
      })
    })
  })
}
