/**
 * Every size limit in one place. Shared by the server (zod schemas) and the pages (maxLength),
 * so what the form allows is exactly what the server accepts.
 */
export const LIMITS = {
  /** Whole request body, any route (files arrive with their own route later). */
  requestBytes: 512 * 1024,
  /** Largest padded plaintext of one sealed message. */
  messageBucketBytes: 128 * 1024,
  whatHappenedChars: 20_000,
  whenChars: 200,
  whereChars: 500,
  whoChars: 2_000,
  contactChars: 500,
  followupChars: 10_000,
  categoriesMax: 9,
  inboxNameChars: 80,
  inboxDescriptionChars: 400,
  receiptInputChars: 64,
} as const

/**
 * Evidence files. The per-file size and count are configurable (FILE_MAX_MIB, FILES_PER_MESSAGE);
 * these are the defaults and the bounds of one upload request.
 */
export const FILE_LIMITS = {
  defaultFileMiB: 100,
  defaultFilesPerMessage: 10,
  /** One piece of ciphertext: 16 secretstream chunks, so a retry after a dropped connection is cheap. */
  uploadRequestBytes: 16 * (64 * 1024 + 17),
  /** Pieces a browser keeps in flight for one file: the connection stays busy while the server fsyncs. */
  uploadPiecesInFlight: 4,
  /** Unattached uploads are deleted after this many days. */
  orphanDays: 1,
  fileNameChars: 120,
} as const

/** How long login steps live; short, so a stolen challenge or token is soon useless. */
export const TIMINGS = {
  challengeSeconds: 120,
  reporterSessionIdleSeconds: 15 * 60,
  reporterSessionMaxSeconds: 2 * 60 * 60,
} as const

/** Budget sizes as pages and refusals say them: GiB when whole, else MiB (decision 20). */
export const sizeWords = (bytes: number) =>
  bytes >= 1024 ** 3 && bytes % 1024 ** 3 === 0 ? `${bytes / 1024 ** 3} GiB` : `${Math.max(1, Math.round(bytes / 1024 ** 2)).toLocaleString('en-GB')} MiB`
