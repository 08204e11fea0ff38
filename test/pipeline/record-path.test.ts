import { describe, expect, it } from 'vitest';
import { RecordPath } from '../../src/pipeline/record-path.js';

const ARRIVED = Date.parse('2026-11-24T10:00:00Z');
const line = (iso: string, message: string): string => `${iso} ERROR ${message}`;

describe('RecordPath', () => {
  it('counts a line stamped too far ahead of its arrival at its arrival, telling once per source', () => {
    const told: Array<[string, number]> = [];
    const path = new RecordPath({ localHost: 'here', aheadOfClock: { toleranceMs: 5_000, onFirst: (source, aheadMs) => told.push([source, aheadMs]) } });
    const push = (source: string, lines: string[]) => [...path.push({ source, host: 'h', lines, arrivedAt: ARRIVED }), ...path.flushSource(source)];
    const records = [
      ...push('a.log', [line('2026-11-24T12:00:00Z', 'two hours ahead'), line('2026-11-24T10:00:04Z', 'four seconds ahead')]),
      ...push('a.log', [line('2026-11-24T11:00:00Z', 'an hour ahead')]),
      ...push('b.log', [line('2026-11-24T10:00:06Z', 'six seconds ahead'), line('2026-11-24T09:00:00Z', 'an hour behind')]),
    ];
    expect(records.map((r) => [r.message, r.at - ARRIVED, r.timeFromLine])).toEqual([
      ['two hours ahead', 0, true],
      ['four seconds ahead', 4_000, true],
      ['an hour ahead', 0, true],
      ['six seconds ahead', 0, true],
      ['an hour behind', -3_600_000, true],
    ]);
    expect(path.ahead).toBe(3);
    expect(told).toEqual([['a.log', 7_200_000], ['b.log', 6_000]]);
  });

  it('keeps every line time as written when not told what is ahead (replays, tests)', () => {
    const path = new RecordPath({ localHost: 'here' });
    const records = [...path.push({ source: 'a.log', host: 'h', lines: [line('2026-11-24T12:00:00Z', 'ahead')], arrivedAt: ARRIVED }), ...path.flushAll()];
    expect(records.map((r) => r.at - ARRIVED)).toEqual([7_200_000]);
    expect(path.ahead).toBe(0);
  });
});
