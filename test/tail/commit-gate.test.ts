import { describe, expect, it } from 'vitest';
import { CommitGate, HELD_LINES } from '../../src/tail/commit-gate.js';
import type { LineBatch } from '../../src/tail/types.js';

/** A batch of `lines` of file `f`, starting at byte `from`, each line `length + 1` bytes. */
function batch(lines: string[], from: number, arrivedAt = 0): LineBatch {
  const offsets = [from];
  for (const line of lines) offsets.push(offsets[offsets.length - 1]! + line.length + 1);
  return { source: 'app.log', host: 'h', lines, arrivedAt, file: 'f', offsets };
}

function gate(): { gate: CommitGate; released: string[]; consumed: number[]; willConsume: number[] } {
  const released: string[] = [];
  const consumed: number[] = [];
  const willConsume: number[] = [];
  const commitGate = new CommitGate({
    willConsume: (_file, offset) => willConsume.push(offset),
    release: (b) => released.push(...b.lines),
    consumed: (_file, offset) => consumed.push(offset),
  });
  return { gate: commitGate, released, consumed, willConsume };
}

const HEADER = '[24-Nov-2026 01:00:00 UTC] PHP Fatal error:  boom';
const OTHER = '[24-Nov-2026 01:00:01 UTC] PHP Warning:  next';

describe('CommitGate', () => {
  it('holds an open record; hands it on when the next starts, consumed up to the open record start', () => {
    const { gate: g, released, consumed, willConsume } = gate();
    g.push(batch([HEADER, 'Stack trace:', '#0 f()'], 0));
    expect(released).toEqual([]);
    expect(g.heldLines).toBe(3);
    const end = HEADER.length + 1 + 'Stack trace:'.length + 1 + '#0 f()'.length + 1;
    g.push(batch(['#1 {main}', OTHER], end));
    expect(released).toEqual([HEADER, 'Stack trace:', '#0 f()', '#1 {main}']);
    const otherStart = end + '#1 {main}'.length + 1;
    expect(consumed).toEqual([otherStart]);
    expect(willConsume).toEqual([otherStart]);
  });

  it('hands on a quiet source’s record on flushIdle, consumed to its end', () => {
    const { gate: g, released, consumed } = gate();
    g.push(batch([OTHER], 0, 1_000));
    g.flushIdle(1_500);
    expect(released).toEqual([]);
    g.flushIdle(2_000);
    expect(released).toEqual([OTHER]);
    expect(consumed).toEqual([OTHER.length + 1]);
    expect(g.heldLines).toBe(0);
  });

  it('hands on a record whose second is about to be judged, consumed to its end', () => {
    const { gate: g, released, consumed } = gate();
    g.push(batch([HEADER, 'Stack trace:'], 0, 1_000));
    const timeOf = (first: string): number => Date.parse(`${first.slice(8, 12)}-11-${first.slice(1, 3)}T${first.slice(13, 21)}Z`);
    g.flushStartedBy(Date.parse('2026-11-24T00:59:59Z'), timeOf);
    expect(released).toEqual([]);
    g.flushStartedBy(Date.parse('2026-11-24T01:00:00Z'), timeOf);
    expect(released).toEqual([HEADER, 'Stack trace:']);
    expect(consumed).toEqual([HEADER.length + 1 + 'Stack trace:'.length + 1]);
  });

  it('passes batches without offsets (stdin) straight through', () => {
    const { gate: g, released, consumed } = gate();
    g.push({ source: '-', host: undefined, lines: [HEADER], arrivedAt: 0 });
    expect(released).toEqual([HEADER]);
    expect(consumed).toEqual([]);
  });

  it('a runaway record is let through once it holds HELD_LINES lines, so memory stays bounded', () => {
    const { gate: g, released } = gate();
    const trace = Array.from({ length: HELD_LINES + 5 }, (_, i) => `#${i} frame()`);
    g.push(batch([HEADER, ...trace], 0));
    expect(released.length).toBe(HELD_LINES + 6);
    expect(g.heldLines).toBe(0);
  });
});
