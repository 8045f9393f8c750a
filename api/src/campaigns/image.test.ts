import { describe, expect, it } from 'vitest'
import { sniffImage } from './image.ts'
import { gifHeader, jpegHeader, pngImage, webpHeader } from './test-images.ts'

describe('sniffImage', () => {
  it.each([
    ['PNG', pngImage(600, 100), 'image/png', 600, 100],
    ['JPEG', jpegHeader(728, 90), 'image/jpeg', 728, 90],
    ['GIF', gifHeader(300, 50), 'image/gif', 300, 50],
    ['WebP (VP8X)', webpHeader(640, 120), 'image/webp', 640, 120],
    ['WebP (VP8L)', webpHeader(641, 121, 'VP8L'), 'image/webp', 641, 121],
    ['WebP (VP8)', webpHeader(642, 122, 'VP8 '), 'image/webp', 642, 122],
  ])('recognises %s and reads its size', (_name, bytes, contentType, width, height) => {
    expect(sniffImage(bytes)).toEqual({ contentType, width, height })
  })

  it.each([
    ['an SVG', Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>')],
    ['HTML', Buffer.from('<html><script>alert(1)</script></html>')],
    ['a PNG signature without a header', pngImage(10, 10).subarray(0, 12)],
    ['a JPEG without a frame', Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x02])],
    ['an empty body', Buffer.alloc(0)],
    ['a zero-width GIF', gifHeader(0, 10)],
  ])('refuses %s', (_name, bytes) => {
    expect(sniffImage(bytes)).toBeUndefined()
  })
})
