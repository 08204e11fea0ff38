/**
 * A fixture's `scenario.json` and the expectations in it, checked against a run's verdict
 * timeline (the `verdict` events of `--json`, as `Verdict`s). Pure: no I/O.
 *
 * The vocabulary (documented for fixture authors in fixtures/README.md):
 * - `{"verdict": L | [L…], "attribution"?, "deploy"?, "between"?: [ISO, ISO], "telling"?, "incidentStart"?}`
 *   some verdict has one of the levels L and every other given property: attribution, deploy id,
 *   event time within `between` (inclusive), `telling` among the telling values of the verdict or
 *   of its signatures. `incidentStart` is the event time of the incident's first line: it is not
 *   checked, it is where detection latency is measured from (`measureLatencies`).
 * - `{"maxLevel": L, "between"?}` no verdict (within `between`) is above L.
 * - `{"resolved": true, "resolvedBy"?: id}` the last verdict at roll-forward or above is followed
 *   by one at watch or below, the run ends at watch or below, and (if given) a verdict after
 *   that last action names deploy `resolvedBy` as the one after which the bursts ended.
 * Every expectation may carry `"why"`: one sentence for the reader, never checked.
 */
import { z } from 'zod';
import { VERDICT_LEVELS, type Verdict, type VerdictLevel } from '../detect/model.js';
import { isTimeZone, TIME_ZONE_HINT } from '../pipeline/parse-header.js';

const LEVEL_LIST = VERDICT_LEVELS.join(', ');
const level = z.enum(VERDICT_LEVELS as [VerdictLevel, ...VerdictLevel[]], { error: `expected one of ${LEVEL_LIST}` });
const isoTime = z.iso.datetime({ offset: true });
const interval = z
  .tuple([isoTime, isoTime])
  .refine(([from, to]) => Date.parse(from) <= Date.parse(to), 'the first time must not be after the second');
const why = z.string().optional();

export const VerdictExpectationSchema = z.strictObject({
  verdict: z.union([level, z.array(level).min(1)], { error: `expected a level or a list of levels (${LEVEL_LIST})` }),
  attribution: z.enum(['deploy', 'none']).optional(),
  deploy: z.number().int().positive().optional(),
  between: interval.optional(),
  telling: z.string().min(1).optional(),
  incidentStart: isoTime.optional(),
  why,
});

export const MaxLevelExpectationSchema = z.strictObject({ maxLevel: level, between: interval.optional(), why });

export const ResolvedExpectationSchema = z.strictObject({
  resolved: z.literal(true),
  resolvedBy: z.number().int().positive().optional(),
  why,
});

const ExpectationSchema = z.union([VerdictExpectationSchema, MaxLevelExpectationSchema, ResolvedExpectationSchema]);

const ScenarioSchema = z.strictObject({
  name: z.string().min(1),
  description: z.string().min(1),
  /** The simulator seed that produced the fixture, when it was simulated. */
  seed: z.number().int().nonnegative().optional(),
  /** When a recorded session began observing (ISO-8601): its replay starts detection's warm-up there too. */
  observedFrom: isoTime.optional(),
  /** Zone of the logs' times written without one, when not UTC (a recording made with `--zone`). */
  zone: z.string().refine(isTimeZone, TIME_ZONE_HINT).optional(),
  expect: z.array(z.unknown()),
});

export type VerdictExpectation = z.infer<typeof VerdictExpectationSchema>;
export type MaxLevelExpectation = z.infer<typeof MaxLevelExpectationSchema>;
export type ResolvedExpectation = z.infer<typeof ResolvedExpectationSchema>;
export type Expectation = z.infer<typeof ExpectationSchema>;
export type Scenario = Omit<z.infer<typeof ScenarioSchema>, 'expect'> & { expect: Expectation[] };

/** The schema an expectation is checked against is chosen by its key, so errors name the real field. */
function expectationSchema(value: unknown): z.ZodType<Expectation> | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  if ('verdict' in value) return VerdictExpectationSchema;
  if ('maxLevel' in value) return MaxLevelExpectationSchema;
  if ('resolved' in value) return ResolvedExpectationSchema;
  return undefined;
}

function firstIssue(error: z.ZodError, prefix: string): string {
  const issue = error.issues[0];
  const path = [prefix, ...(issue?.path ?? []).map(String)].filter((p) => p !== '').join('.');
  return `${path || 'scenario'}: ${issue?.message ?? 'invalid'}`;
}

/** Validates scenario.json text; the error names the field (`expect.2.verdict: …`). */
export function parseScenario(text: string): { scenario: Scenario } | { error: string } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { error: `not valid JSON (${(error as Error).message})` };
  }
  const parsed = ScenarioSchema.safeParse(value);
  if (!parsed.success) return { error: firstIssue(parsed.error, '') };
  const expectations: Expectation[] = [];
  for (const [i, item] of parsed.data.expect.entries()) {
    const schema = expectationSchema(item);
    if (schema === undefined) return { error: `expect.${i}: an expectation has one of "verdict", "maxLevel" or "resolved"` };
    const checked = schema.safeParse(item);
    if (!checked.success) return { error: firstIssue(checked.error, `expect.${i}`) };
    expectations.push(checked.data);
  }
  return { scenario: { ...parsed.data, expect: expectations } };
}

const rank = (l: VerdictLevel): number => VERDICT_LEVELS.indexOf(l);
const ACTION = rank('roll-forward');
const clock = (ms: number): string => new Date(ms).toISOString().replace('.000Z', 'Z');

function within(at: number, between: [string, string] | undefined): boolean {
  return between === undefined || (at >= Date.parse(between[0]) && at <= Date.parse(between[1]));
}

function tellingValues(verdict: Verdict): Set<string> {
  const values = new Set(verdict.telling.map((t) => t.value));
  for (const signature of verdict.signatures) for (const t of signature.telling) values.add(t.value);
  return values;
}

function matchesVerdict(expected: VerdictExpectation, verdict: Verdict): boolean {
  const levels = Array.isArray(expected.verdict) ? expected.verdict : [expected.verdict];
  return (
    levels.includes(verdict.level) &&
    (expected.attribution === undefined || verdict.attribution === expected.attribution) &&
    (expected.deploy === undefined || verdict.deploy === expected.deploy) &&
    within(verdict.at, expected.between) &&
    (expected.telling === undefined || tellingValues(verdict).has(expected.telling))
  );
}

function describeVerdict(verdict: Verdict): string {
  const attribution = verdict.deploy === null ? verdict.attribution : `deploy #${verdict.deploy}`;
  const resolved = verdict.resolvedBy === null ? '' : ` resolvedBy #${verdict.resolvedBy}`;
  return `${clock(verdict.at)} ${verdict.level} (${attribution})${resolved}`;
}

/** The timeline in a few words, so a failure line shows what happened instead. */
function timeline(verdicts: Verdict[]): string {
  if (verdicts.length === 0) return 'no verdicts';
  const shown = verdicts.slice(0, 8).map(describeVerdict).join(', ');
  return verdicts.length > 8 ? `${shown}, … ${verdicts.length - 8} more` : shown;
}

function describeVerdictExpectation(expected: VerdictExpectation): string {
  const levels = Array.isArray(expected.verdict) ? expected.verdict.join(' or ') : expected.verdict;
  const parts = [
    expected.attribution && `attribution ${expected.attribution}`,
    expected.deploy !== undefined && `deploy #${expected.deploy}`,
    expected.telling && `telling ${expected.telling}`,
  ].filter(Boolean);
  const when = expected.between ? ` between ${clock(Date.parse(expected.between[0]))} and ${clock(Date.parse(expected.between[1]))}` : '';
  return `a ${levels} verdict${parts.length > 0 ? ` (${parts.join(', ')})` : ''}${when}`;
}

function checkVerdict(expected: VerdictExpectation, verdicts: Verdict[]): string | undefined {
  if (verdicts.some((v) => matchesVerdict(expected, v))) return undefined;
  return `expected ${describeVerdictExpectation(expected)}; saw ${timeline(verdicts)}`;
}

function checkMaxLevel(expected: MaxLevelExpectation, verdicts: Verdict[]): string | undefined {
  const above = verdicts.find((v) => within(v.at, expected.between) && rank(v.level) > rank(expected.maxLevel));
  if (above === undefined) return undefined;
  return `expected nothing above ${expected.maxLevel}; saw ${describeVerdict(above)}: ${above.reason}`;
}

function checkResolved(expected: ResolvedExpectation, verdicts: Verdict[]): string | undefined {
  const lastAction = verdicts.findLastIndex((v) => rank(v.level) >= ACTION);
  if (lastAction < 0) return `expected an action verdict that resolves; none reached roll-forward (saw ${timeline(verdicts)})`;
  const after = verdicts.slice(lastAction + 1);
  const final = verdicts[verdicts.length - 1] as Verdict;
  if (after.length === 0 || rank(final.level) >= ACTION) {
    return `expected the ${verdicts[lastAction]?.level} verdict to resolve; the run ends at ${describeVerdict(final)}`;
  }
  if (expected.resolvedBy !== undefined && !after.some((v) => v.resolvedBy === expected.resolvedBy)) {
    return `expected resolution by deploy #${expected.resolvedBy}; after the last action saw ${timeline(after)}`;
  }
  return undefined;
}

function checkOne(expected: Expectation, verdicts: Verdict[]): string | undefined {
  if ('verdict' in expected) return checkVerdict(expected, verdicts);
  if ('maxLevel' in expected) return checkMaxLevel(expected, verdicts);
  return checkResolved(expected, verdicts);
}

/** Every unmet expectation as one line (`expect[2]: …`); empty when all are met. */
export function checkExpectations(scenario: Scenario, verdicts: Verdict[]): string[] {
  const ordered = [...verdicts].sort((a, b) => a.at - b.at);
  const failures: string[] = [];
  scenario.expect.forEach((expected, i) => {
    const failure = checkOne(expected, ordered);
    if (failure !== undefined) failures.push(`${scenario.name} expect[${i}]: ${failure}`);
  });
  return failures;
}

export interface DetectionLatency {
  /** Index into `scenario.expect`. */
  expectation: number;
  incidentStart: number;
  /** Event time of the first verdict meeting the expectation, or null when none did. */
  detectedAt: number | null;
  latencyMs: number | null;
}

/** For each verdict expectation with an `incidentStart`: how long after it the verdict came. */
export function measureLatencies(scenario: Scenario, verdicts: Verdict[]): DetectionLatency[] {
  const ordered = [...verdicts].sort((a, b) => a.at - b.at);
  const latencies: DetectionLatency[] = [];
  scenario.expect.forEach((expected, i) => {
    if (!('verdict' in expected) || expected.incidentStart === undefined) return;
    const incidentStart = Date.parse(expected.incidentStart);
    const detectedAt = ordered.find((v) => matchesVerdict(expected, v))?.at ?? null;
    latencies.push({ expectation: i, incidentStart, detectedAt, latencyMs: detectedAt === null ? null : detectedAt - incidentStart });
  });
  return latencies;
}
