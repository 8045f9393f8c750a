export type CsvEncoding = 'utf-8' | 'utf-8-bom' | 'windows-1252'

const BOM = [0xef, 0xbb, 0xbf]

/**
 * UTF-8 with or without BOM, or Windows-1252 (what Excel writes on German Windows). A file that is
 * not valid UTF-8 in its first bytes is taken as Windows-1252, which can decode any byte.
 */
export function detectEncoding(head: Uint8Array): CsvEncoding {
  if (BOM.every((b, i) => head[i] === b)) return 'utf-8-bom'
  // Cut a multi-byte sequence the sample may end inside, so it does not look invalid.
  let end = head.length
  for (let back = 1; back <= 3 && end - back >= 0; back++) {
    const byte = head[end - back]!
    if ((byte & 0xc0) === 0xc0) {
      end -= back
      break
    }
    if ((byte & 0x80) === 0) break
  }
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(head.subarray(0, end))
    return 'utf-8'
  } catch {
    return 'windows-1252'
  }
}

/** A streaming decoder for the encoding; drops the BOM. */
export function createDecoder(encoding: CsvEncoding): TextDecoder {
  return new TextDecoder(encoding === 'windows-1252' ? 'windows-1252' : 'utf-8', { ignoreBOM: false })
}
