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

describe('RecordPath on envelopes (container logs, the journal)', () => {
  const docker = (log: string, time: string) => JSON.stringify({ log: `${log}\n`, stream: 'stderr', time });
  const cri = (text: string, time: string) => `${time} stderr F ${text}`;
  const trace = ['PHP Fatal error:  Uncaught Exception: boom in /var/www/x.php:3', 'Stack trace:', '#0 {main}', '  thrown in /var/www/x.php on line 3'];

  it.each([
    ['Docker json-file', docker],
    ['CRI', cri],
  ])('%s: a stack trace written line by line is one record, at the runtime time, signed as the line inside', (_, wrap) => {
    const path = new RecordPath({ localHost: 'here' });
    const lines = [...trace.map((text, i) => wrap(text, `2026-11-24T09:59:0${i}.5Z`)), wrap('PHP Warning:  later in /var/www/y.php on line 9', '2026-11-24T09:59:30Z')];
    const records = [...path.push({ source: 'c.log', host: 'pod-1', lines, arrivedAt: ARRIVED }), ...path.flushAll()];
    expect(records.map((r) => [r.at, r.timeFromLine, r.level, r.message])).toEqual([
      [Date.parse('2026-11-24T09:59:00.500Z'), true, 'fatal', trace.join('\n').replace('PHP Fatal error:  ', '')],
      [Date.parse('2026-11-24T09:59:30Z'), true, 'warning', 'later in /var/www/y.php on line 9'],
    ]);
    const unwrapped = new RecordPath({ localHost: 'here' });
    const [plain] = [...unwrapped.push({ source: 'p.log', host: 'pod-1', lines: trace, arrivedAt: ARRIVED }), ...unwrapped.flushAll()];
    expect(records[0]!.fingerprint).toEqual(plain!.fingerprint);
  });

  it('an envelope stamps its line: a plain line after a stack trace opens a record of its own; the parts of a long line are one', () => {
    const path = new RecordPath({ localHost: 'here' });
    const part = (log: string, time: string) => JSON.stringify({ log, stream: 'stdout', time });
    const lines = [
      ...trace.map((text) => docker(text, '2026-11-24T09:59:00Z')),
      docker('worker 3 restarted', '2026-11-24T09:59:01Z'),
      part('first part of a long line, ', '2026-11-24T09:59:02Z'), part('rest of it\n', '2026-11-24T09:59:02Z'),
      cri('first part, ', '2026-11-24T09:59:03Z').replace(' F ', ' P '), cri('and the rest', '2026-11-24T09:59:03Z'),
    ];
    const records = [...path.push({ source: 'c.log', host: 'pod-1', lines, arrivedAt: ARRIVED }), ...path.flushAll()];
    expect(records.map((r) => r.message.split('\n').length)).toEqual([4, 1, 2, 2]);
    expect(records[1]!.message).toBe('worker 3 restarted');
    expect(records[2]!.message).toBe('first part of a long line, \nrest of it');
  });

  it("takes the journal's level and host where the line inside says none", () => {
    const journal = (message: string, priority: string) => JSON.stringify({ __REALTIME_TIMESTAMP: '1795482325000000', PRIORITY: priority, _HOSTNAME: 'db-2', MESSAGE: message });
    const path = new RecordPath({ localHost: 'here' });
    const lines = [journal('PHP Fatal error:  boom in /x.php on line 3', '3'), journal('worker process 42 exited on signal 9', '4')];
    const records = [...path.push({ source: '-', host: undefined, lines, arrivedAt: ARRIVED }), ...path.flushAll()];
    expect(records.map((r) => [r.level, r.host, r.at, r.message])).toEqual([
      ['fatal', 'db-2', Date.parse('2026-11-24T01:05:25Z'), 'boom in /x.php on line 3'],
      ['warning', 'db-2', Date.parse('2026-11-24T01:05:25Z'), 'worker process 42 exited on signal 9'],
    ]);
  });

  it("prefers the application's own time to the runtime's, and the runtime's to arrival", () => {
    const path = new RecordPath({ localHost: 'here' });
    const lines = [docker('[24-Nov-2026 09:00:00 UTC] PHP Warning:  own time', '2026-11-24T09:59:00Z')];
    const [record] = [...path.push({ source: 'c.log', host: 'h', lines, arrivedAt: ARRIVED }), ...path.flushAll()];
    expect(record!.at).toBe(Date.parse('2026-11-24T09:00:00Z'));
    expect(path.timeOf(docker('PHP Notice:  no time of its own', '2026-11-24T09:59:00Z'), ARRIVED)).toBe(Date.parse('2026-11-24T09:59:00Z'));
  });
});
