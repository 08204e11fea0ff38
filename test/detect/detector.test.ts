import { describe, expect, it } from 'vitest';
import { Detector } from '../../src/detect/detector.js';
import { burst, drive, firstAtLeast, HOSTS, INT32_MAX, MIN, noise, rec, T0, worst } from './detect-fixtures.js';

/** 40 minutes of noise before anything happens, so baselines exist and new means new. */
const QUIET = 40 * MIN;
const START = T0;
const INCIDENT = T0 + QUIET;

describe('Detector verdicts', () => {
  it('stays ok on ordinary noise with deploys', () => {
    const deploys = [0, 12, 24].map((m) => ({ at: INCIDENT + m * MIN, version: `v${m}` }));
    const verdicts = drive(new Detector(), noise(START, INCIDENT + 40 * MIN), START, INCIDENT + 40 * MIN, { deploys });
    expect(['ok', 'watch']).toContain(worst(verdicts));
  });

  it('does not flag a cron burst that repeats its history', () => {
    const cron = [0, 10, 20, 30, 40, 50, 60, 70].flatMap((m) => burst('cron', START + 5 * MIN + m * MIN, 15_000, 40, HOSTS.slice(0, 1), { level: 'warning' }));
    const deploys = [45, 57, 69].map((m) => ({ at: START + m * MIN }));
    const verdicts = drive(new Detector(), [...noise(START, START + 80 * MIN, 2), ...cron], START, START + 80 * MIN, { deploys });
    expect(['ok', 'watch']).toContain(worst(verdicts));
    // Its first run has no history to match (watch at most); every repeat matches it.
    const flagged = verdicts.filter((v) => v.signatures.some((s) => s.id === 'cron'));
    expect(flagged.filter((v) => v.at > START + 10 * MIN)).toEqual([]);
  });

  it('a single new warning is watch, never more (minimum count)', () => {
    const lines = [rec(INCIDENT + 30_000, 'lonely', { level: 'warning' })];
    const deploys = [{ at: INCIDENT }];
    const verdicts = drive(new Detector(), [...noise(START, INCIDENT + 5 * MIN), ...lines], START, INCIDENT + 5 * MIN, { deploys });
    expect(worst(verdicts)).toBe('watch');
    const watch = verdicts.find((v) => v.level === 'watch')!;
    expect(watch.signatures[0]!.id).toBe('lonely');
    expect(watch.signatures[0]!.new).toBe(true);
    expect(verdicts.at(-1)!.level).toBe('ok');
  });

  it('rolls forward a confined new error after a deploy, then reverts when the countdown runs out', () => {
    const deploy = { at: INCIDENT, version: 'abc123' };
    const errors = burst('qty', INCIDENT + 20_000, 14 * MIN, 60, HOSTS.slice(0, 2));
    const verdicts = drive(new Detector(), [...noise(START, INCIDENT + 15 * MIN), ...errors], START, INCIDENT + 15 * MIN, { deploys: [deploy] });
    const rollForward = verdicts.find((v) => v.level === 'roll-forward')!;
    expect(rollForward.attribution).toBe('deploy');
    expect(rollForward.deploy).toBe(1);
    expect(rollForward.reason).toContain('deploy #1 (website abc123)');
    expect(rollForward.signatures[0]).toMatchObject({ id: 'qty', new: true, hosts: 2, hostsTotal: 12 });
    expect(rollForward.countdownEndsAt).toBe(rollForward.at + 10 * MIN);
    const revert = verdicts.find((v) => v.level === 'revert')!;
    expect(revert.at).toBe(rollForward.countdownEndsAt);
    expect(revert.reason).toContain('countdown');
  });

  it('resolves when the next deploy fixes it, naming that deploy', () => {
    const deploys = [{ at: INCIDENT }, { at: INCIDENT + 6 * MIN }];
    const errors = burst('qty', INCIDENT + 20_000, 6 * MIN - 25_000, 25, HOSTS.slice(0, 3));
    const verdicts = drive(new Detector(), [...noise(START, INCIDENT + 12 * MIN), ...errors], START, INCIDENT + 12 * MIN, { deploys });
    expect(worst(verdicts)).toBe('roll-forward');
    const resolved = verdicts.find((v, i) => i > 0 && v.level !== 'roll-forward' && verdicts[i - 1]!.level === 'roll-forward')!;
    expect(resolved.resolvedBy).toBe(2);
    expect(verdicts.at(-1)!.level).toBe('ok');
  });

  it('reverts a new fatal error on every host within seconds, with evidence', () => {
    const fatal = burst('fatal', INCIDENT + 15_000, 5 * MIN, 600, HOSTS, { level: 'fatal', message: 'PHP Fatal error: boom\nStack trace:\n#0 {main}' });
    const verdicts = drive(new Detector(), [...noise(START, INCIDENT + 6 * MIN), ...fatal], START, INCIDENT + 6 * MIN, { deploys: [{ at: INCIDENT, version: 'f00' }] });
    const revert = firstAtLeast(verdicts, 'revert')!;
    expect(revert.level).toBe('revert');
    expect(revert.at - (INCIDENT + 15_000)).toBeLessThanOrEqual(20_000);
    expect(revert.reason).toMatch(/fatal error.*deploy #1 \(website f00\): revert\./);
    expect(revert.signatures[0]!.samples.length).toBeGreaterThanOrEqual(2);
    expect(revert.signatures[0]!.samples[0]).toContain('Stack trace:');
    expect(revert.evidence.statistic).toBe('fatal lines');
  });

  it('says stop, not a deploy, when errors burst on every host with no deploy near', () => {
    const timeouts = burst('memcache', INCIDENT, 5 * MIN, 1500, HOSTS);
    const verdicts = drive(new Detector(), [...noise(START, INCIDENT + 6 * MIN), ...timeouts], START, INCIDENT + 6 * MIN);
    const stop = firstAtLeast(verdicts, 'stop')!;
    expect(stop.level).toBe('stop');
    expect(stop.attribution).toBe('none');
    expect(stop.deploy).toBeNull();
    expect(stop.at - INCIDENT).toBeLessThanOrEqual(20_000);
  });

  it('says stop for a telling overflow value bursting, with one headline for the incident', () => {
    const tables = ['listings', 'carts', 'favorites'];
    const errors = tables.flatMap((table, i) =>
      burst(`insert-${table}`, INCIDENT + i * 40_000, 4 * MIN, 40, HOSTS.slice(i, i + 2), {
        template: `Out of range value 2147483647 for column id in ${table}`,
        telling: [INT32_MAX],
        values: [table],
      }),
    );
    const verdicts = drive(new Detector(), [...noise(START, INCIDENT + 6 * MIN), ...errors], START, INCIDENT + 6 * MIN);
    const stops = verdicts.filter((v) => v.level === 'stop');
    expect(stops.length).toBeGreaterThan(0);
    const last = verdicts.filter((v) => v.level === 'stop').at(-1)!;
    expect(last.attribution).toBe('none');
    expect(last.telling.map((t) => t.value)).toContain('2147483647');
    expect(last.reason).toContain('2147483647');
    const snapshot = new Detector();
    drive(snapshot, [...noise(START, INCIDENT + 6 * MIN), ...errors], START, INCIDENT + 3 * MIN);
    const verdict = snapshot.snapshot(INCIDENT + 3 * MIN).verdict;
    expect(verdict.headline).toBe('2147483647 in 3 signatures on 4/12 hosts');
    expect(verdict.signatures[0]!.common).toEqual({ '0': 'listings' });
  });

  it('does not blame a deploy for a burst that began before it', () => {
    const errors = burst('early', INCIDENT - 30_000, 3 * MIN, 90, HOSTS.slice(0, 2));
    const verdicts = drive(new Detector(), [...noise(START, INCIDENT + 4 * MIN), ...errors], START, INCIDENT + 4 * MIN, { deploys: [{ at: INCIDENT }] });
    const flagged = verdicts.filter((v) => v.signatures.some((s) => s.id === 'early'));
    expect(flagged.length).toBeGreaterThan(0);
    for (const verdict of flagged) expect(verdict.attribution).toBe('none');
    expect(worst(verdicts)).toBe('watch');
  });

  it('during warm-up nothing is new and nothing asks for action', () => {
    const detector = new Detector();
    const errors = burst('boot', START + 60_000, 3 * MIN, 300, HOSTS);
    const verdicts = drive(detector, [...noise(START, START + 5 * MIN), ...errors], START, START + 4 * MIN, { deploys: [{ at: START + 50_000 }] });
    expect(['ok', 'watch']).toContain(worst(verdicts));
    expect(detector.snapshot(START + 4 * MIN).signatures.find((s) => s.id === 'boot')!.new).toBe(false);
  });

  it('gives the same verdicts whatever the batch sizes and extra evaluation points', () => {
    const records = [
      ...noise(START, INCIDENT + 20 * MIN, 7),
      ...burst('qty', INCIDENT + 20_000, 5 * MIN, 30, HOSTS.slice(0, 2)),
      ...burst('fatal', INCIDENT + 9 * MIN, 2 * MIN, 200, HOSTS, { level: 'fatal' }),
    ];
    const deploys = [{ at: INCIDENT }, { at: INCIDENT + 6 * MIN }, { at: INCIDENT + 8 * MIN + 30_000 }];
    const to = INCIDENT + 20 * MIN;
    const a = drive(new Detector(), records, START, to, { deploys });
    const b = drive(new Detector(), records, START, to, { deploys, leadMs: 4_321, extraOffsets: [250, 999] });
    expect(a.length).toBeGreaterThan(2);
    expect(b).toEqual(a);
  });
});

describe('Detector bookkeeping', () => {
  it('announces each signature once, flagging new ones only after warm-up', () => {
    const detector = new Detector();
    const early = detector.addRecords([rec(START, 'a'), rec(START + 1, 'a')]);
    expect(early.map((s) => [s.id, s.new])).toEqual([['a', false]]);
    const late = detector.addRecords([rec(START + 31 * MIN, 'b', { host: 'web-07', level: 'warning' })]);
    expect(late).toEqual([expect.objectContaining({ id: 'b', new: true, host: 'web-07', level: 'warning', at: START + 31 * MIN })]);
  });

  it('numbers deploys in arrival order', () => {
    const detector = new Detector();
    expect(detector.addDeploy({ at: 5, app: 'website' }).id).toBe(1);
    expect(detector.addDeploy({ at: 2, app: 'api', version: 'x' })).toEqual({ at: 2, app: 'api', version: 'x', id: 2 });
  });

  it('caps signatures, evicting the least recently active and counting it', () => {
    const detector = new Detector({}, { maxSignatures: 3 });
    const records = ['s1', 's2', 's3', 's4', 's5'].map((id, i) => rec(START + i * 20_000, id));
    drive(detector, records, START, START + 2 * MIN);
    // The cap is full and one eviction in the minute exceeds 25 % of 3: s5's first sighting is throttled.
    expect(detector.counters).toEqual({ signatures: 3, evicted: 2, hosts: 1, unannounced: 1 });
    expect(detector.snapshot(START + 2 * MIN).signatures.map((s) => s.id).sort()).toEqual(['s3', 's4', 's5']);
  });

  it('caps hosts per signature and samples per signature', () => {
    const detector = new Detector({}, { maxHostsPerSignature: 2, samplesPerSignature: 3 });
    const records = HOSTS.slice(0, 5).map((host, i) => rec(START + i * 1000, 'x', { host, message: `line ${i}` }));
    drive(detector, records, START, START + 10_000);
    const row = detector.snapshot(START + 10_000).signatures[0]!;
    expect(row.perHost).toEqual({ 'web-01': 1, 'web-02': 1, '(other)': 3 });
    expect(row.samples).toEqual(['line 0', 'line 3', 'line 4']);
    expect(detector.counters.hosts).toBe(5);
  });

  it('keeps the values that were the same in every line, keyed by their name in the template', () => {
    const detector = new Detector();
    const template = 'insert failed table=<*> id=<NUM>';
    const records = [1, 2, 3].map((i) => rec(START + i * 1000, 'ins', { template, values: ['listings', String(100 + i)] }));
    drive(detector, records, START, START + 5_000);
    expect(detector.snapshot(START + 5_000).signatures[0]!.common).toEqual({ table: 'listings' });
  });

  it('flags a numeric slot climbing past INT32_MAX and says so in a watch verdict', () => {
    const ids = ['2147483600', '2147483640', '2147483646', '2147483649'];
    const records = ids.map((id, i) => rec(INCIDENT + i * 3 * MIN, 'created', { level: 'notice', template: 'created listing <NUM>', values: [id] }));
    const verdicts = drive(new Detector(), [...noise(START, INCIDENT + 10 * MIN), ...records], START, INCIDENT + 10 * MIN);
    const climb = verdicts.find((v) => v.reason.includes('climbed past'))!;
    expect(climb.level).toBe('watch');
    expect(climb.reason).toContain('INT32_MAX');
    expect(climb.telling.map((t) => t.name)).toContain('INT32_MAX');
  });

  it('snapshots the signature table and the whole error rate', () => {
    const detector = new Detector();
    drive(detector, noise(START, START + 5 * MIN), START, START + 5 * MIN);
    const snapshot = detector.snapshot(START + 5 * MIN);
    expect(snapshot.rate.bucketMs).toBe(10_000);
    expect(snapshot.rate.counts).toHaveLength(360);
    expect(snapshot.rate.counts.reduce((a, b) => a + b, 0)).toBe(noise(START, START + 5 * MIN).length);
    expect(snapshot.hostsTotal).toBe(12);
    const row = snapshot.signatures.find((s) => s.id === 'noise0')!;
    expect(row.sparkline).toHaveLength(30);
    expect(row.windowCount).toBeGreaterThan(100);
    expect(snapshot.verdict.level).toBe('ok');
  });
});
