/** Events and states for the feed tests, built on the shared fake handle's helpers. */
import type { Deploy, SignatureView, VerdictLevel } from '../../src/detect/model.js';
import { isoTime, type SignatureEvent, type StatsEvent, type VerdictEvent } from '../../src/pipeline/events.js';
import type { PipelineSnapshot } from '../../src/pipeline/handle.js';
import { emptySnapshot, okVerdict, signatureView, T0 } from '../support/fake-handle.js';

export const INT32_MAX_TELLING = { value: '2147483647', name: 'INT32_MAX', meaning: 'INT32_MAX: signed 32-bit overflow' };

export function verdictEvent(level: VerdictLevel, reason = `Verdict ${level}.`): VerdictEvent {
  const { at: _at, ...verdict } = okVerdict();
  return { ...verdict, type: 'verdict', at: isoTime(T0), level, reason };
}

export function signatureEvent(id: string, template = `Error in ${id}`): SignatureEvent {
  return { type: 'signature', at: isoTime(T0), id, template, level: 'error', host: 'web-01', new: true, telling: [] };
}

export function statsEvent(lines = 10): StatsEvent {
  return {
    type: 'stats', at: isoTime(T0), lines, records: lines, dropped: 0, truncated: 0, signatures: 1, hosts: 1, files: 1,
    untimed: 0, ahead: 0, evicted: 0, unannounced: 0, errors: 0,
  };
}

/** A broken site: a stop verdict, three deploys in the last hour, and the INT32_MAX signature on top. */
export function stopState(): PipelineSnapshot {
  const base = emptySnapshot();
  const overflow: SignatureView = signatureView({
    id: 'deadbeef', level: 'fatal', new: true, windowCount: 480, baseline: 0, ratio: 480, score: 9.5, hosts: 11, hostsTotal: 12,
    template: 'PHP Fatal error: Uncaught PDOException: SQLSTATE[22003]: Numeric value out of range: 1264 Out of range value for column listing_id at row 2147483647',
    telling: [INT32_MAX_TELLING], common: { listing_id: '2147483647' },
    samples: ['PHP Fatal error: Uncaught PDOException: ... listing_id at row 2147483647 <script>alert(1)</script>'],
    sparkline: Array.from({ length: 60 }, (_, i) => (i < 40 ? 0 : 8 * (i - 39))),
    perHost: { 'web-01': 50, 'web-02': 44 },
  });
  const deploys: Deploy[] = [
    { id: 1, at: T0 - 50 * 60_000, app: 'website', version: 'a1' },
    { id: 2, at: T0 - 30 * 60_000, app: 'website', version: 'b2' },
    { id: 3, at: T0 - 8 * 60_000, app: 'website', version: 'c3', by: 'sam' },
  ];
  const counts = Array.from({ length: 360 }, (_, i) => (i < 310 ? 3 + (i % 4) : 40 + (i - 310) * 4));
  return {
    ...base,
    verdict: {
      ...okVerdict(), level: 'stop', reason: 'INT32_MAX overflow bursting on 11 of 12 hosts; no deploy explains it.',
      telling: [INT32_MAX_TELLING], headline: 'listing_id passed 2^31',
    },
    deploys,
    signatures: [overflow, signatureView({ score: 0.2 })],
    rate: { bucketMs: 10_000, end: T0, counts },
    hostsTotal: 12,
    stats: { ...base.stats, lines: 123_456, records: 120_001, dropped: 7, truncated: 3, ahead: 5, signatures: 2, hosts: 12, files: 12 },
  };
}
