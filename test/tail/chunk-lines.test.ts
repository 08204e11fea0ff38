import { describe, expect, it } from 'vitest';
import { ChunkLines, chunkBatch, decodeChunkLines, detachedBatch } from '../../src/tail/chunk-lines.js';
import { LineSplitter } from '../../src/tail/line-splitter.js';

/** Bytes that exercise every branch of the splitter: line ends, CR, NUL runs, a BOM, multi-byte and invalid UTF-8. */
const PIECES = [
  [0x0a], [0x0d, 0x0a], [0x0d], [0x00, 0x00], [0xef, 0xbb, 0xbf], [0xc3, 0xa9], [0xe2, 0x82, 0xac], [0xff], [0xc3],
  [...Buffer.from('PHP Warning: 2147483647 ')], [...Buffer.from('x'.repeat(40))], [0x61], [0x20],
];

function randomStream(seed: number, length: number): Buffer {
  let state = seed;
  const next = (n: number): number => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return state % n;
  };
  const bytes: number[] = [];
  while (bytes.length < length) bytes.push(...PIECES[next(PIECES.length)]!);
  return Buffer.from(bytes);
}

/** The stream split in chunks of the given sizes, eagerly and as ChunkLines (whose chunk buffer is then overwritten, as a reader reuses it). */
function splitBothWays(stream: Buffer, sizes: number[], maxLineBytes: number): { eager: string[]; lazy: string[] } {
  const eagerSplitter = new LineSplitter(maxLineBytes);
  const lazySplitter = new LineSplitter(maxLineBytes);
  const eager: string[] = [];
  const batches: ChunkLines[] = [];
  const reused = Buffer.alloc(Math.max(...sizes));
  for (let at = 0, i = 0; at < stream.length; at += sizes[i % sizes.length]!, i++) {
    const slice = stream.subarray(at, at + sizes[i % sizes.length]!);
    eagerSplitter.push(slice, eager);
    slice.copy(reused);
    const chunk = reused.subarray(0, slice.length);
    const lines = new ChunkLines(chunk);
    lazySplitter.push(chunk, lines);
    lines.seal();
    reused.fill(0x41);
    batches.push(lines);
  }
  return { eager, lazy: batches.flatMap((lines) => lines.lines()) };
}

/** One chunk split by a fresh splitter into a sealed ChunkLines. */
function sealedLines(chunk: Buffer): ChunkLines {
  const lines = new ChunkLines(chunk);
  new LineSplitter().push(chunk, lines);
  lines.seal();
  return lines;
}

describe('ChunkLines', () => {
  it('gives exactly the lines an eager split gives, whatever the chunking, after the chunk buffer is reused', () => {
    for (let seed = 1; seed <= 40; seed++) {
      const stream = randomStream(seed, 4000);
      const { eager, lazy } = splitBothWays(stream, [1 + (seed % 7), 97, 13 + seed, 1024], 16 + seed);
      expect(lazy).toEqual(eager);
      expect(eager.length).toBeGreaterThan(10);
    }
  });

  it('counts its lines before decoding them, and a copy decodes to the same lines on its own', () => {
    const chunk = Buffer.from('first\r\nsecond é\nthird');
    const lines = sealedLines(chunk);
    expect(lines.length).toBe(2);
    const copy = lines.copy()!;
    chunk.fill(0);
    expect(decodeChunkLines(copy)).toEqual(['first', 'second é']);
    expect(lines.lines()).toEqual(['first', 'second é']);
    // Decoded here, its bytes went back to the pool: no copy to give (a sender then sends the lines).
    expect(lines.copy()).toBeUndefined();
  });

  it('makes a batch whose lines are its chunk\'s', () => {
    const lines = sealedLines(Buffer.from('a\nb\n'));
    const batch = chunkBatch({ source: 'app.log', host: 'web-01', arrivedAt: 5 }, lines);
    expect(batch).toMatchObject({ source: 'app.log', host: 'web-01', arrivedAt: 5, lines: ['a', 'b'] });
    expect(batch.chunk).toBe(lines);
  });

  it('hands its lines over once, keeping no reference to them (a batch released by the workers)', () => {
    const lines = sealedLines(Buffer.from('a\nb\n'));
    const batch = chunkBatch({ source: 'app.log', host: 'web-01', arrivedAt: 5 }, lines);
    const detached = detachedBatch(batch);
    expect(detached).toEqual({ source: 'app.log', host: 'web-01', arrivedAt: 5, lines: ['a', 'b'] });
    expect(Object.keys(detached)).not.toContain('chunk');
    expect(() => lines.lines()).toThrow(/after takeLines/);
    const plain = { source: '-', host: undefined, arrivedAt: 1, lines: ['x'] };
    expect(detachedBatch(plain)).toBe(plain);
  });
});
