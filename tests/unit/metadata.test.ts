import { describe, it, expect } from 'vitest'
import fc from 'fast-check'
import jpeg from 'jpeg-js'
import { PNG } from 'pngjs'
import { zipSync, strToU8 } from 'fflate'
// @ts-expect-error piexifjs ships no types; the few calls used here are typed below
import piexifUntyped from 'piexifjs'
import { stripMetadata, isActiveContent, sniffType, DAMAGED_PICTURE, type Stripped } from '../../common/metadata/index'
import { fileNoteMessage, hiddenMessage } from '../../common/metadata/hidden'
import { sayWith } from '../../common/i18n/message'
import { i18nService } from '../../server/i18n.server'
import { crc32 } from '../../common/metadata/png'

const i18n = i18nService()
/** The warning a page shows beside the file, in one language; undefined when there is none. */
const warningOf = (s: Stripped, lang = 'en') => {
  const m = hiddenMessage(s.hidden)
  return m && sayWith(i18n.translatorFor(lang), m)
}

type ExifDict = Record<'0th' | 'Exif' | 'GPS' | 'Interop' | '1st', Record<number, unknown>> & { thumbnail: string | null }
const piexif = piexifUntyped as {
  load(jpegBinary: string): ExifDict
  dump(dict: Partial<ExifDict>): string
  insert(exifBinary: string, jpegBinary: string): string
  ImageIFD: Record<string, number>
  ExifIFD: Record<string, number>
  GPSIFD: Record<string, number>
}

const bin = (b: Uint8Array) => Buffer.from(b).toString('latin1')
const fromBin = (s: string) => new Uint8Array(Buffer.from(s, 'latin1'))
const cat = (...parts: Array<Uint8Array | number[]>) => new Uint8Array(Buffer.concat(parts.map((p) => Buffer.from(p))))
const ascii = (s: string) => [...Buffer.from(s, 'latin1')]
const contains = (b: Uint8Array, s: string) => Buffer.from(b).includes(Buffer.from(s, 'latin1'))
const eq = (a: Uint8Array, b: Uint8Array) => Buffer.from(a).equals(Buffer.from(b))

function gradient(width: number, height: number): Buffer {
  const data = Buffer.alloc(width * height * 4)
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 4
      data[i] = (x * 255) / width
      data[i + 1] = (y * 255) / height
      data[i + 2] = ((x + y) * 7) & 0xff
      data[i + 3] = 255
    }
  return data
}

/** An APPn or COM segment with the given payload. */
const segment = (marker: number, payload: number[]) => [0xff, marker, (payload.length + 2) >> 8, (payload.length + 2) & 0xff, ...payload]

/** Everything a decoder uses (non-APPn, non-COM segments and scan data), found by a separate walk. */
function decodeParts(b: Uint8Array): string[] {
  const parts: string[] = []
  let i = 2
  while (i < b.length) {
    const m = b[i + 1]
    if (m === 0xd9) break
    const len = (b[i + 2] << 8) | b[i + 3]
    const seg = b.subarray(i, i + 2 + len)
    i += 2 + len
    if (m === 0xda) {
      let j = i
      while (!(b[j] === 0xff && b[j + 1] !== 0 && !(b[j + 1] >= 0xd0 && b[j + 1] <= 0xd7))) j++
      parts.push(Buffer.from(seg).toString('hex') + Buffer.from(b.subarray(i, j)).toString('hex'))
      i = j
    } else if (!((m >= 0xe0 && m <= 0xef) || m === 0xfe)) parts.push(Buffer.from(seg).toString('hex'))
  }
  return parts
}

function sampleJpeg(width = 48, height = 32): Uint8Array {
  const enc = jpeg.encode({ width, height, data: gradient(width, height), comments: ['secret comment: PC 1234'] }, 90)
  return new Uint8Array(enc.data)
}

function jpegWithEverything(orientation: number | null): Uint8Array {
  const zeroth: Record<number, unknown> = {
    [piexif.ImageIFD.Make]: 'Acme PhoneCam',
    [piexif.ImageIFD.Model]: 'XPZ-999',
    [piexif.ImageIFD.Software]: 'CamFirmware 1.2',
  }
  if (orientation !== null) zeroth[piexif.ImageIFD.Orientation] = orientation
  const exif = piexif.dump({
    '0th': zeroth,
    Exif: { [piexif.ExifIFD.DateTimeOriginal]: '2024:03:12 21:15:03', [piexif.ExifIFD.BodySerialNumber]: 'SN-778899' },
    GPS: {
      [piexif.GPSIFD.GPSLatitudeRef]: 'N',
      [piexif.GPSIFD.GPSLatitude]: [
        [51, 1],
        [30, 1],
        [1234, 100],
      ],
      [piexif.GPSIFD.GPSLongitudeRef]: 'W',
      [piexif.GPSIFD.GPSLongitude]: [
        [0, 1],
        [7, 1],
        [3900, 100],
      ],
    },
  })
  const withExif = fromBin(piexif.insert(exif, bin(sampleJpeg())))
  const xmp = segment(0xe1, ascii('http://ns.adobe.com/xap/1.0/\0<x:xmpmeta><photoshop:City>Leeds</photoshop:City></x:xmpmeta>'))
  const iptc = segment(0xed, ascii('Photoshop 3.0\x008BIM\x04\x04\0\0\0\0\0\x10\x1c\x02\x50\0\x0bByline Name'))
  const icc = segment(0xe2, ascii('ICC_PROFILE\0\x01\x01fake-profile-bytes'))
  const adobe = segment(0xee, ascii('Adobe\0\x64\0\0\0\0\x01'))
  const mpf = segment(0xe2, ascii('MPF\0II*\0MakerStuff'))
  const ducky = segment(0xec, ascii('Ducky\0\x01\0\x04\0\0\0\x50'))
  // after SOI and the Exif APP1 piexif put there, before the rest
  const exifLen = (withExif[4] << 8) | withExif[5]
  const cut = withExif.findIndex((_, i) => i > 2 && withExif[i] === 0xff && withExif[i + 1] === 0xdb)
  expect(exifLen).toBeGreaterThan(0)
  return cat(withExif.subarray(0, cut), xmp, iptc, icc, adobe, mpf, ducky, withExif.subarray(cut), ascii('TRAILER with GPS 51.5N'))
}

describe('JPEG', () => {
  it('removes GPS, device, XMP, IPTC and comments; keeps pixels, scan data and orientation', () => {
    const original = jpegWithEverything(6)
    const before = piexif.load(bin(original))
    expect(Object.keys(before.GPS).length).toBeGreaterThan(0)
    expect(before['0th'][piexif.ImageIFD.Make]).toBe('Acme PhoneCam')

    const out = stripMetadata(original, 'image/jpeg')
    expect(out).toMatchObject({ kind: 'image', removed: true, detected: 'image/jpeg' })
    expect(warningOf(out)).toBeUndefined()
    const after = piexif.load(bin(out.bytes))
    expect(after.GPS).toEqual({})
    expect(after.Exif).toEqual({})
    expect(after['1st']).toEqual({})
    expect(after['0th']).toEqual({ [piexif.ImageIFD.Orientation]: 6 })
    for (const s of [
      'Acme',
      'XPZ-999',
      'CamFirmware',
      'SN-778899',
      '2024:03:12',
      'GPS',
      'Leeds',
      'xmpmeta',
      'Byline',
      'Photoshop',
      'secret comment',
      'MPF',
      'Ducky',
      'TRAILER',
    ])
      expect(contains(out.bytes, s), s).toBe(false)
    expect(contains(out.bytes, 'ICC_PROFILE')).toBe(true)
    expect(contains(out.bytes, 'Adobe')).toBe(true)
    expect(contains(out.bytes, 'JFIF')).toBe(true)

    const a = jpeg.decode(original, { useTArray: true })
    const b = jpeg.decode(out.bytes, { useTArray: true })
    expect([b.width, b.height]).toEqual([a.width, a.height])
    expect(eq(a.data, b.data)).toBe(true)
    expect(decodeParts(out.bytes)).toEqual(decodeParts(original))
    expect(out.bytes.subarray(-2)).toEqual(new Uint8Array([0xff, 0xd9]))
  })

  it('writes no Exif at all when the photo was already upright or had no orientation', () => {
    for (const o of [1, null]) {
      const out = stripMetadata(jpegWithEverything(o), 'image/jpeg')
      expect(contains(out.bytes, 'Exif')).toBe(false)
      expect(piexif.load(bin(out.bytes))['0th']).toEqual({})
    }
  })

  it('keeps every orientation value', () => {
    for (let o = 2; o <= 8; o++) {
      const out = stripMetadata(jpegWithEverything(o), 'image/heic') // an iPhone's HEIC sent as JPEG
      expect(out.kind).toBe('image')
      expect(piexif.load(bin(out.bytes))['0th']).toEqual({ [piexif.ImageIFD.Orientation]: o })
    }
  })

  it('drops a JFIF thumbnail (it can show what a crop removed)', () => {
    const plain = sampleJpeg()
    const jfifEnd = 4 + ((plain[4] << 8) | plain[5])
    const thumb = segment(0xe0, [...ascii('JFIF\0'), 1, 1, 0, 0, 1, 0, 1, 2, 1, 255, 0, 0, 0, 255, 0])
    const withThumb = cat(plain.subarray(0, 2), thumb, plain.subarray(jfifEnd))
    const out = stripMetadata(withThumb, 'image/jpeg')
    expect(out.removed).toBe(true)
    const len = (out.bytes[4] << 8) | out.bytes[5]
    expect(len).toBe(16)
    expect([out.bytes[18], out.bytes[19]]).toEqual([0, 0]) // thumbnail width and height
    expect(eq(jpeg.decode(out.bytes, { useTArray: true }).data, jpeg.decode(withThumb, { useTArray: true }).data)).toBe(true)
  })

  it('is idempotent, and says nothing was removed from a clean picture', () => {
    const once = stripMetadata(jpegWithEverything(3), 'image/jpeg')
    const twice = stripMetadata(once.bytes, 'image/jpeg')
    expect(twice.removed).toBe(false)
    expect(eq(twice.bytes, once.bytes)).toBe(true)
  })

  it('refuses damaged JPEGs with a plain message', () => {
    const good = jpegWithEverything(6)
    const broken = [
      good.subarray(0, good.length - 40 - 22), // cut inside the scan
      good.subarray(0, 300), // cut inside a header segment
      cat(good.subarray(0, 2), [0xff, 0xda, 0, 2], good.subarray(2)), // scan before any frame
      cat(good.subarray(0, 2), [0xff, 0xc0, 0xff, 0xff], good.subarray(2)), // length past the end
      cat(good.subarray(0, 20), [0x00], good.subarray(20)), // a stray byte where a marker belongs (after JFIF)
      new Uint8Array([0xff, 0xd8, 0xff, 0xd9]), // no image at all
    ]
    for (const b of broken) expect(() => stripMetadata(b, 'image/jpeg')).toThrow(DAMAGED_PICTURE)
  })
})

function pngChunk(type: string, data: number[] | Uint8Array): Uint8Array {
  const body = cat(ascii(type), data)
  const out = Buffer.alloc(12 + body.length - 4)
  out.writeUInt32BE(body.length - 4, 0)
  Buffer.from(body).copy(out, 4)
  out.writeUInt32BE(crc32(body), 8 + body.length - 4)
  return new Uint8Array(out)
}

function pngChunks(b: Uint8Array): Array<{ type: string; data: Buffer; crcOk: boolean }> {
  const buf = Buffer.from(b)
  const out = []
  for (let i = 8; i < buf.length;) {
    const len = buf.readUInt32BE(i)
    const type = buf.toString('latin1', i + 4, i + 8)
    out.push({ type, data: buf.subarray(i + 8, i + 8 + len), crcOk: crc32(buf.subarray(i + 4, i + 8 + len)) === buf.readUInt32BE(i + 8 + len) })
    i += 12 + len
    if (type === 'IEND') break
  }
  return out
}

function samplePng(): { png: Uint8Array; pixels: Buffer } {
  const img = new PNG({ width: 20, height: 12 })
  const pixels = gradient(20, 12)
  pixels.copy(img.data)
  const clean = new Uint8Array(PNG.sync.write(img))
  const text = (k: string, v: string) => pngChunk('tEXt', ascii(`${k}\0${v}`))
  const png = cat(
    clean.subarray(0, 33), // signature + IHDR
    pngChunk('gAMA', [0, 0, 0xb1, 0x8f]),
    pngChunk('pHYs', [0, 0, 0x0b, 0x13, 0, 0, 0x0b, 0x13, 1]),
    text('Author', 'PC Jane Doe'),
    text('Software', 'Force Screenshot Tool 3.1'),
    pngChunk('zTXt', ascii('Comment\0\0x\x9c\x03\0\0\0\0\x01')),
    pngChunk('iTXt', ascii('XML:com.adobe.xmp\0\0\0\0\0<x:xmpmeta><exif:GPSLatitude>51,30.2N</exif:GPSLatitude></x:xmpmeta>')),
    pngChunk('eXIf', ascii('MM\0*\0\0\0\x08GPS-and-device')),
    pngChunk('tIME', [0x07, 0xe8, 3, 12, 21, 15, 3]),
    pngChunk('iDOT', [0, 0, 0, 2]),
    clean.subarray(33),
    ascii('after IEND: Author PC Jane Doe'),
  )
  return { png, pixels }
}

describe('PNG', () => {
  it('removes text, eXIf and time chunks; keeps pixels, colour chunks and valid CRCs', () => {
    const { png, pixels } = samplePng()
    const out = stripMetadata(png, 'image/png')
    expect(out).toMatchObject({ kind: 'image', removed: true, detected: 'image/png' })
    const chunks = pngChunks(out.bytes)
    expect(chunks.map((c) => c.type)).toEqual(['IHDR', 'gAMA', 'pHYs', 'IDAT', 'IEND'])
    expect(chunks.every((c) => c.crcOk)).toBe(true)
    for (const s of ['Jane Doe', 'Force Screenshot', 'xmpmeta', 'GPS', 'tEXt', 'iTXt', 'zTXt', 'eXIf', 'tIME', 'iDOT'])
      expect(contains(out.bytes, s), s).toBe(false)
    expect(PNG.sync.read(Buffer.from(out.bytes)).data.equals(pixels)).toBe(true)
    const idat = (b: Uint8Array) =>
      pngChunks(b)
        .filter((c) => c.type === 'IDAT')
        .map((c) => c.data.toString('hex'))
    expect(idat(out.bytes)).toEqual(idat(png))
    expect(stripMetadata(out.bytes, 'image/png')).toMatchObject({ removed: false })
  })

  it('refuses damaged PNGs', () => {
    const { png } = samplePng()
    const badCrc = png.slice()
    const idatAt = Buffer.from(png).indexOf('IDAT')
    badCrc[idatAt + 6] ^= 0xff
    for (const b of [badCrc, png.subarray(0, idatAt + 10), png.subarray(0, 40), cat(png.subarray(0, 8), pngChunk('tEXt', ascii('a\0b')), png.subarray(8))])
      expect(() => stripMetadata(b, 'image/png')).toThrow(DAMAGED_PICTURE)
  })
})

/** A RIFF chunk, padded to even length as WebP requires. */
function riffChunk(type: string, payload: number[]): number[] {
  const size = payload.length
  return [...ascii(type), size & 0xff, (size >> 8) & 0xff, 0, 0, ...payload, ...(size & 1 ? [0] : [])]
}
const riff = (...chunks: number[][]) => {
  const body = [...ascii('WEBP'), ...chunks.flat()]
  return new Uint8Array([...ascii('RIFF'), body.length & 0xff, (body.length >> 8) & 0xff, 0, 0, ...body])
}
// A 1×1 lossless bitstream; the stripper never looks inside it, only at the chunks around it.
const VP8L = [0x2f, 0, 0, 0, 0x10, 0x07, 0x10, 0x11, 0x11, 0x88, 0x88, 0xfe, 0x07]

describe('WebP', () => {
  it('drops EXIF and XMP chunks, clears their VP8X flags and fixes the RIFF size', () => {
    const exif = ascii(piexif.dump({ '0th': { [piexif.ImageIFD.Make]: 'Acme PhoneCam' }, GPS: { [piexif.GPSIFD.GPSLatitudeRef]: 'N' } }).slice(6))
    const vp8x = [0x20 | 0x08 | 0x04, 0, 0, 0, 0, 0, 0, 0, 0, 0] // ICC + EXIF + XMP, 1×1 canvas
    const webp = riff(
      riffChunk('VP8X', vp8x),
      riffChunk('ICCP', ascii('fake-icc')),
      riffChunk('VP8L', VP8L),
      riffChunk('EXIF', exif),
      riffChunk('XMP ', ascii('<x:xmpmeta>Leeds</x:xmpmeta>')),
      riffChunk('ABCD', ascii('unknown')),
    )
    const out = stripMetadata(webp, 'image/webp')
    expect(out).toMatchObject({ kind: 'image', removed: true, detected: 'image/webp' })
    const expected = riff(riffChunk('VP8X', [0x20, ...vp8x.slice(1)]), riffChunk('ICCP', ascii('fake-icc')), riffChunk('VP8L', VP8L))
    expect(Buffer.from(out.bytes).toString('hex')).toBe(Buffer.from(expected).toString('hex'))
    expect(Buffer.from(out.bytes).readUInt32LE(4)).toBe(out.bytes.length - 8)
    for (const s of ['Acme', 'Leeds', 'EXIF', 'XMP', 'ABCD']) expect(contains(out.bytes, s), s).toBe(false)
  })

  it('leaves a simple lossless WebP alone, and refuses a truncated one', () => {
    const simple = riff(riffChunk('VP8L', VP8L))
    const out = stripMetadata(simple, 'image/webp')
    expect(out.removed).toBe(false)
    expect(eq(out.bytes, simple)).toBe(true)
    expect(() => stripMetadata(simple.subarray(0, simple.length - 4), 'image/webp')).toThrow(DAMAGED_PICTURE)
    expect(() => stripMetadata(riff(riffChunk('EXIF', ascii('x'))), 'image/webp')).toThrow(DAMAGED_PICTURE)
  })
})

describe('files whose hidden data cannot be removed', () => {
  const ftyp = (major: string, ...compat: string[]) => {
    const box = [...ascii('ftyp'), ...ascii(major), 0, 0, 0, 0, ...compat.flatMap(ascii)]
    return new Uint8Array([0, 0, 0, box.length + 4, ...box, ...new Array(64).fill(0)])
  }
  const docx = zipSync({
    '[Content_Types].xml': strToU8('<Types/>'),
    'word/document.xml': strToU8('<w:document/>'),
    'docProps/core.xml': strToU8('<dc:creator>PC Jane Doe</dc:creator>'),
  })
  const cases: Array<[string, Uint8Array, string, RegExp | null]> = [
    ['heic', ftyp('heic', 'mif1', 'heic'), 'image/heic', /HEIC photos can carry the place .* Candour cannot remove/],
    ['heic (mif1)', ftyp('mif1', 'heic'), 'image/heic', /HEIC/],
    ['mp4', ftyp('isom', 'iso2', 'mp41'), 'video/mp4', /^Videos can carry the place they were recorded/],
    ['mov', ftyp('qt  '), 'video/quicktime', /^Videos/],
    [
      'pdf',
      new Uint8Array(ascii('%PDF-1.7\n%\xe2\xe3\n1 0 obj <</Author (PC Jane Doe)>>')),
      'application/pdf',
      /^PDFs can carry the author's name and the software used\. Candour cannot remove it\.$/,
    ],
    ['docx', docx, 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', /^Office documents can carry the author's name/],
    ['zip', zipSync({ 'a.txt': strToU8('hi') }), 'application/zip', /^Zip files/],
    ['gif', new Uint8Array(ascii('GIF89a\x01\0\x01\0')), 'image/gif', /GIF/],
    ['ogg', new Uint8Array(ascii('OggS\0\x02')), 'audio/ogg', /^Audio files/],
    ['text', new Uint8Array(Buffer.from('Shift notes — Tuesday\nAll fine.\n')), 'text/plain', null],
    ['random', new Uint8Array([0x00, 0x13, 0x37, 0xfe, 0x80, 0x00, 0x01]), 'application/octet-stream', /could not tell what kind of file/],
  ]
  for (const [name, bytes, type, warning] of cases)
    it(`returns ${name} unchanged${warning ? ' with a warning' : ''}`, () => {
      const out = stripMetadata(bytes, 'application/octet-stream')
      expect(sniffType(bytes)).toBe(type)
      expect(out).toMatchObject({ kind: 'other', removed: false, detected: type })
      expect(out.bytes).toBe(bytes)
      if (warning) expect(warningOf(out)).toMatch(warning)
      else expect(warningOf(out)).toBeUndefined()
    })

  it('trusts the bytes, not the declared type, and says so when they disagree', () => {
    const pdf = new Uint8Array(ascii('%PDF-1.4\n'))
    const out = stripMetadata(pdf, 'image/jpeg')
    expect(out.detected).toBe('application/pdf')
    expect(warningOf(out)).toMatch(/^This file says it is a picture but is really a PDF\. PDFs can carry/)
    expect(stripMetadata(sampleJpeg(), 'application/pdf').kind).toBe('image')
  })

  it('gives codes, not words, and the page says them in Welsh', () => {
    const pdf = stripMetadata(new Uint8Array(ascii('%PDF-1.4\n')), 'image/jpeg')
    expect(pdf.hidden).toEqual({ family: 'pdf', notPicture: true })
    expect(warningOf(pdf, 'cy')).toBe(
      "Mae'r ffeil hon yn dweud mai llun yw hi, ond PDF yw hi mewn gwirionedd. Gall ffeiliau PDF gario enw'r awdur a'r feddalwedd a ddefnyddiwyd. Ni all Candour dynnu hynny.",
    )
    const heic = stripMetadata(new Uint8Array([0, 0, 0, 24, ...ascii('ftypheic'), 0, 0, 0, 0, ...ascii('mif1heic'), ...new Array(64).fill(0)]), 'image/heic')
    expect(heic.hidden).toEqual({ family: 'heic' })
    expect(warningOf(heic, 'cy')).toMatch(/^Gall lluniau HEIC gario'r man lle cawsant eu tynnu/)
    const text = stripMetadata(new Uint8Array(Buffer.from('just words')), 'image/png')
    expect(warningOf(text, 'cy')).toBe("Mae'r ffeil hon yn dweud mai llun yw hi, ond rhywbeth arall yw hi mewn gwirionedd.")
    expect(stripMetadata(new Uint8Array(Buffer.from('just words')), 'text/plain').hidden).toBeUndefined()
    const say = (lang: string, note: Parameters<typeof fileNoteMessage>[0]) => sayWith(i18n.translatorFor(lang), fileNoteMessage(note))
    expect(say('cy', { removed: true })).toBe("Manylion y lleoliad a'r ddyfais wedi'u tynnu")
    expect(say('cy', { nothingHidden: true })).toBe("Nid yw'r math hwn o ffeil yn cario manylion cudd.")
    expect(say('en', { hidden: { family: 'zip' } })).toMatch(/^Zip files can hold other files/)
  })
})

describe('isActiveContent', () => {
  const enc = (s: string) => new Uint8Array(Buffer.from(s))
  it('spots HTML, SVG, XML and script whatever the file claims to be', () => {
    const active = [
      '<!DOCTYPE html><p>hi',
      '<html><body>x</body></html>',
      '  \n\t<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
      '\ufeff<?xml version="1.0"?><svg/>',
      '<?xml version="1.0"?><note/>',
      'GIF89a junk <script>alert(1)</script>',
      'hello <img src=x onerror=alert(1)>',
      '<a href="javascript:alert(1)">x</a>',
      '<b>bold</b>',
    ]
    for (const s of active) expect(isActiveContent(enc(s)), s).toBe(true)
    const utf16 = new Uint8Array([0xff, 0xfe, ...Buffer.from('<svg onload=alert(1)>', 'utf16le')])
    expect(isActiveContent(utf16)).toBe(true)
    expect(isActiveContent(new Uint8Array(Buffer.from('<html>', 'utf16le')))).toBe(true)
    expect(sniffType(enc('<svg><script/></svg>'))).toBe('image/svg+xml')
    const svg = stripMetadata(enc('<svg onload="alert(1)"/>'), 'image/png')
    expect(svg).toMatchObject({ kind: 'other', detected: 'image/svg+xml' })
    expect(warningOf(svg)).toMatch(/really a web page or drawing.*will not see it in the portal/)
  })

  it('leaves pictures, PDFs and plain text alone', () => {
    const out = stripMetadata(jpegWithEverything(6), 'image/jpeg').bytes
    for (const b of [out, samplePng().png, enc('3 < 4 and 5 > 2\nfine'), enc('%PDF-1.7'), new Uint8Array(0)]) expect(isActiveContent(b)).toBe(false)
  })
})

describe('fuzzing: every input returns or throws an Error, quickly', () => {
  const valid = [
    jpegWithEverything(6),
    samplePng().png,
    riff(riffChunk('VP8X', [0x0c, 0, 0, 0, 0, 0, 0, 0, 0, 0]), riffChunk('VP8L', VP8L), riffChunk('EXIF', ascii('MM\0*'))),
  ]
  const prefixes = [[0xff, 0xd8, 0xff], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], [...ascii('RIFF'), 0xff, 0xff, 0, 0, ...ascii('WEBP')], []]

  function check(bytes: Uint8Array): void {
    const started = performance.now()
    try {
      const out = stripMetadata(bytes, 'image/jpeg')
      // whatever came out must itself be clean and stable
      if (out.kind === 'image') expect(eq(stripMetadata(out.bytes, 'image/jpeg').bytes, out.bytes)).toBe(true)
    } catch (e) {
      expect(e).toBeInstanceOf(Error)
      expect((e as Error).message).toBe(DAMAGED_PICTURE)
    }
    isActiveContent(bytes)
    expect(performance.now() - started).toBeLessThan(500)
  }

  it('random bytes behind each magic number', () => {
    fc.assert(
      fc.property(fc.constantFrom(...prefixes), fc.uint8Array({ maxLength: 2048 }), (prefix, tail) => check(cat(prefix, tail))),
      { numRuns: 1500, seed: 5 },
    )
  })

  it('random mutations, truncations and insertions of valid files', () => {
    const mutation = fc.record({
      file: fc.nat(valid.length - 1),
      flips: fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 8 }),
      cut: fc.option(fc.nat()),
      insert: fc.option(fc.tuple(fc.nat(), fc.uint8Array({ minLength: 1, maxLength: 16 }))),
    })
    fc.assert(
      fc.property(mutation, ({ file, flips, cut, insert }) => {
        let b = valid[file].slice()
        for (const [at, v] of flips) b[at % b.length] = v
        if (insert) {
          const at = insert[0] % b.length
          b = cat(b.subarray(0, at), insert[1], b.subarray(at))
        }
        if (cut !== null) b = b.subarray(0, cut % (b.length + 1))
        check(b)
      }),
      { numRuns: 1500, seed: 6 },
    )
  })
})
