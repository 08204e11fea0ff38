/**
 * The lines split from one read chunk, kept as spans of a copy of its bytes and decoded when they
 * are first read. A batch waiting for a pre-signing worker (src/pipeline/presign.ts) then holds
 * bytes outside the JavaScript heap instead of a string per line: strings that live across the
 * worker's round trip survive young-generation collections and cost far more to collect than to
 * make. The worker decodes the same spans of the same bytes, so both threads read the same lines.
 */
import type { LineEncoding } from './line-splitter.js';
import type { LineBatch } from './types.js';

/** The transferable form: line i is bytes[spans[3i], spans[3i+1]) decoded as spans[3i+2] says, or `decoded`'s. */
export interface ChunkLinesData {
  bytes: Uint8Array<ArrayBuffer>;
  spans: Int32Array<ArrayBuffer>;
  /** Lines not wholly inside the chunk (joined with bytes held from earlier reads), decoded at once. */
  decoded: Array<[line: number, text: string]>;
}

/**
 * Buffers for chunk copies, reused: a fresh 256 KiB buffer per read is external memory that V8
 * answers with full collections (88 instead of 3 over the 1 GiB benchmark, 15 % of its time).
 */
class BufferPool {
  private readonly free: Array<Uint8Array<ArrayBuffer>> = [];

  constructor(private readonly size: number, private readonly kept: number) {}

  /** A buffer of exactly `length` bytes (a view of a pooled one when it fits). */
  take(length: number): Uint8Array<ArrayBuffer> {
    if (length > this.size) return new Uint8Array(length);
    const buffer = this.free.pop() ?? new Uint8Array(this.size);
    return buffer.subarray(0, length);
  }

  give(bytes: Uint8Array<ArrayBuffer>): void {
    if (bytes.buffer.byteLength === this.size && this.free.length < this.kept && bytes.buffer.byteLength > 0) this.free.push(new Uint8Array(bytes.buffer));
  }
}

/** The follower's read size (READ_CHUNK_BYTES); a few dozen in flight at most. */
const chunkCopies = new BufferPool(1 << 18, 64);

const UTF8 = 0;
const LATIN1 = 1;
/** `spans` start of a line found in `decoded`. */
const DECODED = -1;

export class ChunkLines {
  /** Three numbers a line (see ChunkLinesData), grown by doubling: a plain array grown a push at a time left more garbage. */
  private spans = new Int32Array(3 * 1024);
  private count = 0;
  private readonly decoded: Array<[number, string]> = [];
  private data: ChunkLinesData | undefined;
  private cached: string[] | undefined;

  /** `chunk`: the buffer the splitter is given (its reader may reuse it once `seal` is called). */
  constructor(private readonly chunk: Buffer) {}

  /** The splitter's output (see `LineOutput`). */
  add(bytes: Buffer, from: number, to: number, encoding: LineEncoding): void {
    if (bytes === this.chunk) {
      this.addSpan(from, to, encoding === 'latin1' ? LATIN1 : UTF8);
      return;
    }
    this.decoded.push([this.count, bytes.toString(encoding, from, to)]);
    this.addSpan(DECODED, DECODED, UTF8);
  }

  get length(): number {
    return this.count;
  }

  private addSpan(from: number, to: number, encoding: number): void {
    const at = 3 * this.count++;
    if (at === this.spans.length) {
      const grown = new Int32Array(2 * this.spans.length);
      grown.set(this.spans);
      this.spans = grown;
    }
    this.spans[at] = from;
    this.spans[at + 1] = to;
    this.spans[at + 2] = encoding;
  }

  /** Copies the bytes the spans refer to: call once the chunk is split, before its buffer is reused. */
  seal(): void {
    const bytes = chunkCopies.take(this.chunk.length);
    bytes.set(this.chunk);
    this.data = { bytes, spans: this.spans.slice(0, 3 * this.count), decoded: this.decoded };
  }

  /** The lines, decoded on the first call (the bytes then go back to the pool, and `copy` has none to give). */
  lines(): string[] {
    if (this.cached === undefined) {
      const data = this.sealed();
      this.cached = decodeChunkLines(data);
      chunkCopies.give(data.bytes);
      this.data = undefined;
    }
    return this.cached;
  }

  /**
   * The lines, and this object lets go of them (it cannot be read again). For a batch that waited
   * at a worker: it has likely been promoted to the old generation by then, and an old object's
   * reference keeps young objects alive through young collections — every line would be promoted
   * (2.5 MB a collection instead of 75 KB over the 1 GiB benchmark).
   */
  takeLines(): string[] {
    const lines = this.lines();
    this.cached = undefined;
    return lines;
  }

  /** A copy of the bytes and spans to send to another thread (its buffers can be transferred); undefined once the lines were decoded here. */
  copy(): ChunkLinesData | undefined {
    const data = this.data;
    if (data === undefined) return undefined;
    return { bytes: new Uint8Array(data.bytes), spans: new Int32Array(data.spans), decoded: data.decoded };
  }

  private sealed(): ChunkLinesData {
    if (this.data === undefined) throw new Error('ChunkLines read before seal() or after takeLines()');
    return this.data;
  }
}

/**
 * Node's own decoders behind `Buffer#toString` (undeclared in its types): `toString` parses its
 * encoding argument and checks its bounds per call, a third of a short line's decoding here.
 */
interface SliceableBuffer extends Buffer {
  latin1Slice(start: number, end: number): string;
  utf8Slice(start: number, end: number): string;
}

/** The lines a ChunkLines holds, from its data (on either thread). */
export function decodeChunkLines({ bytes, spans, decoded }: ChunkLinesData): string[] {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) as SliceableBuffer;
  const lines: string[] = [];
  let next = 0;
  for (let s = 0; s < spans.length; s += 3) {
    const from = spans[s]!;
    if (from === DECODED) lines.push(decoded[next++]![1]);
    else lines.push(spans[s + 2] === LATIN1 ? buffer.latin1Slice(from, spans[s + 1]!) : buffer.utf8Slice(from, spans[s + 1]!));
  }
  return lines;
}

/**
 * A batch whose `lines` are decoded from `chunk` when first read; `chunk` lets a worker have them
 * without that. (A class: a getter on each batch object made the whole record path 15 % slower.)
 */
class ChunkBatch implements LineBatch {
  readonly source: string;
  readonly host: string | undefined;
  readonly arrivedAt: number;

  constructor(fields: Omit<LineBatch, 'lines' | 'chunk'>, readonly chunk: ChunkLines) {
    this.source = fields.source;
    this.host = fields.host;
    this.arrivedAt = fields.arrivedAt;
  }

  get lines(): string[] {
    return this.chunk.lines();
  }
}

/** A batch with its lines as a plain array: a chunk's are taken from it (`takeLines`), other batches are returned as they are. */
export function detachedBatch(batch: LineBatch): LineBatch {
  if (batch.chunk === undefined) return batch;
  return { source: batch.source, host: batch.host, arrivedAt: batch.arrivedAt, lines: batch.chunk.takeLines() };
}

export function chunkBatch(fields: Omit<LineBatch, 'lines' | 'chunk'>, chunk: ChunkLines): LineBatch {
  return new ChunkBatch(fields, chunk);
}
