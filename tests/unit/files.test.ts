import { describe, it, expect, beforeAll } from 'vitest'
import { ready, isBucketSize, fileEncryptor, openFile, paddedLength, paddingFor, safeFileName, FILE_CHUNK_BYTES } from '../../crypto/index'
import { fileDecryptor, sealFile, FILE_CIPHER_CHUNK_BYTES } from '../../crypto/files'
import { bucketSize } from '../../crypto/padding'
import sodium from 'libsodium-wrappers'
import { seededRandom } from '../support/random'

const KiB = 1024
const HEADER = 24
const DAMAGED = 'The file is damaged or incomplete.'

function content(n: number, seed = n): Uint8Array {
  const rand = seededRandom(seed)
  const out = new Uint8Array(n)
  for (let i = 0; i < n; i++) out[i] = Math.floor(rand() * 256)
  return out
}

const eq = (a: Uint8Array, b: Uint8Array) => Buffer.from(a).equals(Buffer.from(b))
const chunks = (n: number) => Math.max(1, Math.ceil(n / FILE_CHUNK_BYTES))
const unpadded = (n: number) => HEADER + n + 17 * chunks(n)
/** Offset of cipher chunk i in the stored file. */
const chunkAt = (i: number) => HEADER + i * FILE_CIPHER_CHUNK_BYTES

beforeAll(async () => {
  await ready()
})

const SIZES = [0, 1, FILE_CHUNK_BYTES - 1, FILE_CHUNK_BYTES, FILE_CHUNK_BYTES + 1, 300 * KiB + 7]

describe('sealFile / openFile', () => {
  it('round-trips at the chunk boundaries', () => {
    expect(FILE_CHUNK_BYTES).toBe(65536)
    expect(FILE_CIPHER_CHUNK_BYTES).toBe(65536 + 17)
    for (const n of SIZES) {
      const plain = content(n)
      const { key, ciphertext } = sealFile(plain)
      expect(key.length).toBe(32)
      expect(ciphertext.length).toBe(paddedLength(n))
      expect(ciphertext.length).toBe(bucketSize(unpadded(n)))
      expect(isBucketSize(ciphertext.length)).toBe(true)
      expect(paddingFor(n)).toBe(ciphertext.length - unpadded(n))
      expect(ciphertext.subarray(unpadded(n)).every((b) => b === 0)).toBe(true)
      expect(eq(openFile(key, ciphertext, n), plain)).toBe(true)
    }
  })

  it('uses a fresh key and header for every file', () => {
    const plain = content(1000)
    const a = sealFile(plain)
    const b = sealFile(plain)
    expect(eq(a.key, b.key)).toBe(false)
    expect(eq(a.ciphertext.subarray(0, HEADER), b.ciphertext.subarray(0, HEADER))).toBe(false)
    expect(() => openFile(b.key, a.ciphertext, 1000)).toThrow(DAMAGED)
  })

  it('pads files of different sizes in one bucket to the same length', () => {
    const small = sealFile(content(70 * KiB))
    const large = sealFile(content(100 * KiB))
    expect(small.ciphertext.length).toBe(128 * KiB)
    expect(large.ciphertext.length).toBe(small.ciphertext.length)
    expect(sealFile(content(10)).ciphertext.length).toBe(sealFile(content(900)).ciphertext.length)
    expect(paddedLength(5 * 1024 * KiB)).toBe(bucketSize(unpadded(5 * 1024 * KiB)))
    expect(paddedLength(5 * 1024 * KiB)).toBe(paddedLength(5 * 1024 * KiB + 1000))
  })

  it('refuses every kind of damage without returning plaintext', () => {
    const n = 300 * KiB + 7 // five chunks: four full, one short
    const plain = content(n)
    const { key, ciphertext } = sealFile(plain)
    const end = unpadded(n)
    const tamper = (at: number) => {
      const c = ciphertext.slice()
      c[at] ^= 0x01
      return c
    }
    const damaged: Array<[string, Uint8Array, number]> = [
      ['header', tamper(3), n],
      ...[0, 1, 2, 3, 4].map((i): [string, Uint8Array, number] => [`chunk ${i}`, tamper(chunkAt(i) + 100), n]),
      ['tag of the last chunk', tamper(end - 1), n],
      ['padding', tamper(end + 5), n],
      ['truncated padding', ciphertext.slice(0, ciphertext.length - 1), n],
      ['padding cut off', ciphertext.slice(0, end), n],
      ['one byte more', new Uint8Array([...ciphertext, 0]), n],
      ['wrong size', ciphertext, n - 1],
      ['wrong size in the same bucket', ciphertext, n + 1],
      ['negative size', ciphertext, -1],
      ['fractional size', ciphertext, n + 0.5],
      ['empty', new Uint8Array(0), 0],
    ]
    // drop the final chunk, keeping the length: the bytes become padding
    const dropped = ciphertext.slice()
    dropped.fill(0, chunkAt(4), end)
    damaged.push(['final chunk dropped', dropped, n])
    damaged.push(['final chunk dropped, size to match', dropped, 4 * FILE_CHUNK_BYTES])
    // swap chunks 1 and 2
    const swapped = ciphertext.slice()
    swapped.set(ciphertext.subarray(chunkAt(2), chunkAt(3)), chunkAt(1))
    swapped.set(ciphertext.subarray(chunkAt(1), chunkAt(2)), chunkAt(2))
    damaged.push(['chunks swapped', swapped, n])
    // a sixth chunk appended after FINAL, inside the padding
    const enc = fileEncryptor()
    const extra = enc.push(content(10, 9), true)
    const appended = ciphertext.slice()
    appended.set(extra, end)
    damaged.push(['chunk appended in the padding', appended, n])
    for (const [what, c, size] of damaged) {
      expect(() => openFile(key, c, size), what).toThrow(DAMAGED)
    }
    expect(() => openFile(new Uint8Array(32), ciphertext, n)).toThrow(DAMAGED)
    expect(() => openFile(key.subarray(0, 31), ciphertext, n)).toThrow(DAMAGED)
    expect(eq(openFile(key, ciphertext, n), plain)).toBe(true)
  })

  it('refuses a file whose FINAL chunk comes early, even with a matching length', () => {
    // Two full chunks where the first is tagged FINAL: the streaming API cannot make this, so
    // build it with a one-chunk encryptor and graft a second chunk from another stream.
    const enc = fileEncryptor()
    const first = enc.push(content(FILE_CHUNK_BYTES), true)
    const n = 2 * FILE_CHUNK_BYTES
    const c = new Uint8Array(paddedLength(n))
    c.set(enc.header)
    c.set(first, HEADER)
    c.set(first, HEADER + first.length)
    expect(() => openFile(enc.key, c, n)).toThrow(DAMAGED)
  })
})

describe('fileEncryptor / fileDecryptor (streaming)', () => {
  it('streams chunk by chunk, then the padding, to the same layout openFile reads', () => {
    const n = 200 * KiB
    const plain = content(n)
    const enc = fileEncryptor()
    const parts = [enc.header]
    for (let at = 0; at < n; at += FILE_CHUNK_BYTES) {
      const last = at + FILE_CHUNK_BYTES >= n
      parts.push(enc.push(plain.subarray(at, at + FILE_CHUNK_BYTES), last))
    }
    expect(enc.size).toBe(n)
    parts.push(new Uint8Array(paddingFor(n)))
    const stored = Buffer.concat(parts)
    expect(stored.length).toBe(paddedLength(n))
    expect(eq(openFile(enc.key, stored, n), plain)).toBe(true)

    const dec = fileDecryptor(enc.key, stored.subarray(0, HEADER))
    const out: Uint8Array[] = []
    let at = HEADER
    for (;;) {
      const { plain: p, last } = dec.pull(stored.subarray(at, Math.min(at + FILE_CIPHER_CHUNK_BYTES, unpadded(n))))
      out.push(p)
      at += p.length + 17
      if (last) break
    }
    expect(eq(Buffer.concat(out), plain)).toBe(true)
    expect(() => dec.pull(stored.subarray(at, at + 17))).toThrow(DAMAGED)
  })

  it('enforces the canonical split', () => {
    const enc = fileEncryptor()
    expect(() => enc.push(new Uint8Array(100), false)).toThrow(/every chunk but the last/)
    expect(() => enc.push(new Uint8Array(FILE_CHUNK_BYTES + 1), true)).toThrow(/at most/)
    enc.push(new Uint8Array(FILE_CHUNK_BYTES), false)
    expect(() => enc.push(new Uint8Array(0), true)).toThrow(/empty only for an empty file/)
    enc.push(new Uint8Array(1), true)
    expect(() => enc.push(new Uint8Array(1), true)).toThrow(/already finished/)
    const empty = fileEncryptor()
    expect(empty.push(new Uint8Array(0), true).length).toBe(17)
  })

  it('refuses a short non-final chunk and an empty FINAL after data when decrypting', () => {
    // fileEncryptor cannot make these, so libsodium is driven directly with the same AD.
    const AD = new TextEncoder().encode('candour-file-v1')
    const handMade = (sizes: Array<[number, number]>) => {
      const key = sodium.crypto_secretstream_xchacha20poly1305_keygen()
      const { state, header } = sodium.crypto_secretstream_xchacha20poly1305_init_push(key)
      const parts = sizes.map(([len, tag]) => sodium.crypto_secretstream_xchacha20poly1305_push(state, new Uint8Array(len), AD, tag))
      return { dec: fileDecryptor(key, header), parts }
    }
    const MESSAGE = sodium.crypto_secretstream_xchacha20poly1305_TAG_MESSAGE
    const FINAL = sodium.crypto_secretstream_xchacha20poly1305_TAG_FINAL
    const PUSH = sodium.crypto_secretstream_xchacha20poly1305_TAG_PUSH
    const short = handMade([[100, MESSAGE]])
    expect(() => short.dec.pull(short.parts[0])).toThrow(DAMAGED)
    const emptyFinal = handMade([
      [FILE_CHUNK_BYTES, MESSAGE],
      [0, FINAL],
    ])
    expect(emptyFinal.dec.pull(emptyFinal.parts[0]).last).toBe(false)
    expect(() => emptyFinal.dec.pull(emptyFinal.parts[1])).toThrow(DAMAGED)
    const otherTag = handMade([[FILE_CHUNK_BYTES, PUSH]])
    expect(() => otherTag.dec.pull(otherTag.parts[0])).toThrow(DAMAGED)
    const right = handMade([
      [FILE_CHUNK_BYTES, MESSAGE],
      [1, FINAL],
    ])
    expect(right.dec.pull(right.parts[0]).last).toBe(false)
    expect(right.dec.pull(right.parts[1]).last).toBe(true)

    const enc = fileEncryptor()
    const dec = fileDecryptor(enc.key, enc.header)
    expect(() => dec.pull(new Uint8Array(10))).toThrow(DAMAGED)
    expect(() => fileDecryptor(enc.key, enc.header.subarray(1))).toThrow(DAMAGED)
  })
})

describe('safeFileName', () => {
  it('keeps ordinary names', () => {
    expect(safeFileName('photo.jpg')).toBe('photo.jpg')
    expect(safeFileName('Shift rota – week 12.xlsx')).toBe('Shift rota – week 12.xlsx')
    expect(safeFileName('WhatsApp Chat with Team.zip')).toBe('WhatsApp Chat with Team.zip')
  })

  it('drops path components, control and direction characters, and leading dots', () => {
    expect(safeFileName('../../etc/passwd')).toBe('passwd')
    expect(safeFileName('C:\\Users\\pc123\\Desktop\\report.pdf')).toBe('report.pdf')
    expect(safeFileName('/var/www/')).toBe('file')
    expect(safeFileName('.htaccess')).toBe('htaccess')
    expect(safeFileName('...')).toBe('file')
    expect(safeFileName('')).toBe('file')
    expect(safeFileName('a\u0000b\nc\r\td.txt')).toBe('ab c d.txt')
    expect(safeFileName('invoice\u202Egpj.exe')).toBe('invoicegpj.exe')
    expect(safeFileName('a<b>c:d"e|f?g*h.txt')).toBe('a_b_c_d_e_f_g_h.txt')
    expect(safeFileName('CON.txt')).toBe('_CON.txt')
    expect(safeFileName('name. . ')).toBe('name')
  })

  it('caps the length at 120 characters and keeps the extension', () => {
    const long = safeFileName(`${'x'.repeat(300)}.jpeg`)
    expect(Array.from(long).length).toBe(120)
    expect(long.endsWith('.jpeg')).toBe(true)
    const emoji = safeFileName(`${'😀'.repeat(200)}.png`)
    expect(Array.from(emoji).length).toBe(120)
    expect(emoji.endsWith('.png')).toBe(true)
    expect(/[\ud800-\udfff]/u.test(emoji)).toBe(false) // no half of a split emoji
    const noExt = safeFileName('y'.repeat(500))
    expect(noExt).toBe('y'.repeat(120))
  })

  it('never returns an empty or unsafe name for random input', () => {
    const rand = seededRandom(77)
    for (let i = 0; i < 2000; i++) {
      const len = Math.floor(rand() * 300)
      const s = Array.from({ length: len }, () => String.fromCodePoint(Math.floor(rand() * 0x3000))).join('')
      const n = safeFileName(s)
      expect(n.length).toBeGreaterThan(0)
      expect(Array.from(n).length).toBeLessThanOrEqual(120)
      expect(/[/\\\u0000-\u001f\u007f\u202a-\u202e]/.test(n)).toBe(false)
      expect(n.startsWith('.')).toBe(false)
    }
  })
})
