import { describe, expect, it } from 'vitest';
import { KnownSignatures, type KnownSignature } from '../../src/detect/known-signatures.js';

const entry = (id: string, lastSeen: number): KnownSignature => ({ id, template: id.toUpperCase(), firstSeen: 0, lastSeen, count: 1 });

describe('KnownSignatures', () => {
  it('has history only when loaded with entries', () => {
    expect(new KnownSignatures().hasHistory).toBe(false);
    expect(new KnownSignatures([entry('a', 1)]).hasHistory).toBe(true);
  });

  it('trims a loaded list to the cap, keeping the most recently seen', () => {
    const known = new KnownSignatures([entry('a', 1), entry('b', 3), entry('c', 2)], 2);
    expect(known.list().map((e) => e.id)).toEqual(['b', 'c']);
    expect(known.has('a')).toBe(false);
  });

  it('stays within the cap plus its slack under a flood of ids, and lists at most the cap', () => {
    const known = new KnownSignatures([], 100);
    for (let i = 0; i < 10_000; i++) {
      known.note(`id${i}`, 't', i);
      expect(known.size).toBeLessThanOrEqual(125);
    }
    expect(known.list()).toHaveLength(100);
    expect(known.list()[0]!.id).toBe('id9999');
  });

  it('list returns copies', () => {
    const known = new KnownSignatures([entry('a', 1)]);
    known.list()[0]!.count = 99;
    expect(known.list()[0]!.count).toBe(1);
  });
});
