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
    default:
      throw new Error(`Unknown command "${command}": release:keygen, release:sign or release:check-site.`)
  }
  void rest
}
