import { createReadStream, createWriteStream } from 'node:fs'
import { mkdir, rm } from 'node:fs/promises'
import { dirname } from 'node:path'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import type { Config } from '../config.ts'
import { ApiError } from '../http/errors.ts'

/**
 * Uploaded CSV files live on disk under DATA_DIR/imports until the import is applied or
 * abandoned: a million-row file never has to fit in memory or in a database value.
 */
export function importFilePath(config: Config, workspaceId: string, importId: string): string {
  return `${config.dataDir}/imports/${workspaceId}/${importId}.csv`
}

export const MAX_UPLOAD_BYTES = 256 * 1024 * 1024
const HEAD_BYTES = 64 * 1024

/** Streams the body to `path`, refusing more than the limit; returns its size and first bytes. */
export async function saveUpload(
  body: ReadableStream<Uint8Array>,
  path: string,
  maxBytes = MAX_UPLOAD_BYTES,
) {
  await mkdir(dirname(path), { recursive: true })
  let size = 0
  const headChunks: Uint8Array[] = []
  let headSize = 0
  const counted = Readable.fromWeb(body as any).map((chunk: Uint8Array) => {
    size += chunk.length
    if (size > maxBytes) {
      throw new ApiError(
        'payload_too_large',
        `The file is larger than ${maxBytes / 1024 / 1024} MiB.`,
        'file',
      )
    }
    if (headSize < HEAD_BYTES) {
      headChunks.push(chunk.subarray(0, HEAD_BYTES - headSize))
      headSize += Math.min(chunk.length, HEAD_BYTES - headSize)
    }
    return chunk
  })
  try {
    await pipeline(counted, createWriteStream(path))
  } catch (error) {
    await rm(path, { force: true })
    throw error
  }
  const head = new Uint8Array(headSize)
  let offset = 0
  for (const chunk of headChunks) {
    head.set(chunk, offset)
    offset += chunk.length
  }
  return { size, head }
}

/** The file in 64 KiB chunks: each is parsed at once, so this is how many records wait at most. */
export function readImportFile(path: string): AsyncIterable<Uint8Array> {
  return createReadStream(path, { highWaterMark: 64 * 1024 })
}

export function removeImportFile(path: string) {
  return rm(path, { force: true })
}
