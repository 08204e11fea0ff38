/**
 * The incident review as data: what the Markdown, HTML and JSON reports show. Built from a
 * replay's published events and its final snapshot; pure, so every form tells the same story.
 * The JSON form is this shape (docs/report-format.md); fields may be added, never renamed.
 */
import { VERDICT_LEVELS, type Deploy, type DetectorSnapshot, type Telling, type VerdictLevel, type VerdictSignature } from '../detect/model.js';
import type { Level } from '../pipeline/record.js';
import type { LogwatchEvent, VerdictEvent } from '../pipeline/events.js';

export const REPORT_VERSION = 1;
/** Signatures shown in detail: enough to cover an incident of several errors, few enough to read. */
const TOP_SIGNATURES = 5;

export interface ReportInput {
  name: string;
  description: string;
  /** The scenario's `incidentStart` (ms), when it names one: onset for time to detection. */
  incidentStart?: number;
  /** Published events, in order. */
  events: LogwatchEvent[];
  /** The run's state when it ended. */
  snapshot: DetectorSnapshot;
  /** Counts per bucket (bucket start ms → count) of signatures followed through the run, when sampled. */
  bucketCounts?: ReadonlyMap<string, ReadonlyMap<number, number>>;
}

export interface ReportDeploy {
  id: number;
  at: string;
  app: string;
  version: string | null;
  by: string | null;
}

export interface ReportVerdict {
  at: string;
  level: VerdictLevel;
  reason: string;
  attribution: 'deploy' | 'none';
  deploy: number | null;
  headline: string | null;
  /** Ids of the signatures that drove it, most important first. */
  signatures: string[];
  evidence: { statistic: string; value: number; threshold: number };
  telling: Telling[];
  resolvedBy: number | null;
}

/** A signature's run above baseline, as the verdict timeline saw it. */
export interface ReportBurst {
  signature: string;
  template: string;
  /** Onset: first sighting for a new signature, else the first verdict naming it. */
  start: string;
  /** First verdict that named it. */
  detected: string;
  /** The next ok verdict, or null if it was still going at the end. */
  end: string | null;
  /** Highest window count any verdict gave it. */
  peakCount: number;
}

export type TimelineEntry =
  | { at: string; kind: 'deploy'; deploy: number; text: string }
  | { at: string; kind: 'burst'; signature: string; text: string }
  | { at: string; kind: 'verdict'; level: VerdictLevel; text: string };

export interface ReportSignature {
  id: string;
  template: string;
  level: Level;
  new: boolean;
  firstSeen: string | null;
  lastSeen: string | null;
  /** Highest count a verdict gave it (or its final window count when no verdict named it). */
  count: number;
  baseline: number;
  hosts: number;
  hostsTotal: number;
  telling: Telling[];
  common: Record<string, string>;
  samples: string[];
  perHost: Record<string, number>;
  /** Per-bucket counts, oldest first, the last bucket being the chart's last: over the chart's span when followed through the run, else the final sparkline (empty if evicted). */
  series: number[];
}

export interface IncidentReport {
  format: 'logwatch-incident-report';
  version: typeof REPORT_VERSION;
  name: string;
  description: string;
  span: { from: string | null; to: string };
  worst: VerdictLevel;
  headline: string;
  detection: { onset: string; onsetFrom: 'incidentStart' | 'firstSeen'; detectedAt: string; level: VerdictLevel; ms: number } | null;
  deploys: ReportDeploy[];
  verdicts: ReportVerdict[];
  bursts: ReportBurst[];
  timeline: TimelineEntry[];
  signatures: ReportSignature[];
  /** Whole error rate per bucket, oldest first, the last bucket starting at `end - bucketMs`. */
  rate: { bucketMs: number; start: string; end: string; counts: number[] };
}

const rank = (level: VerdictLevel): number => VERDICT_LEVELS.indexOf(level);
const iso = (ms: number): string => new Date(ms).toISOString();

export function buildReport(input: ReportInput): IncidentReport {
  const verdictEvents = input.events.filter((e): e is VerdictEvent => e.type === 'verdict');
  const firstSeen = firstSightings(input);
  const worst = verdictEvents.reduce<VerdictLevel>((w, v) => (rank(v.level) > rank(w) ? v.level : w), 'ok');
  const deploys = deploysOf(input);
  const bursts = burstsOf(verdictEvents, firstSeen);
  const verdicts = verdictEvents.map(reportVerdict);
  const { snapshot } = input;
  const rateStart = snapshot.rate.end - snapshot.rate.counts.length * snapshot.rate.bucketMs;
  return {
    format: 'logwatch-incident-report',
    version: REPORT_VERSION,
    name: input.name,
    description: input.description,
    span: { from: input.events[0]?.at ?? null, to: iso(snapshot.at) },
    worst,
    headline: headlineOf(verdictEvents, worst),
    detection: detectionOf(verdictEvents, firstSeen, input.incidentStart),
    deploys,
    verdicts,
    bursts,
    timeline: timelineOf(deploys, bursts, verdicts),
    signatures: topSignatures(verdictEvents, input.snapshot, firstSeen).map((s) => withSeries(s, input, rateStart)),
    rate: { bucketMs: snapshot.rate.bucketMs, start: iso(rateStart), end: iso(snapshot.rate.end), counts: snapshot.rate.counts },
  };
}

/** Signature id → first-seen ms, from `signature` events and, for earlier ones, the snapshot. */
function firstSightings(input: ReportInput): Map<string, number> {
  const seen = new Map<string, number>();
  for (const signature of input.snapshot.signatures) seen.set(signature.id, signature.firstSeen);
  for (const event of input.events) if (event.type === 'signature') seen.set(event.id, Date.parse(event.at));
  return seen;
}

function deploysOf(input: ReportInput): ReportDeploy[] {
  const byId = new Map<number, Deploy>();
  for (const deploy of input.snapshot.deploys) byId.set(deploy.id, deploy);
  for (const event of input.events) if (event.type === 'deploy') byId.set(event.id, { ...event, at: Date.parse(event.at) });
  return [...byId.values()]
    .sort((a, b) => a.at - b.at)
    .map((d) => ({ id: d.id, at: iso(d.at), app: d.app, version: d.version ?? null, by: d.by ?? null }));
}

function reportVerdict(v: VerdictEvent): ReportVerdict {
  return {
    at: v.at,
    level: v.level,
    reason: v.reason,
    attribution: v.attribution,
    deploy: v.deploy,
    headline: v.headline,
    signatures: v.signatures.map((s) => s.id),
    evidence: v.evidence,
    telling: v.telling,
    resolvedBy: v.resolvedBy,
  };
}

function headlineOf(verdicts: VerdictEvent[], worst: VerdictLevel): string {
  const first = verdicts.find((v) => v.level === worst);
  if (first === undefined || rank(worst) < rank('roll-forward')) {
    return worst === 'watch' ? 'No incident: something rose, but nothing asked for action.' : 'No incident: every verdict stayed ok.';
  }
  return first.headline ?? first.reason;
}

function detectionOf(verdicts: VerdictEvent[], firstSeen: Map<string, number>, incidentStart: number | undefined): IncidentReport['detection'] {
  const action = verdicts.find((v) => rank(v.level) >= rank('roll-forward'));
  if (action === undefined) return null;
  const sightings = action.signatures.map((s) => firstSeen.get(s.id)).filter((t): t is number => t !== undefined);
  const onset = incidentStart ?? (sightings.length > 0 ? Math.min(...sightings) : undefined);
  if (onset === undefined) return null;
  const detectedAt = Date.parse(action.at);
  return {
    onset: iso(onset),
    onsetFrom: incidentStart === undefined ? 'firstSeen' : 'incidentStart',
    detectedAt: action.at,
    level: action.level,
    ms: detectedAt - onset,
  };
}

/**
 * Bursts as the verdict timeline saw them: a signature's burst begins when a non-ok verdict first
 * names it (at its first sighting when it is new: that is its onset) and ends at the next ok
 * verdict. Verdicts name only their leading signatures, so a change of lead does not end a burst.
 */
function burstsOf(verdicts: VerdictEvent[], firstSeen: Map<string, number>): ReportBurst[] {
  const open = new Map<string, ReportBurst>();
  const done: ReportBurst[] = [];
  for (const verdict of verdicts) {
    if (verdict.level === 'ok') {
      for (const burst of open.values()) done.push({ ...burst, end: verdict.at });
      open.clear();
      continue;
    }
    for (const signature of verdict.signatures) {
      const burst = open.get(signature.id);
      if (burst !== undefined) burst.peakCount = Math.max(burst.peakCount, signature.count);
      else open.set(signature.id, newBurst(signature, verdict, firstSeen));
    }
  }
  return [...done, ...open.values()].sort((a, b) => a.start.localeCompare(b.start));
}

function newBurst(signature: VerdictSignature, verdict: VerdictEvent, firstSeen: Map<string, number>): ReportBurst {
  const seen = signature.new ? firstSeen.get(signature.id) : undefined;
  return {
    signature: signature.id,
    template: signature.template,
    start: seen === undefined ? verdict.at : iso(Math.min(seen, Date.parse(verdict.at))),
    detected: verdict.at,
    end: null,
    peakCount: signature.count,
  };
}

function timelineOf(deploys: ReportDeploy[], bursts: ReportBurst[], verdicts: ReportVerdict[]): TimelineEntry[] {
  const entries: TimelineEntry[] = [
    ...deploys.map((d): TimelineEntry => ({
      at: d.at, kind: 'deploy', deploy: d.id,
      text: `deploy #${d.id} ${d.app}${d.version === null ? '' : ` ${d.version}`}${d.by === null ? '' : ` by ${d.by}`}`,
    })),
    ...bursts.map((b): TimelineEntry => ({
      at: b.start, kind: 'burst', signature: b.signature,
      text: `burst of ${b.signature} begins (peak ${b.peakCount} in a window${b.end === null ? ', still going at the end' : `, over by ${b.end.slice(11, 19)}`}): ${b.template}`,
    })),
    ...verdicts.map((v): TimelineEntry => ({ at: v.at, kind: 'verdict', level: v.level, text: `${v.level}: ${v.reason}` })),
  ];
  // Stable: at one instant deploys come before bursts before verdicts, as causes before judgements.
  return entries.sort((a, b) => a.at.localeCompare(b.at));
}

function topSignatures(verdicts: VerdictEvent[], snapshot: DetectorSnapshot, firstSeen: Map<string, number>): ReportSignature[] {
  const involved = new Map<string, { signature: VerdictSignature; rank: number }>();
  for (const verdict of verdicts) {
    for (const signature of verdict.signatures) {
      const known = involved.get(signature.id);
      const best = Math.max(known?.rank ?? -1, rank(verdict.level));
      const keep = known === undefined || signature.count > known.signature.count ? signature : known.signature;
      involved.set(signature.id, { signature: keep, rank: best });
    }
  }
  const views = new Map(snapshot.signatures.map((s) => [s.id, s]));
  const chosen = [...involved.values()]
    .sort((a, b) => b.rank - a.rank || b.signature.count - a.signature.count)
    .slice(0, TOP_SIGNATURES)
    .map(({ signature }) => fromVerdictSignature(signature, views.get(signature.id), firstSeen));
  for (const view of [...snapshot.signatures].sort((a, b) => b.score - a.score)) {
    if (chosen.length >= TOP_SIGNATURES) break;
    if (involved.has(view.id)) continue;
    chosen.push({
      id: view.id, template: view.template, level: view.level, new: view.new,
      firstSeen: iso(view.firstSeen), lastSeen: iso(view.lastSeen), count: view.windowCount, baseline: view.baseline,
      hosts: view.hosts, hostsTotal: view.hostsTotal, telling: view.telling, common: view.common,
      samples: view.samples, perHost: view.perHost, series: view.sparkline,
    });
  }
  return chosen;
}

/** The signature's counts over the chart's whole span, when they were followed through the run. */
function withSeries(signature: ReportSignature, input: ReportInput, rateStart: number): ReportSignature {
  const counts = input.bucketCounts?.get(signature.id);
  if (counts === undefined) return signature;
  const { bucketMs, counts: rate } = input.snapshot.rate;
  return { ...signature, series: rate.map((_, i) => counts.get(rateStart + i * bucketMs) ?? 0) };
}

function fromVerdictSignature(
  signature: VerdictSignature,
  view: DetectorSnapshot['signatures'][number] | undefined,
  firstSeen: Map<string, number>,
): ReportSignature {
  const seen = firstSeen.get(signature.id);
  return {
    id: signature.id,
    template: signature.template,
    level: signature.level,
    new: signature.new,
    firstSeen: seen === undefined ? null : iso(seen),
    lastSeen: view === undefined ? null : iso(view.lastSeen),
    count: signature.count,
    baseline: signature.baseline,
    hosts: signature.hosts,
    hostsTotal: signature.hostsTotal,
    telling: signature.telling,
    common: signature.common,
    samples: signature.samples.length > 0 ? signature.samples : view?.samples ?? [],
    perHost: view?.perHost ?? {},
    series: view?.sparkline ?? [],
  };
}
