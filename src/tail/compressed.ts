/**
 * Compressed files by their first bytes. A glob such as `app.log*` also names logrotate's
 * `app.log.2.gz`: read as text it would be lines of noise, each a new signature. The formats'
 * magic numbers cannot begin a line of text (control bytes, or for bzip2 the digits of pi in
 * binary after `BZh` and a block size), so a log is never mistaken for one.
 */

import { open, type FileHandle } from 'node:fs/promises';

/** Each format's first bytes; `undefined` stands for bzip2's block size, a digit 1–9. */
const SIGNATURES: ReadonlyArray<{ format: string; bytes: ReadonlyArray<number | undefined> }> = [
  { format: 'gzip', bytes: [0x1f, 0x8b] },
  { format: 'xz', bytes: [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00] },
  { format: 'zstd', bytes: [0x28, 0xb5, 0x2f, 0xfd] },
  { format: 'lz4', bytes: [0x04, 0x22, 0x4d, 0x18] },
  { format: 'zip', bytes: [0x50, 0x4b, 0x03, 0x04] },
  // `BZh`, the block size, then the block magic 0x314159265359.
  { format: 'bzip2', bytes: [0x42, 0x5a, 0x68, undefined, 0x31, 0x41, 0x59, 0x26, 0x53, 0x59] },
];

/** Bytes to read from a file's start to tell (the longest magic: bzip2's). */
export const COMPRESSION_MAGIC_BYTES = 10;

/**
 * The compression format of a file that starts with `start` (its first
 * COMPRESSION_MAGIC_BYTES bytes, or all of a shorter file): a format's name; null for text;
 * undefined while the file is too short to tell (its bytes so far begin some format's magic).
 */
export function compressionOf(start: Uint8Array): string | null | undefined {
  let undecided = false;
  for (const { format, bytes } of SIGNATURES) {
    const seen = Math.min(start.length, bytes.length);
    let matches = true;
    for (let i = 0; i < seen && matches; i++) matches = bytes[i] === undefined ? isBlockSizeDigit(start[i]!) : start[i] === bytes[i];
    if (!matches) continue;
    if (seen === bytes.length) return format;
    undecided = true;
  }
  return undecided ? undefined : null;
}

function isBlockSizeDigit(byte: number): boolean {
  return byte >= 0x31 && byte <= 0x39;
}

/** `compressionOf` the first bytes of an open file. */
export async function readCompression(handle: FileHandle): Promise<string | null | undefined> {
  const start = Buffer.alloc(COMPRESSION_MAGIC_BYTES);
  const { bytesRead } = await handle.read(start, 0, start.length, 0);
  return compressionOf(start.subarray(0, bytesRead));
}

/** `compressionOf` the file at `path` (a file that cannot be opened or read is not compressed: its reader reports that). */
export async function compressionOfFile(path: string): Promise<string | null | undefined> {
  const handle = await open(path, 'r').catch(() => undefined);
  if (handle === undefined) return null;
  try {
    return await readCompression(handle);
  } catch {
    return null;
  } finally {
    await handle.close().catch(() => undefined);
  }
}
