/** Reporter-side times are kept to the day (UTC), never finer. */
export function today(now: Date = new Date()): string {
  return now.toISOString().slice(0, 10)
}

export function randomId(bytes = 16): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(bytes))).toString('base64url')
}
