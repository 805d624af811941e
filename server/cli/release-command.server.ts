import { releasePublicKeySchema } from '#common/release'
import { checkSite, REPORTER_PAGES } from './check-site.server'
import { releaseKeygen, releaseSign } from './release.server'

/** The release:* commands of the admin CLI; none of them opens the database. */
export async function releaseCommand(command: string, rest: string[], values: { out?: string; key?: string; commit?: string; 'release-key'?: string }) {
  switch (command) {
    case 'release:keygen': {
      const publicKey = releaseKeygen(values.out)
      console.log(
        `Release key written to ${values.out}: keep it on an offline machine.\nIts public key (RELEASE_PUBLIC_KEY, and for release:check-site --release-key):\n${publicKey}`,
      )
      return
    }
    case 'release:sign': {
      if (values.commit !== undefined && !/^[0-9a-f]{40}$/.test(values.commit)) throw new Error('--commit needs the full 40-hex-digit commit')
      const { file, manifest } = releaseSign({ key: values.key, out: values.out, commit: values.commit })
      console.log(`Signed release ${manifest.version} (${manifest.commit}), ${Object.keys(manifest.assets).length} files, in ${file}.`)
      return
    }
    case 'release:check-site': {
      const site = rest[0]
      if (!site || !/^https?:\/\//.test(site)) throw new Error('release:check-site needs the site address: release:check-site https://… --release-key PUBKEY')
      const key = releasePublicKeySchema.safeParse(values['release-key'])
      if (!key.success) throw new Error('release:check-site needs --release-key PUBKEY, the 43-character key release:keygen printed')
      const { problems, checked, manifest } = await checkSite(site, key.data)
      if (problems.length > 0) throw new Error(`MISMATCH: ${site} is not serving the signed release:\n  ${problems.join('\n  ')}`)
      console.log(`OK: ${site} serves release ${manifest!.version} (${manifest!.commit}): ${REPORTER_PAGES.length} pages and ${checked} files checked.`)
      return
    }
    default:
      throw new Error(`Unknown command "${command}": release:keygen, release:sign or release:check-site.`)
  }
}
