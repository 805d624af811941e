import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'

export const ROOT = path.resolve(import.meta.dirname, '../..')

export type RunningServer = {
  url: string
  dataDir: string
  dbFile: string
  /** Everything the server printed so far, stdout and stderr. */
  output: () => string
  stop: () => Promise<void>
  /** Sends the server process a signal (default SIGKILL: no shutdown code runs) and waits for it to exit. */
  kill: (signal?: NodeJS.Signals) => Promise<void>
}

export function tempDataDir(prefix = 'candour-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix))
}

// The free-disk floor is lowered too: a CI machine may have less than the production 2 GiB free,
// and tests/integration/uploads-budgets.test.ts sets its own floor to test it.
const NO_THROTTLE = { NOJS_POSTS_PER_MINUTE: '100000', NOJS_POSTS_BURST: '100000', UPLOAD_MIN_FREE_MIB: '16' }

/** Starts the real production server (needs `remix build` first) on a random port. */
export async function startServer(opts: { dataDir?: string; env?: Record<string, string> } = {}): Promise<RunningServer> {
  const dataDir = opts.dataDir ?? tempDataDir()
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'server/index.ts'], {
    cwd: ROOT,
    // The shared no-JS form budget (decision 12) would throttle test files that post many forms
    // in seconds; tests/integration/abuse.test.ts sets small limits to test it.
    env: { ...process.env, ...NO_THROTTLE, NODE_ENV: 'production', PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let out = ''
  child.stdout!.on('data', (d) => (out += d))
  child.stderr!.on('data', (d) => (out += d))
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${out}`)), 30_000)
    child.stdout!.on('data', () => {
      const m = out.match(/"msg":"listening","url":"(http:\/\/localhost:\d+)"/)
      if (m) {
        clearTimeout(timer)
        resolve(m[1])
      }
    })
    child.on('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`server exited with ${code}:\n${out}`))
    })
  })
  const kill = (signal: NodeJS.Signals = 'SIGKILL') =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve()
      child.once('exit', () => resolve())
      child.kill(signal)
    })
  return {
    url,
    dataDir,
    dbFile: path.join(dataDir, 'candour.sqlite'),
    output: () => out,
    stop: () => kill('SIGTERM'),
    kill,
  }
}

/**
 * The admin tool's environment: the tests read its English unless they name a locale, whatever
 * the terminal running them speaks.
 */
const adminEnv = (dataDir: string, locale: Record<string, string>) => ({
  ...process.env,
  LC_ALL: undefined,
  LC_MESSAGES: undefined,
  LANG: undefined,
  ...locale,
  DATA_DIR: dataDir,
})

/** Runs `npm run admin -- ARGS` the way an operator would, against a data directory. */
export function admin(dataDir: string, args: string[], locale: Record<string, string> = {}): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'server/cli/admin.ts', ...args], {
    cwd: ROOT,
    env: adminEnv(dataDir, locale),
    encoding: 'utf8',
  })
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr }
}

/** admin() without blocking the event loop, so the test can keep sending requests meanwhile. */
export function adminAsync(dataDir: string, args: string[], locale: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/cli/admin.ts', ...args], {
    cwd: ROOT,
    env: adminEnv(dataDir, locale),
  })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (d) => (stdout += d))
  child.stderr.on('data', (d) => (stderr += d))
  return new Promise((resolve) => child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr })))
}

/** Creates an offline inbox and returns its id and key file path. */
export function createInbox(dataDir: string, name = 'Professional Standards', description = 'Reviews reports about officers and staff') {
  const keyFile = path.join(dataDir, `${name.replace(/\W+/g, '-')}.key`)
  const r = admin(dataDir, ['inbox:create', name, '--description', description, '--key-out', keyFile])
  if (r.code !== 0) throw new Error(`inbox:create failed: ${r.stderr}`)
  const id = r.stdout.match(/\(([A-Za-z0-9_-]{8,32})\)/)?.[1]
  if (!id) throw new Error(`no inbox id in: ${r.stdout}`)
  return { id, keyFile }
}

/** Every byte the database left on disk, WAL included, as latin1 text for searching. */
export function diskBytes(dataDir: string): string {
  return fs
    .readdirSync(dataDir)
    .filter((f) => f.startsWith('candour.sqlite'))
    .map((f) => fs.readFileSync(path.join(dataDir, f)).toString('latin1'))
    .join('\n')
}

/** Lines of server output logged at error level or worse: pino writes numbers (50, 60), old lines "error". */
export function errorLines(output: string): string[] {
  return output.split('\n').filter((l) => /"level":(?:50|60|"error"|"fatal")[,}]/.test(l))
}
