/**
 * Hand-built records for detection tests: a fake fingerprint per record (no real fingerprinter),
 * seeded noise, and a driver that feeds records and evaluates every whole second.
 */
import type { Detector } from '../../src/detect/detector.js';
import type { Telling, Verdict } from '../../src/detect/model.js';
import type { Level, SignedRecord } from '../../src/pipeline/record.js';
import { Random } from '../../src/sim/random.js';

export const T0 = Date.UTC(2026, 10, 23, 12, 0, 0);
export const MIN = 60_000;
export const HOSTS = Array.from({ length: 12 }, (_, i) => `web-${String(i + 1).padStart(2, '0')}`);

export const INT32_MAX: Telling = { value: '2147483647', name: 'INT32_MAX', meaning: 'INT32_MAX: signed 32-bit overflow' };

export interface RecordSpec {
  host?: string;
  level?: Level;
  template?: string;
  telling?: Telling[];
  values?: string[];
  message?: string;
}

export function rec(at: number, id: string, spec: RecordSpec = {}): SignedRecord {
  const template = spec.template ?? `template of ${id}`;
  return {
    at,
    timeFromLine: true,
    level: spec.level ?? 'error',
    host: spec.host ?? HOSTS[0]!,
    source: 'php_errors.log',
    message: spec.message ?? `${template} @${at}`,
    fingerprint: { id, template, telling: spec.telling ?? [], values: spec.values ?? [] },
  };
}

/** Deterministic PRNG (the simulator's mulberry32) so noise is the same in every run. */
export function prng(seed: number): () => number {
  const random = new Random(seed);
  return () => random.next();
}

/** Ordinary noise: a few warning/notice signatures at steady Poisson rates over all hosts. */
export function noise(from: number, to: number, seed = 1, perMinute = [30, 12, 4]): SignedRecord[] {
  const random = prng(seed);
  const out: SignedRecord[] = [];
  perMinute.forEach((rate, i) => {
    let at = from;
    for (;;) {
      at += Math.ceil((-Math.log(1 - random()) / rate) * MIN);
      if (at >= to) break;
      const host = HOSTS[Math.floor(random() * HOSTS.length)]!;
      out.push(rec(at, `noise${i}`, { host, level: i === 0 ? 'warning' : 'notice', values: [String(Math.floor(random() * 1000))] }));
    }
  });
  return out;
}

/** `count` lines of `id` spread evenly over [from, from + spanMs), round-robin over `hosts`. */
export function burst(id: string, from: number, spanMs: number, count: number, hosts: readonly string[], spec: RecordSpec = {}): SignedRecord[] {
  return Array.from({ length: count }, (_, i) =>
    rec(from + Math.floor((i * spanMs) / count), id, { ...spec, host: hosts[i % hosts.length]! }),
  );
}

export interface Drive {
  /** Records are added this far ahead of the evaluated second (tests batch independence). */
  leadMs?: number;
  /** Also evaluate at these offsets within each second. */
  extraOffsets?: number[];
  deploys?: Array<{ at: number; app?: string; version?: string }>;
}

/** Feeds records in event-time order and evaluates every whole second in [from, to]; returns the verdicts. */
export function drive(detector: Detector, records: SignedRecord[], from: number, to: number, options: Drive = {}): Verdict[] {
  const sorted = [...records].sort((a, b) => a.at - b.at);
  const deploys = [...(options.deploys ?? [])].sort((a, b) => a.at - b.at);
  const verdicts: Verdict[] = [];
  let next = 0;
  let nextDeploy = 0;
  for (let second = from; second <= to; second += 1000) {
    const horizon = second + (options.leadMs ?? 0);
    const batch: SignedRecord[] = [];
    while (next < sorted.length && sorted[next]!.at <= horizon) batch.push(sorted[next++]!);
    while (nextDeploy < deploys.length && deploys[nextDeploy]!.at <= second) {
      const d = deploys[nextDeploy++]!;
      detector.addDeploy({ at: d.at, app: d.app ?? 'website', ...(d.version === undefined ? {} : { version: d.version }) });
    }
    detector.addRecords(batch);
    for (const at of [second, ...(options.extraOffsets ?? []).map((o) => second + o)]) {
      const verdict = detector.evaluate(at);
      if (verdict !== null) verdicts.push(verdict);
    }
  }
  return verdicts;
}

const RANK = { ok: 0, watch: 1, 'roll-forward': 2, revert: 3, stop: 4 } as const;

export function worst(verdicts: readonly Verdict[]): Verdict['level'] {
  return verdicts.reduce<Verdict['level']>((w, v) => (RANK[v.level] > RANK[w] ? v.level : w), 'ok');
}

export function firstAtLeast(verdicts: readonly Verdict[], level: Verdict['level']): Verdict | undefined {
  return verdicts.find((v) => RANK[v.level] >= RANK[level]);
}
