// SHA-256 of a population file: the same file imported again into the same round is recognised
// by it and changes nothing. Uploads are hashed while they are written to disk, so the browser
// path never reads the file twice for this.
import { createHash, type Hash } from 'node:crypto'
import { createReadStream, createWriteStream } from 'node:fs'
import { rm } from 'node:fs/promises'
import { Transform, type Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'

export async function hashFile(path: string): Promise<string> {
  const hash = createHash('sha256')
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer)
  return hash.digest('hex')
}

/** Streams `source` into the file at `path`, returning the bytes written and their SHA-256. */
export async function saveAndHash(
  source: Readable,
  path: string,
  onBytes?: (bytes: number) => void,
): Promise<{ bytes: number; sha256: string }> {
  const hash: Hash = createHash('sha256')
  let bytes = 0
  const tap = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk)
      bytes += chunk.length
      onBytes?.(bytes)
      done(null, chunk)
    },
  })
  try {
    await pipeline(source, tap, createWriteStream(path, { flags: 'wx', mode: 0o600 }))
  } catch (err) {
    // An upload cut off part way (or a full disk) leaves no partial file behind.
    await rm(path, { force: true })
    throw err
  }
  return { bytes, sha256: hash.digest('hex') }
}
