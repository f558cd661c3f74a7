/**
 * A Microsoft cabinet (.cab, [MS-CAB]) holding the files of an MSI: one
 * folder, MSZIP-compressed in 32 KiB blocks, each block a complete deflate
 * stream ([MS-MCI] 2.1: "CK" then the deflated block), entries dated with the
 * build's time, every block checksummed. Written the same way
 * everywhere: byte-reproducible.
 */
import * as fs from 'node:fs'
import * as path from 'node:path'
import * as zlib from 'node:zlib'

export interface CabFile {
  /** The name inside the cabinet (an MSI File table key). */
  readonly name: string
  readonly source: string
}

/** Uncompressed bytes per CFDATA block (the MSZIP maximum). */
export const BLOCK = 32768

/** The MS-DOS date and time of `seconds` (UTC), as a CFFILE holds them. */
export function dosDateTime(seconds: number): { date: number; time: number } {
  const d = new Date(Math.max(seconds, 315532800) * 1000)
  return {
    date: ((d.getUTCFullYear() - 1980) << 9) | ((d.getUTCMonth() + 1) << 5) | d.getUTCDate(),
    time: (d.getUTCHours() << 11) | (d.getUTCMinutes() << 5) | Math.floor(d.getUTCSeconds() / 2)
  }
}

/**
 * The CFDATA checksum ([MS-CAB] 2.5): the data XORed as little-endian 32-bit
 * words (a last partial word taken most significant byte first), starting
 * from `seed`.
 */
export function cabChecksum(data: Buffer, seed = 0): number {
  let sum = seed
  const whole = data.length & ~3
  for (let i = 0; i < whole; i += 4) sum ^= data.readUInt32LE(i)
  let last = 0
  for (let i = whole; i < data.length; i++) last = (last << 8) | data[i]
  return (sum ^ last) >>> 0
}

/** One CFDATA block: checksum, compressed size, uncompressed size, then "CK" and the deflated bytes. */
export function dataBlock(chunk: Buffer, level: number): Buffer {
  const body = Buffer.concat([Buffer.from('CK', 'ascii'), zlib.deflateRawSync(chunk, { level })])
  const head = Buffer.alloc(8)
  head.writeUInt16LE(body.length, 4)
  head.writeUInt16LE(chunk.length, 6)
  head.writeUInt32LE(cabChecksum(head.subarray(4, 8), cabChecksum(body)), 0)
  return Buffer.concat([head, body])
}

/** Writes the cabinet; `work` holds the compressed blocks while the header's sizes are not known. */
export function writeCab(cab: string, files: readonly CabFile[], mtime: number, work: string, level = 6): void {
  if (files.length > 0xffff) throw new Error(`a cabinet holds at most 65535 files, and there are ${files.length}`)
  fs.mkdirSync(work, { recursive: true })
  const blocksFile = path.join(work, `${path.basename(cab)}.blocks`)
  const blocks = fs.openSync(blocksFile, 'w')
  let count = 0
  let blocksSize = 0
  let pending = Buffer.alloc(0)
  const flush = (all: boolean): void => {
    while (pending.length >= BLOCK || (all && pending.length > 0)) {
      const block = dataBlock(pending.subarray(0, BLOCK), level)
      fs.writeSync(blocks, block)
      blocksSize += block.length
      count += 1
      pending = pending.subarray(Math.min(BLOCK, pending.length))
    }
  }
  const sizes: number[] = []
  try {
    const buf = Buffer.alloc(1 << 20)
    for (const f of files) {
      const fd = fs.openSync(f.source, 'r')
      let size = 0
      try {
        for (let n; (n = fs.readSync(fd, buf, 0, buf.length, null)) > 0;) {
          size += n
          pending = Buffer.concat([pending, buf.subarray(0, n)])
          flush(false)
        }
      } finally {
        fs.closeSync(fd)
      }
      sizes.push(size)
    }
    flush(true)
  } finally {
    fs.closeSync(blocks)
  }
  if (count > 0xffff) throw new Error(`the files need ${count} blocks of 32 KiB, more than the 65535 one cabinet folder holds`)
  const { date, time } = dosDateTime(mtime)
  const entries = files.map((f, i) => {
    const e = Buffer.alloc(16)
    e.writeUInt32LE(sizes[i], 0)
    e.writeUInt32LE(
      sizes.slice(0, i).reduce((s, n) => s + n, 0),
      4
    )
    e.writeUInt16LE(0, 8)
    e.writeUInt16LE(date, 10)
    e.writeUInt16LE(time, 12)
    e.writeUInt16LE(0x20, 14)
    return Buffer.concat([e, Buffer.from(`${f.name}\0`, 'latin1')])
  })
  const filesSize = entries.reduce((s, e) => s + e.length, 0)
  const headerSize = 36
  const folderSize = 8
  const header = Buffer.alloc(headerSize)
  header.write('MSCF', 0, 'ascii')
  header.writeUInt32LE(headerSize + folderSize + filesSize + blocksSize, 8)
  header.writeUInt32LE(headerSize + folderSize, 16)
  header.writeUInt8(3, 24)
  header.writeUInt8(1, 25)
  header.writeUInt16LE(1, 26)
  header.writeUInt16LE(files.length, 28)
  const folder = Buffer.alloc(folderSize)
  folder.writeUInt32LE(headerSize + folderSize + filesSize, 0)
  folder.writeUInt16LE(count, 4)
  folder.writeUInt16LE(1, 6)
  const out = fs.openSync(cab, 'w')
  try {
    fs.writeSync(out, Buffer.concat([header, folder, ...entries]))
    const fd = fs.openSync(blocksFile, 'r')
    try {
      const buf = Buffer.alloc(1 << 20)
      for (let n; (n = fs.readSync(fd, buf, 0, buf.length, null)) > 0;) fs.writeSync(out, buf, 0, n)
    } finally {
      fs.closeSync(fd)
    }
  } finally {
    fs.closeSync(out)
    fs.rmSync(blocksFile, { force: true })
  }
}
