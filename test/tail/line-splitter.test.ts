import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { LineSplitter, utf8BoundaryAtOrBefore } from '../../src/tail/line-splitter.js';

function split(chunks: Array<Buffer | string>, maxLineBytes?: number): { lines: string[]; splitter: LineSplitter } {
  const splitter = new LineSplitter(maxLineBytes);
  const lines: string[] = [];
  for (const chunk of chunks) splitter.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk, lines);
  return { lines, splitter };
}

describe('LineSplitter', () => {
  it('splits on newlines and holds the partial last line until its newline', () => {
    const { lines, splitter } = split(['one\ntwo\nthr', 'ee', ' and more\nfour']);
    expect(lines).toEqual(['one', 'two', 'three and more']);
    expect(splitter.heldBytes).toBe(4);
    splitter.push(Buffer.from('\n'), lines);
    expect(lines).toEqual(['one', 'two', 'three and more', 'four']);
    expect(splitter.heldBytes).toBe(0);
  });

  it('keeps empty lines as empty strings', () => {
    expect(split(['a\n\nb\n']).lines).toEqual(['a', '', 'b']);
  });

  it('strips \\r before \\n, also when the \\r and \\n arrive in different reads', () => {
    expect(split(['a\r\nb\r', '\nc\rd\n']).lines).toEqual(['a', 'b', 'c\rd']);
  });

  it('decodes a multibyte character split across two reads whole', () => {
    const e = Buffer.from('é');
    expect(split([Buffer.concat([Buffer.from('caf'), e.subarray(0, 1)]), Buffer.concat([e.subarray(1), Buffer.from('\n')])]).lines).toEqual([
      'café',
    ]);
  });

  it('turns invalid UTF-8 into U+FFFD and only there', () => {
    expect(split([Buffer.from([0x61, 0xff, 0xfe, 0x62, 0x0a])]).lines).toEqual(['a\uFFFD\uFFFDb']);
  });

  it('strips a BOM on the first line only, also when the BOM is split across reads', () => {
    const bom = Buffer.from([0xef, 0xbb, 0xbf]);
    expect(split([Buffer.concat([bom, Buffer.from('first\n'), bom, Buffer.from('second\n')])]).lines).toEqual(['first', '\uFEFFsecond']);
    expect(split([bom.subarray(0, 2), Buffer.concat([bom.subarray(2), Buffer.from('x\n')])]).lines).toEqual(['x']);
  });

  it('skips leading NUL runs, counting a run split across reads once', () => {
    const { lines, splitter } = split([Buffer.alloc(5), Buffer.alloc(7), Buffer.from('after hole\nmid\0dle\n'), Buffer.alloc(3), Buffer.from('x\n')]);
    expect(lines).toEqual(['after hole', 'mid\0dle', 'x']);
    expect(splitter.tally.nulRuns).toBe(2);
  });

  it('cuts an overlong line at the cap, counts it, and skips the rest up to its newline', () => {
    const { lines, splitter } = split(['x'.repeat(30) + '\nshort\n'], 10);
    expect(lines).toEqual(['x'.repeat(10), 'short']);
    expect(splitter.tally.truncated).toBe(1);
  });

  it('does not count a line of exactly the cap (with or without \\r) as truncated', () => {
    const { lines, splitter } = split(['y'.repeat(10) + '\r\n', 'z'.repeat(10), '\n'], 10);
    expect(lines).toEqual(['y'.repeat(10), 'z'.repeat(10)]);
    expect(splitter.tally.truncated).toBe(0);
  });

  it('cuts an overlong line arriving in many reads without holding more than the cap', () => {
    const splitter = new LineSplitter(16);
    const lines: string[] = [];
    let maxHeld = 0;
    for (let i = 0; i < 1000; i++) {
      splitter.push(Buffer.from('abcdefg'), lines);
      maxHeld = Math.max(maxHeld, splitter.heldBytes);
    }
    splitter.push(Buffer.from('tail of long\nnext\n'), lines);
    expect(lines).toEqual(['abcdefgabcdefgab', 'next']);
    expect(splitter.tally.truncated).toBe(1);
    expect(maxHeld).toBeLessThanOrEqual(18);
  });

  it('cuts at a UTF-8 boundary, never inside a character', () => {
    // 'aé€' = 61 c3a9 e282ac (6 bytes); a cap of 5 falls inside '€'.
    const { lines } = split(['aé€€\n'], 5);
    expect(lines).toEqual(['aé']);
    expect(utf8BoundaryAtOrBefore(Buffer.from('😀x'), 0, 2)).toBe(0);
    expect(utf8BoundaryAtOrBefore(Buffer.from('😀x'), 0, 4)).toBe(4);
  });

  it('end() emits the held partial line once, and nothing when the line was already cut', () => {
    const lines: string[] = [];
    const splitter = new LineSplitter(8);
    splitter.push(Buffer.from('done\npartial'), lines);
    splitter.end(lines);
    splitter.end(lines);
    expect(lines).toEqual(['done', 'partial']);
    splitter.push(Buffer.from('way too long for eight'), lines);
    splitter.end(lines);
    expect(lines).toEqual(['done', 'partial', 'way too ']);
  });

  it('restart() forgets held bytes and strips a BOM again', () => {
    const lines: string[] = [];
    const splitter = new LineSplitter();
    splitter.push(Buffer.from('old partial'), lines);
    splitter.restart();
    splitter.push(Buffer.from('\uFEFFnew\n'), lines);
    expect(lines).toEqual(['new']);
  });

  it('gives the same lines however the input is chunked', () => {
    const alphabet = ['a', 'é', '€', '\n', '\r\n', 'xyz', '\u{1F600}'];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...alphabet), { maxLength: 60 }), fc.array(fc.nat(40), { maxLength: 10 }), (parts, cuts) => {
        const input = Buffer.from(parts.join('') + '\n');
        const whole = split([input], 12).lines;
        const points = [...new Set(cuts.map((c) => c % (input.length + 1)))].sort((a, b) => a - b);
        const chunks: Buffer[] = [];
        let last = 0;
        for (const p of points) {
          chunks.push(input.subarray(last, p));
          last = p;
        }
        chunks.push(input.subarray(last));
        expect(split(chunks, 12).lines).toEqual(whole);
        for (const line of whole) expect(Buffer.byteLength(line)).toBeLessThanOrEqual(12);
      }),
    );
  });

  it('decodes as one UTF-8 decode of the whole input would, however ASCII and other chunks are mixed and cut', () => {
    const piece = fc.constantFrom('ascii ', 'café ', '\n', '€', '\u{1F600}', 'x', '\n\n');
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 30 }), fc.array(fc.nat(), { maxLength: 6 }), (pieces, cuts) => {
        const input = Buffer.from(pieces.join('') + '\n');
        const at = [...new Set(cuts.map((c) => c % (input.length + 1)))].sort((a, b) => a - b);
        const chunks = [0, ...at].map((start, i) => input.subarray(start, [...at, input.length][i]));
        expect(split(chunks).lines).toEqual(input.toString('utf8').split('\n').slice(0, -1));
      }),
      { numRuns: 300 },
    );
  });
});
