import { describe, expect, it } from 'vitest';
import { Detector } from '../../src/detect/detector.js';
import type { KnownSignature } from '../../src/detect/known-signatures.js';
import { drive, MIN, rec, T0 } from './detect-fixtures.js';

const known = (id: string, lastSeen = T0 - 60 * MIN): KnownSignature => ({ id, template: `template of ${id}`, firstSeen: lastSeen - MIN, lastSeen, count: 7 });

describe('Detector with a known-signature catalog', () => {
  it('with history: a catalogued id is not new, any other is new from the first second', () => {
    const detector = new Detector({}, {}, { known: [known('old')] });
    const sightings = detector.addRecords([rec(T0, 'old'), rec(T0 + 1_000, 'fresh')]);
    expect(sightings.map((s) => [s.id, s.new])).toEqual([['old', false], ['fresh', true]]);
    drive(detector, [], T0, T0 + 5_000);
    const rows = detector.snapshot(T0 + 5_000).signatures;
    expect(rows.find((s) => s.id === 'fresh')!.new).toBe(true);
    expect(rows.find((s) => s.id === 'old')!.new).toBe(false);
  });

  it('without history: the warm-up applies as before', () => {
    const detector = new Detector({}, {}, { known: [] });
    expect(detector.addRecords([rec(T0, 'a')]).map((s) => s.new)).toEqual([false]);
    expect(detector.addRecords([rec(T0 + 31 * MIN, 'b')]).map((s) => s.new)).toEqual([true]);
  });

  it('a fresh signature is a new-signature watch once minHistoryMs has passed, long before newAfterMs', () => {
    const records = [rec(T0, 'noise'), rec(T0 + 6 * MIN, 'fresh'), rec(T0 + 6 * MIN + 1_000, 'fresh')];
    const withCatalog = drive(new Detector({}, {}, { known: [known('noise')] }), records, T0, T0 + 7 * MIN);
    expect(withCatalog.find((v) => v.level === 'watch')?.signatures[0]).toMatchObject({ id: 'fresh', new: true });
    const withoutCatalog = drive(new Detector(), records, T0, T0 + 7 * MIN);
    expect(withoutCatalog.some((v) => v.signatures.some((s) => s.id === 'fresh' && s.new))).toBe(false);
  });

  it('exposes what to save: loaded entries updated, this run\'s added, most recent first', () => {
    const detector = new Detector({}, {}, { known: [known('old')] });
    detector.addRecords([rec(T0, 'old'), rec(T0 + 2_000, 'old'), rec(T0 + 1_000, 'fresh')]);
    expect(detector.knownSignatures()).toEqual([
      { id: 'old', template: 'template of old', firstSeen: T0 - 61 * MIN, lastSeen: T0 + 2_000, count: 9 },
      { id: 'fresh', template: 'template of fresh', firstSeen: T0 + 1_000, lastSeen: T0 + 1_000, count: 1 },
    ]);
  });

  it('keeps at most the catalog cap, the least recently seen dropped', () => {
    const detector = new Detector({}, {}, { known: [known('k1', T0 - 3 * MIN), known('k2', T0 - 2 * MIN)], cap: 3 });
    detector.addRecords(['n1', 'n2', 'n3', 'n4', 'n5', 'n6'].map((id, i) => rec(T0 + i * 1_000, id)));
    expect(detector.knownSignatures().map((e) => e.id)).toEqual(['n6', 'n5', 'n4']);
  });
});

describe('Detector throttle on first sightings', () => {
  it('stops announcing while the cap is full and evicting fast, counts what it did not announce, and resumes when the rate falls', () => {
    const cap = 8;
    const detector = new Detector({}, { maxSignatures: cap });
    // A flood: one new signature a second for 20 s fills the cap and evicts 12 (> 25 % of 8).
    const flood = Array.from({ length: 20 }, (_, i) => rec(T0 + i * 1_000, `flood${i}`));
    const announced: string[] = [];
    for (const record of flood) {
      announced.push(...detector.addRecords([record]).map((s) => s.id));
      detector.evaluate(record.at);
    }
    const { unannounced, evicted } = detector.counters;
    expect(evicted).toBe(12);
    expect(unannounced).toBeGreaterThan(0);
    expect(announced.length + unannounced).toBe(20);
    // Throttling starts only once evictions in the last minute exceed 2 (25 % of 8): the first 8 fill, 3 more evict.
    expect(announced.slice(0, 11)).toEqual(flood.slice(0, 11).map((r) => r.fingerprint.id));
    // Two minutes later the evictions have aged out of the minute: announced again.
    const later = detector.addRecords([rec(T0 + 3 * MIN, 'after')]);
    expect(later.map((s) => s.id)).toEqual(['after']);
    expect(detector.counters.unannounced).toBe(unannounced);
  });

  it('never throttles below the cap', () => {
    const detector = new Detector({}, { maxSignatures: 100 });
    const sightings = detector.addRecords(Array.from({ length: 50 }, (_, i) => rec(T0 + i, `s${i}`)));
    expect(sightings).toHaveLength(50);
    expect(detector.counters.unannounced).toBe(0);
  });
});
