import { Refusal, t } from '#common/i18n/message'
import { releasePublicKeySchema } from '#common/release'
import { checkSite, REPORTER_PAGES } from './check-site.server'
import type { Speaker } from './language.server'
import { releaseKeygen, releaseSign } from './release.server'

/** The release:* commands of the admin CLI; none of them opens the database. */
export async function releaseCommand(
  command: string,
  rest: string[],
  values: { out?: string; key?: string; commit?: string; 'release-key'?: string },
  { say, lines }: Speaker,
) {
  switch (command) {
    case 'release:keygen': {
      const publicKey = releaseKeygen(values.out)
      // The key is the last line, alone, for scripts to take.
      console.log(`${say(t('admin.release.keyWritten', { file: String(values.out) }))}\n${publicKey}`)
      return
    }
    case 'release:sign': {
      if (values.commit !== undefined && !/^[0-9a-f]{40}$/.test(values.commit)) throw new Refusal(t('admin.release.badCommit'))
      const { file, manifest } = releaseSign({ key: values.key, out: values.out, commit: values.commit })
      console.log(say(t('admin.release.signed', { version: manifest.version, commit: manifest.commit, count: Object.keys(manifest.assets).length, file })))
      return
    }
    case 'release:check-site': {
      const site = rest[0]
      if (!site || !/^https?:\/\//.test(site)) throw new Refusal(t('admin.release.needsSite'))
      const key = releasePublicKeySchema.safeParse(values['release-key'])
      if (!key.success) throw new Refusal(t('admin.release.needsKey'))
      const { problems, checked, manifest } = await checkSite(site, key.data)
      // "MISMATCH:" and "OK:" are for whatever reads this output, so they are the same in every language.
      if (problems.length > 0) throw new Error(`MISMATCH: ${say(t('admin.release.mismatch', { site }))}${lines(problems)}`)
      const ok = { site, version: manifest!.version, commit: manifest!.commit, pages: REPORTER_PAGES.length, files: checked }
      console.log(`OK: ${say(t('admin.release.ok', ok))}`)
      return
    }
    default:
      throw new Refusal(t('admin.release.unknown', { command }))
  }
}
