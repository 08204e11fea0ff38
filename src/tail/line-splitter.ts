/**
 * Byte-level line splitting shared by every byte source (files, stdin).
 *
 * Splits on 0x0A before decoding (0x0A never occurs inside a UTF-8 multibyte sequence), so a
 * character split across two reads is decoded whole. Memory stays bounded by the line cap: an
 * overlong line is cut at a UTF-8 boundary, emitted, and the rest of it up to its newline is
 * skipped without being buffered.
 */
import { isAscii } from 'node:buffer';

/** Longest line kept, in bytes (64 KiB): longer ones are cut and counted as `truncated`. */
export const DEFAULT_MAX_LINE_BYTES = 65_536;

const NEWLINE = 0x0a;
const CARRIAGE_RETURN = 0x0d;
const NUL = 0x00;
const UTF8_BOM = [0xef, 0xbb, 0xbf] as const;

export type LineEncoding = 'utf8' | 'latin1';

/** Where split lines go: decoded into an array, or a collector that decodes `bytes.toString(encoding, from, to)` later. */
export type LineOutput = string[] | { add(bytes: Buffer, from: number, to: number, encoding: LineEncoding): void };

/** What a splitter changed or skipped; the caller folds these into its SourceCounters. */
export interface SplitterTally {
  /** Lines cut at the cap. */
  truncated: number;
  /** Runs of NUL bytes skipped at a line start (the hole a copytruncate leaves behind a writer without O_APPEND). */
  nulRuns: number;
}

export class LineSplitter {
  private readonly maxLineBytes: number;
  /** Bytes of the line not yet ended by a newline; at most maxLineBytes + 2 bytes in total. */
  private held: Buffer[] = [];
  private heldLength = 0;
  /** True after an overlong line was cut: bytes are skipped up to and including the next newline. */
  private discarding = false;
  /** True until the first line of the stream is emitted, so a BOM is stripped only there. */
  private atStreamStart = true;
  /** True while inside a NUL run that is already counted, so a run split across reads counts once. */
  private inNulRun = false;
  /**
   * How lines wholly inside the chunk being split are decoded: an all-ASCII chunk (most log
   * chunks; one vectorised check per chunk) as latin1, which reads the same for ASCII and is a
   * third cheaper per line. Lines joined from held bytes are always decoded as UTF-8.
   */
  private chunkEncoding: LineEncoding = 'utf8';

  /** `tally` may be shared by many splitters so a follower sums all its files in one place. */
  constructor(
    maxLineBytes: number = DEFAULT_MAX_LINE_BYTES,
    readonly tally: SplitterTally = { truncated: 0, nulRuns: 0 },
  ) {
    if (!Number.isInteger(maxLineBytes) || maxLineBytes < 4) {
      throw new Error(`maxLineBytes must be an integer of at least 4, got ${maxLineBytes}`);
    }
    this.maxLineBytes = maxLineBytes;
  }

  /** Bytes of an unfinished last line held until its newline arrives. */
  get heldBytes(): number {
    return this.heldLength;
  }

  /**
   * Splits `chunk`, appending every completed line to `out`: decoded now into an array, or kept
   * as byte spans by a ChunkLines (chunk-lines.ts) to be decoded where and when they are read.
   */
  push(chunk: Uint8Array, out: LineOutput): void {
    const bytes = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    this.chunkEncoding = isAscii(bytes) ? 'latin1' : 'utf8';
    let position = 0;
    while (position < bytes.length) {
      if (this.discarding) {
        const newline = bytes.indexOf(NEWLINE, position);
        if (newline < 0) return;
        this.discarding = false;
        position = newline + 1;
        continue;
      }
      if (this.heldLength === 0) {
        position = this.skipNulRun(bytes, position);
        if (position >= bytes.length) return;
      }
      const newline = bytes.indexOf(NEWLINE, position);
      if (newline < 0) {
        this.hold(bytes, position, bytes.length, out);
        return;
      }
      this.completeLine(bytes, position, newline, out);
      position = newline + 1;
    }
  }

  /** Emits the held partial line, if any (end of input, or a rotated file being closed), and forgets all state. */
  end(out: LineOutput): void {
    if (this.heldLength > 0 && !this.discarding) {
      const line = Buffer.concat(this.held, this.heldLength);
      this.emit(line, 0, line.length, false, out, 'utf8');
    }
    this.restart();
  }

  /** Forgets any held bytes and treats the next byte as the start of a new stream (a file truncated or replaced). */
  restart(): void {
    this.held = [];
    this.heldLength = 0;
    this.discarding = false;
    this.atStreamStart = true;
    this.inNulRun = false;
  }

  /** Skips NUL bytes at a line start; returns the first position past them. */
  private skipNulRun(bytes: Buffer, position: number): number {
    if (bytes[position] !== NUL) {
      this.inNulRun = false;
      return position;
    }
    let next = position;
    while (next < bytes.length && bytes[next] === NUL) next++;
    if (!this.inNulRun) this.tally.nulRuns++;
    this.inNulRun = true;
    return next;
  }

  /** Keeps bytes of an unfinished line, up to the cap; a line past the cap is cut now and the rest skipped. */
  private hold(bytes: Buffer, start: number, end: number, out: LineOutput): void {
    const room = this.capacity() - this.heldLength;
    const taken = Math.min(end - start, room);
    // Copy: the caller may reuse its read buffer.
    this.held.push(Buffer.from(bytes.subarray(start, start + taken)));
    this.heldLength += taken;
    if (this.heldLength < this.capacity()) return;
    const line = Buffer.concat(this.held, this.heldLength);
    this.held = [];
    this.heldLength = 0;
    this.emit(line, 0, line.length, true, out, 'utf8');
    this.discarding = true;
  }

  /**
   * Bytes of an unfinished line worth holding. Two over the cap prove the line is overlong even
   * if the last one turns out to be a `\r`; the stream's first line may also carry a BOM, which
   * `emit` strips before it measures — held or not, the same line gets the same cut.
   */
  private capacity(): number {
    return this.maxLineBytes + 2 + (this.atStreamStart ? UTF8_BOM.length : 0);
  }

  /** Emits the line ending at `newline`, joined with any held start of it. */
  private completeLine(bytes: Buffer, start: number, newline: number, out: LineOutput): void {
    if (this.heldLength === 0) {
      this.emit(bytes, start, newline, false, out, this.chunkEncoding);
      return;
    }
    const room = this.capacity() - this.heldLength;
    const taken = Math.min(newline - start, room);
    const line = Buffer.concat([...this.held, bytes.subarray(start, start + taken)]);
    this.held = [];
    this.heldLength = 0;
    this.emit(line, 0, line.length, taken < newline - start, out, 'utf8');
  }

  /**
   * Decodes bytes[start, end) as one line: strips a BOM on the stream's first line and a `\r`
   * before the newline, and cuts it at the cap. `overflowed` means bytes past `end` were already
   * dropped, so the line is known to be overlong and its last byte is not a line ending.
   */
  private emit(bytes: Buffer, start: number, end: number, overflowed: boolean, out: LineOutput, encoding: LineEncoding): void {
    let from = start;
    if (this.atStreamStart) {
      this.atStreamStart = false;
      if (startsWithBom(bytes, from, end)) from += UTF8_BOM.length;
    }
    let to = end;
    if (!overflowed && to > from && bytes[to - 1] === CARRIAGE_RETURN) to--;
    if (overflowed || to - from > this.maxLineBytes) {
      to = utf8BoundaryAtOrBefore(bytes, from, from + this.maxLineBytes);
      this.tally.truncated++;
    }
    if (Array.isArray(out)) out.push(bytes.toString(encoding, from, to));
    else out.add(bytes, from, to, encoding);
  }
}

function startsWithBom(bytes: Buffer, start: number, end: number): boolean {
  return end - start >= 3 && bytes[start] === UTF8_BOM[0] && bytes[start + 1] === UTF8_BOM[1] && bytes[start + 2] === UTF8_BOM[2];
}

/**
 * The largest cut position ≤ `limit` that does not split a UTF-8 character: step back over at
 * most three continuation bytes (10xxxxxx). Invalid input with longer continuation runs is cut
 * at `limit - 3` and decodes to U+FFFD like any other invalid bytes.
 */
export function utf8BoundaryAtOrBefore(bytes: Uint8Array, start: number, limit: number): number {
  let cut = limit;
  while (cut > start && limit - cut < 3 && ((bytes[cut] ?? 0) & 0xc0) === 0x80) cut--;
  return cut;
}
