/** SQLite or the filesystem ran out of space; the write was rolled back or never began. */
export const isStorageFull = (e: unknown) => e instanceof Error && (/SQLITE_FULL/.test(e.message) || (e as NodeJS.ErrnoException).code === 'ENOSPC')
