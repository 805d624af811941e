import { createHash, generateKeyPairSync, randomBytes, sign } from 'node:crypto'

/**
 * A software passkey (P-256, "none" attestation, user verified) for tests that talk to the
 * server with fetch only: it answers the options the server sends as a browser's authenticator would.
 */

// Just enough CBOR for an attestation object and a COSE key: ints, byte and text strings, maps.
function cbor(v: unknown): Buffer {
  const head = (major: number, n: number) =>
    n < 24 ? Buffer.from([(major << 5) | n]) : n < 256 ? Buffer.from([(major << 5) | 24, n]) : Buffer.from([(major << 5) | 25, n >> 8, n & 255])
  if (typeof v === 'number') return v >= 0 ? head(0, v) : head(1, -1 - v)
  if (typeof v === 'string') return Buffer.concat([head(3, Buffer.byteLength(v)), Buffer.from(v)])
  if (v instanceof Uint8Array) return Buffer.concat([head(2, v.length), v])
  if (v instanceof Map) return Buffer.concat([head(5, v.size), ...[...v].flatMap(([k, x]) => [cbor(k), cbor(x)])])
  throw new Error(`cbor: cannot encode ${typeof v}`)
}

const b64 = (b: Buffer) => b.toString('base64url')
const sha256 = (b: Buffer | string) => createHash('sha256').update(b).digest()

/** A software passkey for API tests; `rpId` lets a test forge one bound to another relying party. */
export function softPasskey(origin: string, opts: { rpId?: string } = {}) {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' })
  const jwk = publicKey.export({ format: 'jwk' })
  const rawId = randomBytes(16)
  const rpIdHash = sha256(opts.rpId ?? new URL(origin).hostname)
  let counter = 0
  const clientData = (type: string, challenge: string) => Buffer.from(JSON.stringify({ type, challenge, origin, crossOrigin: false }))
  const authData = (flags: number, attested: Buffer = Buffer.alloc(0)) => {
    const c = Buffer.alloc(4)
    c.writeUInt32BE(counter)
    return Buffer.concat([rpIdHash, Buffer.from([flags]), c, attested])
  }
  const id = b64(rawId)
  return {
    id,
    /** Answers registration options: flags UP | UV | AT. */
    register(options: { challenge: string }) {
      const cose = cbor(
        new Map<number, unknown>([
          [1, 2],
          [3, -7],
          [-1, 1],
          [-2, Buffer.from(jwk.x!, 'base64url')],
          [-3, Buffer.from(jwk.y!, 'base64url')],
        ]),
      )
      const attested = Buffer.concat([Buffer.alloc(16), Buffer.from([0, rawId.length]), rawId, cose])
      const attestationObject = cbor(
        new Map<string, unknown>([
          ['fmt', 'none'],
          ['attStmt', new Map()],
          ['authData', authData(0x45, attested)],
        ]),
      )
      return {
        id,
        rawId: id,
        type: 'public-key' as const,
        response: {
          clientDataJSON: b64(clientData('webauthn.create', options.challenge)),
          attestationObject: b64(attestationObject),
          transports: ['internal'],
        },
        clientExtensionResults: {},
        authenticatorAttachment: 'platform',
      }
    },
    /** Answers authentication options: flags UP | UV, counter one higher each time. */
    assert(options: { challenge: string }) {
      counter++
      const data = authData(0x05)
      const client = clientData('webauthn.get', options.challenge)
      const signature = sign('sha256', Buffer.concat([data, sha256(client)]), privateKey)
      return {
        id,
        rawId: id,
        type: 'public-key' as const,
        response: { clientDataJSON: b64(client), authenticatorData: b64(data), signature: b64(signature) },
        clientExtensionResults: {},
      }
    },
  }
}
