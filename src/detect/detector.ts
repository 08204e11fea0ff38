/**
 * Detection's state machine: records and deploys in, a verdict per whole second of event time
 * out. Pure — time arrives as data. Determinism: records are held until a judgement at or after
 * their event time takes them in, and judgements happen only at whole seconds, so the verdicts
 * depend on the records and the seconds judged, never on batch sizes or extra calls in between.
 * The caller must call `evaluate` at every whole second it wants judged (the pipeline does).
 *
 * Warm-up: observation starts at the earliest of the first record, the first evaluation and
 * `observeFrom` (a `--since` backfill). A signature first seen within `newAfterMs` of that is not
 * "new" (we cannot know) — unless a known-signature catalog with history was given: then any id
 * absent from it is new from the first second. Baselines only count observed time (a short one has the prior dominate,
 * so little is surprising), and a burst needs `minHistoryMs` of history before it asks for more
 * than watch.
 */
import type { Level, SignedRecord } from '../pipeline/record.js';
import { Fifo } from './fifo.js';
import { EventRate } from './event-rate.js';
import { KnownSignatures, type KnownSignature } from './known-signatures.js';
import { bucketOf, BucketSeries, peakSum } from './buckets.js';
import { deployInReach, measureBaseline, type Baseline } from './baseline.js';
import { findOnset, RiseSpans, stillGoing, TRAILING_SPANS, type Burst, type RiseEvidence } from './burst.js';
import { groupIncidents, type BurstFacts, type Incident } from './incident.js';
import type { Deploy, DetectorSnapshot, SignatureView, Telling, Verdict, VerdictLevel, VerdictSignature } from './model.js';
import { poissonSurprise, surpriseOf } from './score.js';
import { pruneSignature, SignatureState, OTHER_HOSTS } from './signature.js';
import { resolveCaps, resolveThresholds, type DetectorCaps, type Thresholds } from './thresholds.js';
import { capitalize, describeDeploy, judgeIncident, kindOf, levelRank, reasonFor, shortTemplate, type Evidence } from './verdict.js';

export interface FirstSighting {
  at: number;
  id: string;
  template: string;
  level: Level;
  host: string;
  new: boolean;
  telling: Telling[];
}

/** Records held for a judgement before they are forced in (a host clock far ahead must not grow memory). */
const MAX_PENDING = 200_000;
/** First sightings remembered, per allowed signature: enough that eviction does not re-announce. */
const ANNOUNCED_PER_SIGNATURE = 4;
/** Ended bursts kept for "resolved by". */
const MAX_ENDED_BURSTS = 256;
/** Rows in a snapshot's signature table, most alarming first. */
const SNAPSHOT_ROWS = 200;
/** Buckets in a sparkline. */
const SPARKLINE_BUCKETS = 30;
/** Hosts listed per signature in a snapshot; the rest are summed under `(other)`. */
const SNAPSHOT_HOSTS = 20;
/** Samples in a verdict. */
const VERDICT_SAMPLES = 3;
/** Signatures listed in a verdict. */
const VERDICT_SIGNATURES = 5;
const MINUTE = 60_000;
/**
 * First sightings go unannounced while the signature cap is full and evictions in the last
 * minute exceed this share of it (Loki throttles pattern creation so): a flood of distinct
 * messages would otherwise be a flood of `signature` events nobody can read.
 */
const THROTTLE_EVICTED_SHARE = 0.25;

/** The known-signature catalog a detector starts from (loaded from a previous run's file). */
export interface CatalogInput {
  known?: readonly KnownSignature[];
  /** Entries kept (default 20 000), least recently seen dropped. */
  cap?: number;
}

/** A candidate verdict: one incident, watch item or error-rate breach. */
interface Finding {
  level: VerdictLevel;
  reason: string;
  deploy: Deploy | null;
  evidence: Evidence;
  signatures: VerdictSignature[];
  telling: Telling[];
  headline: string | null;
  countdownEndsAt: number | null;
  /** Event time it began; among equal levels the earliest leads (stable leading signature). */
  since: number;
  bursts: Burst[];
}

export class Detector {
  private readonly thresholds: Thresholds;
  private readonly caps: DetectorCaps;
  private readonly signatures = new Map<string, SignatureState>();
  /**
   * Signatures in order of activity, least recent first: an entry is live while its stamp is the
   * signature's. (A Map re-ordered by delete-and-set is slow to take the first key from in V8.)
   */
  private readonly activity = new Fifo<{ signature: SignatureState; stamp: number }>();
  private activityClock = 0;
  /** Ids already announced as first sightings, with whether they were new; capped, oldest dropped. */
  private readonly announced = new Map<string, boolean>();
  private readonly announcedOrder = new Fifo<string>();
  private pending: SignedRecord[] = [];
  /** Whether `pending` is in event-time order (the usual case): then the records due are a leading run. */
  private pendingInOrder = true;
  private readonly total = new BucketSeries();
  /** Host → last event time; capped, the longest silent dropped. */
  private readonly hosts = new Map<string, number>();
  private readonly deploys: Deploy[] = [];
  private readonly bursts = new Map<string, Burst>();
  private readonly ended: Burst[] = [];
  private readonly watchSince = new Map<string, number>();
  private observedFrom: number | undefined;
  private lastJudged: number | undefined;
  /** The first bucket kept by the last prune. */
  private prunedFrom: number | undefined;
  private emitted: { level: VerdictLevel; leading: string | null; bursts: Burst[] } = { level: 'ok', leading: null, bursts: [] };
  private current: Verdict | undefined;
  private evicted = 0;
  private readonly evictions = new EventRate();
  /** First sightings not announced while throttled. */
  private unannounced = 0;
  private readonly known: KnownSignatures;

  constructor(
    thresholds?: Partial<Thresholds>,
    caps?: { maxSignatures?: number; maxHostsPerSignature?: number; samplesPerSignature?: number; maxHosts?: number },
    catalog: CatalogInput = {},
  ) {
    this.thresholds = resolveThresholds(thresholds);
    this.caps = resolveCaps(caps);
    this.known = new KnownSignatures(catalog.known, catalog.cap);
  }

  get counters(): { signatures: number; evicted: number; hosts: number; unannounced: number } {
    return { signatures: this.signatures.size, evicted: this.evicted, hosts: this.hosts.size, unannounced: this.unannounced };
  }

  /** The known-signature catalog to save: previous runs' entries and this run's, capped, most recent first. */
  knownSignatures(): KnownSignature[] {
    return this.known.list();
  }

  /** Declares that observation began at `at` (a `--since` backfill start), for warm-up. */
  observeFrom(at: number): void {
    this.observedFrom = Math.min(this.observedFrom ?? at, at);
  }

  /**
   * Records in (roughly) event-time order; returns signatures seen for the first time in this
   * run, except those not announced while a flood of new signatures throttles announcements.
   */
  addRecords(records: SignedRecord[]): FirstSighting[] {
    const sightings: FirstSighting[] = [];
    for (const record of records) {
      this.observeFrom(record.at);
      const { id, template, telling } = record.fingerprint;
      if (!this.announced.has(id)) {
        const isNew = this.isNew(id, record.at);
        this.remember(id, isNew);
        if (this.throttled(record.at)) this.unannounced++;
        else sightings.push({ at: record.at, id, template, level: record.level, host: record.host, new: isNew, telling });
      }
      this.known.note(id, template, record.at);
      this.hold(record);
    }
    this.ingestLate();
    if (this.pending.length > MAX_PENDING) this.ingest(Number.POSITIVE_INFINITY, this.pending.length - MAX_PENDING);
    return sightings;
  }

  /** Registers a deploy (id assigned 1, 2, … in arrival order) and returns it. */
  addDeploy(marker: Omit<Deploy, 'id'>): Deploy {
    const deploy: Deploy = { ...marker, id: this.deploys.reduce((max, d) => Math.max(max, d.id), 0) + 1 };
    let i = this.deploys.length;
    while (i > 0 && this.deploys[i - 1]!.at > deploy.at) i--;
    this.deploys.splice(i, 0, deploy);
    return deploy;
  }

  /**
   * Judges the state at the whole second at or before `now`; returns a Verdict when the level or
   * its leading signature changed since the last one returned (also when it resolves back to
   * ok), else null. A second already judged is not judged again.
   */
  evaluate(now: number): Verdict | null {
    const at = Math.floor(now / 1000) * 1000;
    if (this.lastJudged !== undefined && at <= this.lastJudged) return null;
    this.lastJudged = at;
    this.observeFrom(at);
    this.ingest(at);
    this.prune(at);
    this.endBursts(at);
    const watch = this.scanSignatures(at);
    const verdict = this.verdictFrom(at, [...this.incidentFindings(at), ...watch]);
    this.current = verdict;
    const leading = verdict.signatures[0]?.id ?? null;
    const changed = verdict.level !== this.emitted.level || leading !== this.emitted.leading;
    // Same verdict: its bursts may have changed (one more joined); "resolved by" needs the latest.
    this.emitted = { level: verdict.level, leading, bursts: this.findingBursts };
    return changed ? verdict : null;
  }

  snapshot(now: number): DetectorSnapshot {
    const nowBucket = bucketOf(now, this.thresholds.bucketMs);
    const ringBuckets = Math.floor(this.thresholds.ringMs / this.thresholds.bucketMs);
    const hostsTotal = this.hostsTotal(now);
    const rows = [...this.signatures.values()]
      .filter((s) => s.lastSeen >= now - this.thresholds.ringMs)
      .map((s) => this.view(s, now, hostsTotal))
      .sort((a, b) => b.score - a.score || b.lastSeen - a.lastSeen || a.id.localeCompare(b.id))
      .slice(0, SNAPSHOT_ROWS);
    return {
      at: now,
      verdict: this.current ?? okVerdict(now, 'No errors above baseline.', null, hostsTotal),
      deploys: [...this.deploys],
      signatures: rows,
      rate: { bucketMs: this.thresholds.bucketMs, end: (nowBucket + 1) * this.thresholds.bucketMs, counts: this.total.dense(nowBucket - ringBuckets + 1, nowBucket + 1) },
      hostsTotal,
      evicted: this.evicted,
    };
  }

  // ── intake ────────────────────────────────────────────────────────────────

  /** New: absent from the catalog, and either the catalog has history or the warm-up is over. */
  private isNew(id: string, at: number): boolean {
    if (this.known.has(id)) return false;
    if (this.known.hasHistory) return true;
    return this.observedFrom !== undefined && at >= this.observedFrom + this.thresholds.newAfterMs;
  }

  /** Whether first sightings at `at` go unannounced: the cap is full and evicting fast. */
  private throttled(at: number): boolean {
    return this.signatures.size >= this.caps.maxSignatures
      && this.evictions.lastMinute(at) > THROTTLE_EVICTED_SHARE * this.caps.maxSignatures;
  }

  private remember(id: string, isNew: boolean): void {
    this.announced.set(id, isNew);
    this.announcedOrder.push(id);
    if (this.announced.size > this.caps.maxSignatures * ANNOUNCED_PER_SIGNATURE) {
      this.announced.delete(this.announcedOrder.shift()!);
    }
  }

  private hold(record: SignedRecord): void {
    const last = this.pending[this.pending.length - 1];
    if (last !== undefined && record.at < last.at) this.pendingInOrder = false;
    this.pending.push(record);
  }

  /**
   * Takes in held records at or before `until`, in arrival order (at least `force` of them).
   * A judgement comes every second and the held records often span many, so the leading run
   * due is taken and cut off without copying the rest; only records out of event-time order
   * make it look further.
   */
  private ingest(until: number, force = 0): void {
    let taken = this.ingestLeadingRun(until, force);
    if (this.pendingInOrder) return;
    const pending = this.pending;
    let kept = 0;
    let inOrder = true;
    for (const record of pending) {
      if (record.at <= until || taken < force) {
        this.ingestOne(record);
        taken++;
      } else {
        if (kept > 0 && record.at < pending[kept - 1]!.at) inOrder = false;
        pending[kept++] = record;
      }
    }
    pending.length = kept;
    this.pendingInOrder = inOrder;
  }

  /**
   * Takes in now the held records whose second is judged already (a host whose clock lags, a
   * backfill): the next judgement would take them in first anyway, in the same order, so holding
   * them would only cost memory and garbage-collector time. Only the leading run of such records
   * is taken, so records still go in in arrival order.
   */
  private ingestLate(): void {
    if (this.lastJudged !== undefined) this.ingestLeadingRun(this.lastJudged, 0);
  }

  /** Takes in held records from the front while they are due (or `force` is not reached); returns how many. */
  private ingestLeadingRun(until: number, force: number): number {
    const pending = this.pending;
    let taken = 0;
    while (taken < pending.length && (pending[taken]!.at <= until || taken < force)) this.ingestOne(pending[taken++]!);
    if (taken > 0) pending.splice(0, taken);
    if (pending.length === 0) this.pendingInOrder = true;
    return taken;
  }

  private ingestOne(record: SignedRecord): void {
    const bucket = bucketOf(record.at, this.thresholds.bucketMs);
    const signature = this.signatureFor(record);
    if (signature.lastBucket !== bucket) {
      this.markActive(signature);
      signature.lastBucket = bucket;
    }
    signature.add(record, bucket);
    this.total.add(bucket, record.at);
    this.touchHost(record.host, record.at);
  }

  private signatureFor(record: SignedRecord): SignatureState {
    const { id, template } = record.fingerprint;
    const known = this.signatures.get(id);
    if (known !== undefined) return known;
    if (this.signatures.size >= this.caps.maxSignatures) this.evictQuietest(record.at);
    const isNew = this.announced.get(id) ?? this.isNew(id, record.at);
    const limits = { maxHosts: this.caps.maxHostsPerSignature, samples: this.caps.samplesPerSignature, overflowMin: this.thresholds.overflowMin };
    const signature = new SignatureState(id, template, isNew, record, limits);
    this.signatures.set(id, signature);
    this.markActive(signature);
    return signature;
  }

  /** Moves a signature to the young end of the activity order (at most once per bucket it is active in). */
  private markActive(signature: SignatureState): void {
    signature.activityStamp = ++this.activityClock;
    this.activity.push({ signature, stamp: signature.activityStamp });
    if (this.activity.size > 4 * this.caps.maxSignatures) {
      this.activity.retain((entry) => entry.stamp === entry.signature.activityStamp && this.signatures.has(entry.signature.id));
    }
  }

  /** Evicts the least recently active signature that is not bursting. */
  private evictQuietest(at: number): void {
    // One pass at most: when every signature is bursting none is evicted, and the cap waits for a burst to end.
    for (let budget = this.activity.size; budget > 0; budget--) {
      const entry = this.activity.shift();
      if (entry === undefined) return;
      const { signature, stamp } = entry;
      if (stamp !== signature.activityStamp || this.signatures.get(signature.id) !== signature) continue;
      if (this.bursts.has(signature.id)) {
        this.markActive(signature);
        continue;
      }
      this.signatures.delete(signature.id);
      this.watchSince.delete(signature.id);
      this.evicted++;
      this.evictions.add(at);
      return;
    }
  }

  private touchHost(host: string, at: number): void {
    const last = this.hosts.get(host);
    if (last !== undefined && last >= at) return;
    this.hosts.delete(host);
    this.hosts.set(host, at);
    if (this.hosts.size > this.caps.maxHosts) this.hosts.delete(this.hosts.keys().next().value!);
  }

  /** Drops buckets older than the ring; they only age out once a bucket (10 s), so the other seconds skip the walk over every signature and host. */
  private prune(at: number): void {
    const firstKept = bucketOf(at - this.thresholds.ringMs, this.thresholds.bucketMs) + 1;
    if (firstKept === this.prunedFrom) return;
    this.prunedFrom = firstKept;
    this.total.prune(firstKept);
    for (const signature of this.signatures.values()) pruneSignature(signature, firstKept);
  }

  private hostsTotal(at: number): number {
    let count = 0;
    for (const last of this.hosts.values()) if (last >= at - this.thresholds.ringMs) count++;
    return count;
  }

  // ── bursts ────────────────────────────────────────────────────────────────

  private endBursts(at: number): void {
    for (const [id, burst] of this.bursts) {
      const signature = this.signatures.get(id);
      if (signature !== undefined && stillGoing(signature.series, at, burst.rate, this.thresholds)) continue;
      burst.end = Math.min(signature?.lastSeen ?? at, at);
      this.bursts.delete(id);
      this.ended.push(burst);
      if (this.ended.length > MAX_ENDED_BURSTS) this.ended.shift();
    }
  }

  /** Baseline for a signature judged at `at`: before the deploy in reach, else before the tested spans. */
  private baselineFor(series: BucketSeries, at: number, deploy: Deploy | null): Baseline {
    const { bucketMs } = this.thresholds;
    const longest = Math.max(...TRAILING_SPANS);
    const end = deploy?.at ?? (bucketOf(at, bucketMs) - longest + 1) * bucketMs;
    return measureBaseline(series, end, this.observedFrom ?? at, this.thresholds);
  }

  /** Starts bursts where a signature stands out; returns the watch findings for the rest. */
  private scanSignatures(at: number): Finding[] {
    const t = this.thresholds;
    const deploy = deployInReach(this.deploys, at, t.windowMs);
    const recentFrom = Math.min(at - t.quietMs, at - Math.max(...TRAILING_SPANS) * t.bucketMs, deploy?.at ?? at);
    const hostsTotal = this.hostsTotal(at);
    const findings: Finding[] = [];
    const watched = new Set<string>();
    // Warm-up: with less history than this, a baseline says too little to call anything a rise.
    const warm = at - (this.observedFrom ?? at) >= t.minHistoryMs;
    for (const signature of warm ? this.signatures.values() : []) {
      if (this.bursts.has(signature.id)) continue;
      const climb = signature.climbs.find((c) => c.at >= at - t.windowMs);
      if (signature.lastSeen < recentFrom && climb === undefined) continue;
      const baseline = this.baselineFor(signature.series, at, deploy);
      const spans = new RiseSpans({ series: signature.series, baseline, now: at, deploy, thresholds: t });
      const rise = spans.strongest(t.minCount);
      if (rise !== null && rise.surprise >= surpriseOf(t.burstP)) {
        this.startBurst(signature, rise, baseline, at);
        continue;
      }
      const watch = this.watchFinding(signature, at, hostsTotal, spans.strongest(2), baseline);
      if (watch === null) continue;
      watched.add(signature.id);
      findings.push(watch);
    }
    for (const id of this.watchSince.keys()) if (!watched.has(id)) this.watchSince.delete(id);
    return findings;
  }

  private startBurst(signature: SignatureState, rise: RiseEvidence, baseline: Baseline, at: number): void {
    const earliest = Math.max(this.observedFrom ?? at, at - this.thresholds.ringMs);
    const onset = findOnset(signature.series, rise, at, baseline.rate, this.thresholds, earliest);
    this.bursts.set(signature.id, { signatureId: signature.id, onset, detectedAt: at, rate: baseline.rate, evidence: rise, end: null, countdownEndsAt: null });
    this.watchSince.delete(signature.id);
  }

  /** Something new, rising or climbing, below the thresholds for a burst. */
  private watchFinding(signature: SignatureState, at: number, hostsTotal: number, rise: RiseEvidence | null, baseline: Baseline): Finding | null {
    const t = this.thresholds;
    const rising = rise !== null && rise.surprise >= surpriseOf(t.watchP) ? rise : null;
    const fresh = signature.isNew && signature.lastSeen >= at - t.quietMs && signature.level !== 'info' && signature.level !== 'debug';
    const climb = signature.climbs.find((c) => c.at >= at - t.windowMs);
    if (rising === null && !fresh && climb === undefined) return null;
    const since = this.watchSince.get(signature.id) ?? at;
    this.watchSince.set(signature.id, since);
    const spanFrom = rising !== null ? rising.fromBucket * t.bucketMs : Math.max(signature.firstSeen, at - t.windowMs);
    const count = rising?.count ?? signature.series.sum(bucketOf(spanFrom, t.bucketMs), bucketOf(at, t.bucketMs) + 1);
    const expected = rising?.expected ?? baseline.rate * Math.max(1, at - spanFrom);
    const row = this.verdictSignature(signature, count, expected, spanFrom, hostsTotal);
    const what = `"${shortTemplate(signature.template)}"`;
    const reason =
      climb !== undefined
        ? `Values in ${what} climbed past ${climb.telling.name} (${climb.telling.value}): watch — an overflow may follow.`
        : rising !== null
          ? `${capitalize(kindOf(signature.isNew, signature.level))} ${what} at ${ratioText(rising)} baseline: watch.`
          : `${capitalize(kindOf(true, signature.level))} ${what} on ${row.hosts}/${hostsTotal} hosts: watch.`;
    const evidence: Evidence = rising !== null
      ? { statistic: 'poisson surprise −log10 p', value: round2(rising.surprise), threshold: round2(surpriseOf(t.watchP)) }
      : { statistic: 'lines', value: count, threshold: t.minCount };
    return {
      level: 'watch', reason, deploy: null, evidence, signatures: [row], telling: signature.telling,
      headline: null, countdownEndsAt: null, since, bursts: [],
    };
  }

  // ── incidents and verdicts ───────────────────────────────────────────────

  private incidentFindings(at: number): Finding[] {
    const t = this.thresholds;
    const hostsTotal = this.hostsTotal(at);
    const facts = [...this.bursts.values()].flatMap((burst) => {
      const signature = this.signatures.get(burst.signatureId);
      return signature === undefined ? [] : [this.factsOf(burst, signature, at)];
    });
    const incidents = groupIncidents(facts, hostsTotal, t);
    const breach = this.rateBreach(at);
    const attributedLastMinute = incidents.filter((i) => i.deploy !== null).reduce((sum, i) => sum + i.lastMinute, 0);
    const explained = breach !== null && attributedLastMinute >= 0.5 * (breach.count - breach.expected);
    const findings = incidents.map((incident) => this.incidentFinding(incident, at, explained ? breach : null));
    if (breach !== null && !explained) findings.push(this.rateFinding(breach, incidents, at, hostsTotal));
    return findings;
  }

  private factsOf(burst: Burst, signature: SignatureState, at: number): BurstFacts {
    const { bucketMs, windowMs } = this.thresholds;
    const nowBucket = bucketOf(at, bucketMs);
    return {
      burst,
      template: signature.template,
      level: signature.level,
      isNew: signature.isNew,
      telling: signature.telling,
      hosts: signature.hostsSince(burst.onset),
      count: signature.series.sum(bucketOf(burst.onset, bucketMs), nowBucket + 1),
      expected: burst.rate * Math.max(1, at - burst.onset),
      lastMinute: signature.series.sum(bucketOf(at - MINUTE, bucketMs) + 1, nowBucket + 1),
      deploy: deployInReach(this.deploys, burst.onset, windowMs),
    };
  }

  private incidentFinding(incident: Incident, at: number, breach: RateBreach | null): Finding {
    const context = { now: at, observedFrom: this.observedFrom ?? at, thresholds: this.thresholds };
    let judgement = judgeIncident(incident, context);
    let reason = reasonFor(incident, judgement, this.thresholds);
    if (breach !== null && incident.deploy !== null && levelRank(judgement.level) < levelRank('revert')) {
      judgement = { level: 'revert', rule: 'fast', evidence: breach.evidence, countdownEndsAt: null };
      reason = `Whole error rate ${ratioText(breach)} baseline since ${describeDeploy(incident.deploy)}: revert.`;
    }
    if (judgement.countdownEndsAt !== null) {
      for (const member of incident.members) member.burst.countdownEndsAt ??= judgement.countdownEndsAt;
    }
    return {
      level: judgement.level,
      reason,
      deploy: incident.deploy,
      evidence: judgement.evidence,
      signatures: incident.members.slice(0, VERDICT_SIGNATURES).map((m) => this.burstSignature(m, incident.hostsTotal)),
      telling: incident.telling,
      headline: incident.headline,
      countdownEndsAt: judgement.level === 'roll-forward' ? judgement.countdownEndsAt : null,
      since: incident.onset,
      bursts: incident.members.map((m) => m.burst),
    };
  }

  /** The whole error rate over the last minute, when it is many times its baseline. */
  private rateBreach(at: number): RateBreach | null {
    const t = this.thresholds;
    const observedFrom = this.observedFrom ?? at;
    if (at - observedFrom < t.minHistoryMs) return null;
    const nowBucket = bucketOf(at, t.bucketMs);
    const fromBucket = bucketOf(at - MINUTE, t.bucketMs) + 1;
    const deploy = deployInReach(this.deploys, at, t.windowMs);
    const baseline = measureBaseline(this.total, deploy?.at ?? fromBucket * t.bucketMs, observedFrom, t);
    const spanMs = Math.max(1, at - fromBucket * t.bucketMs);
    const count = this.total.sum(fromBucket, nowBucket + 1);
    const expected = baseline.rate * spanMs;
    const ratio = count / expected;
    if (count < t.stopRateMinPerMinute || ratio < t.stopRateRatio) return null;
    if (poissonSurprise(count, expected) < surpriseOf(t.burstP)) return null;
    const historyTo = bucketOf(baseline.to, t.bucketMs);
    const peak = peakSum(this.total, historyTo - Math.floor(t.ringMs / t.bucketMs), historyTo, nowBucket - fromBucket + 1);
    if (count <= t.peakTolerance * peak) return null;
    return { count, expected, evidence: { statistic: 'whole error rate ratio to baseline', value: round2(ratio), threshold: t.stopRateRatio } };
  }

  private rateFinding(breach: RateBreach, incidents: Incident[], at: number, hostsTotal: number): Finding {
    const unattributed = incidents.filter((i) => i.deploy === null);
    const members = unattributed.flatMap((i) => i.members).sort((a, b) => b.lastMinute - a.lastMinute);
    const signatures = members.length > 0
      ? members.slice(0, VERDICT_SIGNATURES).map((m) => this.burstSignature(m, hostsTotal))
      : this.busiestSignatures(at, hostsTotal);
    return {
      level: 'stop',
      reason: `Whole error rate ${ratioText(breach)} baseline (${breach.count} lines in the last minute), no deploy explains it: stop pushing.`,
      deploy: null,
      evidence: breach.evidence,
      signatures,
      telling: [...new Map(members.flatMap((m) => m.telling).map((x) => [x.value, x])).values()],
      headline: unattributed.find((i) => i.headline !== null)?.headline ?? null,
      countdownEndsAt: null,
      since: Math.min(at, ...members.map((m) => m.burst.onset)),
      bursts: members.map((m) => m.burst),
    };
  }

  private busiestSignatures(at: number, hostsTotal: number): VerdictSignature[] {
    const t = this.thresholds;
    const from = bucketOf(at - MINUTE, t.bucketMs) + 1;
    const to = bucketOf(at, t.bucketMs) + 1;
    return [...this.signatures.values()]
      .filter((s) => s.lastSeen >= at - MINUTE)
      .map((s) => ({ s, count: s.series.sum(from, to) }))
      .sort((a, b) => b.count - a.count || a.s.id.localeCompare(b.s.id))
      .slice(0, VERDICT_SIGNATURES)
      .map(({ s, count }) => {
        const baseline = this.baselineFor(s.series, at, null);
        return this.verdictSignature(s, count, baseline.rate * (at - from * t.bucketMs), from * t.bucketMs, hostsTotal);
      });
  }

  private burstSignature(member: BurstFacts, hostsTotal: number): VerdictSignature {
    const signature = this.signatures.get(member.burst.signatureId)!;
    return this.verdictSignature(signature, member.count, member.expected, member.burst.onset, hostsTotal);
  }

  private verdictSignature(signature: SignatureState, count: number, expected: number, since: number, hostsTotal: number): VerdictSignature {
    return {
      id: signature.id,
      template: signature.template,
      level: signature.level,
      count,
      baseline: round2(expected),
      hosts: signature.hostsSince(since).length,
      hostsTotal,
      new: signature.isNew,
      telling: signature.telling,
      common: signature.commonValues(),
      samples: signature.samples(VERDICT_SAMPLES),
    };
  }

  /** Bursts behind the most recent verdict judged (for "resolved by"). */
  private findingBursts: Burst[] = [];

  private verdictFrom(at: number, findings: Finding[]): Verdict {
    const top = findings.sort((a, b) => levelRank(b.level) - levelRank(a.level) || a.since - b.since || leadId(a).localeCompare(leadId(b)))[0];
    const resolvedBy = this.resolvedBy(top?.level ?? 'ok');
    this.findingBursts = top?.bursts ?? [];
    if (top === undefined) {
      const reason = resolvedBy === null ? 'No errors above baseline.' : `Resolved by deploy #${resolvedBy}: no errors above baseline.`;
      return okVerdict(at, reason, resolvedBy, this.hostsTotal(at));
    }
    return {
      at,
      level: top.level,
      reason: top.reason,
      attribution: top.deploy === null ? 'none' : 'deploy',
      deploy: top.deploy?.id ?? null,
      signatures: top.signatures,
      evidence: top.evidence,
      telling: top.telling,
      headline: top.headline,
      countdownEndsAt: top.countdownEndsAt,
      resolvedBy,
    };
  }

  /**
   * When the level goes down, the deploy after which the bursts behind the last verdict ended:
   * the latest deploy after a burst's onset and no later than its end (plus a grace for markers
   * sent when the push finished).
   */
  private resolvedBy(level: VerdictLevel): number | null {
    if (levelRank(level) >= levelRank(this.emitted.level)) return null;
    let best: Deploy | null = null;
    for (const burst of this.emitted.bursts) {
      if (burst.end === null) continue;
      const end = burst.end;
      for (const deploy of this.deploys) {
        if (deploy.at > burst.onset && deploy.at <= end + this.thresholds.resolveGraceMs && (best === null || deploy.at > best.at)) best = deploy;
      }
    }
    return best?.id ?? null;
  }

  // ── snapshot rows ────────────────────────────────────────────────────────

  private view(signature: SignatureState, now: number, hostsTotal: number): SignatureView {
    const t = this.thresholds;
    const nowBucket = bucketOf(now, t.bucketMs);
    const deploy = deployInReach(this.deploys, now, t.windowMs);
    const windowFrom = deploy?.at ?? now - t.windowMs;
    const fromBucket = bucketOf(windowFrom, t.bucketMs);
    const windowCount = signature.series.sum(fromBucket, nowBucket + 1);
    const baseline = measureBaseline(signature.series, windowFrom, this.observedFrom ?? now, t);
    const expected = baseline.rate * Math.max(1, now - windowFrom);
    const burst = this.bursts.get(signature.id);
    return {
      id: signature.id,
      template: signature.template,
      level: signature.level,
      new: signature.isNew,
      firstSeen: signature.firstSeen,
      lastSeen: signature.lastSeen,
      windowCount,
      baseline: round2(expected),
      ratio: round2(windowCount / expected),
      score: round2(poissonSurprise(windowCount, expected) * SEVERITY_WEIGHT[signature.level] + (burst === undefined ? 0 : BURSTING_BONUS)),
      hosts: signature.hostsSince(windowFrom).length,
      hostsTotal,
      sparkline: signature.series.dense(nowBucket - SPARKLINE_BUCKETS + 1, nowBucket + 1),
      telling: signature.telling,
      common: signature.commonValues(),
      samples: signature.samples(this.caps.samplesPerSignature),
      perHost: perHostCounts(signature, fromBucket, nowBucket + 1),
    };
  }
}

interface RateBreach {
  count: number;
  expected: number;
  evidence: Evidence;
}

/** Ranking weight per level: a fatal at the same surprise outranks a notice. */
const SEVERITY_WEIGHT: Readonly<Record<Level, number>> = { fatal: 2, error: 1.5, warning: 1, notice: 0.5, info: 0.25, debug: 0.25 };
/** Added to a bursting signature's score so running bursts head the table. */
const BURSTING_BONUS = 1_000;

function perHostCounts(signature: SignatureState, from: number, to: number): Record<string, number> {
  const counts = [...signature.hosts].map(([host, activity]) => [host, activity.series.sum(from, to)] as const).filter(([, n]) => n > 0);
  counts.sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  const out: Record<string, number> = {};
  counts.forEach(([host, n], i) => {
    const key = i < SNAPSHOT_HOSTS && host !== OTHER_HOSTS ? host : OTHER_HOSTS;
    out[key] = (out[key] ?? 0) + n;
  });
  return out;
}

function okVerdict(at: number, reason: string, resolvedBy: number | null, hostsTotal: number): Verdict {
  return {
    at, level: 'ok', reason, attribution: 'none', deploy: null, signatures: [],
    evidence: { statistic: 'hosts active', value: hostsTotal, threshold: 0 },
    telling: [], headline: null, countdownEndsAt: null, resolvedBy,
  };
}

function leadId(finding: Finding): string {
  return finding.signatures[0]?.id ?? '';
}

function ratioText(measure: { count: number; expected: number }): string {
  return `${(measure.count / Math.max(measure.expected, Number.MIN_VALUE)).toFixed(1)}×`;
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}
