/**
 * Banner images are recognised by their first bytes, never by file name or Content-Type, and
 * their dimensions are read from the format's own header (no image library needed for four
 * well-documented formats).
 */
export type BannerContentType = 'image/png' | 'image/jpeg' | 'image/gif' | 'image/webp'

export interface ImageInfo {
  contentType: BannerContentType
  width: number
  height: number
}

const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]

function startsWith(bytes: Uint8Array, prefix: number[], at = 0) {
  return prefix.every((b, i) => bytes[at + i] === b)
}

const ascii = (bytes: Uint8Array, from: number, to: number) =>
  String.fromCharCode(...bytes.subarray(from, to))

function png(b: Buffer): ImageInfo | undefined {
  if (b.length < 24 || !startsWith(b, PNG) || ascii(b, 12, 16) !== 'IHDR') return undefined
  return { contentType: 'image/png', width: b.readUInt32BE(16), height: b.readUInt32BE(20) }
}

function gif(b: Buffer): ImageInfo | undefined {
  if (b.length < 10 || !/^GIF8[79]a$/.test(ascii(b, 0, 6))) return undefined
  return { contentType: 'image/gif', width: b.readUInt16LE(6), height: b.readUInt16LE(8) }
}

function jpeg(b: Buffer): ImageInfo | undefined {
  if (b.length < 4 || !startsWith(b, [0xff, 0xd8, 0xff])) return undefined
  let at = 2
  // Walk the segments up to the first start-of-frame, which holds the dimensions.
  while (at + 9 < b.length) {
    if (b[at] !== 0xff) return undefined
    const marker = b[at + 1]!
    if (marker === 0xff) {
      at += 1
      continue
    }
    if (marker === 0xd8 || (marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) {
      at += 2
      continue
    }
    const length = b.readUInt16BE(at + 2)
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      return { contentType: 'image/jpeg', height: b.readUInt16BE(at + 5), width: b.readUInt16BE(at + 7) }
    }
    if (length < 2) return undefined
    at += 2 + length
  }
  return undefined
}

function webp(b: Buffer): ImageInfo | undefined {
  if (b.length < 30 || ascii(b, 0, 4) !== 'RIFF' || ascii(b, 8, 12) !== 'WEBP') return undefined
  const chunk = ascii(b, 12, 16)
  if (chunk === 'VP8 ' && startsWith(b, [0x9d, 0x01, 0x2a], 23)) {
    return {
      contentType: 'image/webp',
      width: b.readUInt16LE(26) & 0x3fff,
      height: b.readUInt16LE(28) & 0x3fff,
    }
  }
  if (chunk === 'VP8L' && b[20] === 0x2f) {
    const bits = b.readUInt32LE(21)
    return { contentType: 'image/webp', width: (bits & 0x3fff) + 1, height: ((bits >> 14) & 0x3fff) + 1 }
  }
  if (chunk === 'VP8X') {
    return { contentType: 'image/webp', width: b.readUIntLE(24, 3) + 1, height: b.readUIntLE(27, 3) + 1 }
  }
  return undefined
}

/** The image's type and size, or undefined when the bytes are not a PNG, JPEG, GIF or WebP. */
export function sniffImage(bytes: Buffer): ImageInfo | undefined {
  const info = png(bytes) ?? gif(bytes) ?? jpeg(bytes) ?? webp(bytes)
  if (!info || info.width < 1 || info.height < 1) return undefined
  return info
}
