/**
 * Deploy markers from the outside world, parsed into one shape (pure: `now` arrives as data).
 *
 * Inputs (DESIGN "Deploy markers"):
 * - Graphite plaintext `<path> <value> <unix-seconds>`: Etsy's `events.deploy.website 1 1287106599`
 *   and Deployinator's `deploys.<stack>.<env> 1 <ts>`. Path patterns are dot-separated segments
 *   where `{app}` captures one segment as the app and `*` matches any one segment. The defaults
 *   are `events.deploy.{app}` and `deploys.{app}.*`: for Deployinator the app is the *stack* and
 *   the environment is ignored, because one logwatch watches one environment's logs; a team that
 *   sends several environments to the same port narrows the pattern to `deploys.{app}.production`.
 * - Our JSON `{"at","app","version"?,"by"?}` and Graphite's events-API body `{"what","tags","when","data"}`.
 * - A fixture's `deploys.log` (plaintext) and `deploys.ndjson` (our JSON, one per line).
 */
import { z } from 'zod';
import type { Deploy } from '../detect/model.js';

export type DeployMarker = Omit<Deploy, 'id'>;

export const DEFAULT_DEPLOY_PATTERNS: readonly string[] = ['events.deploy.{app}', 'deploys.{app}.*'];

/** A deploy announced further ahead than this is a clock or unit mistake (ms vs s), not a plan. */
export const MAX_FUTURE_MS = 24 * 60 * 60 * 1000;

/** What went wrong with a plaintext line; `path` alone means "some other metric", not an error. */
export type GraphiteErrorCode = 'fields' | 'value' | 'time' | 'future' | 'path';

export type GraphiteParse = { marker: DeployMarker } | { error: string; code: GraphiteErrorCode };
export type DeployJsonParse = { marker: DeployMarker } | { error: string };
export type DeployListParse = { markers: DeployMarker[] } | { error: string };

interface CompiledPattern {
  source: string;
  segments: string[];
  appIndex: number;
}

const SEGMENT = /^[A-Za-z0-9_-]+$/;

/** Checks and compiles path patterns; throws on a pattern that cannot name an app. */
export function compileDeployPatterns(patterns: readonly string[]): CompiledPattern[] {
  if (patterns.length === 0) throw new Error('deploy patterns: give at least one, e.g. events.deploy.{app}');
  return patterns.map((source) => {
    const segments = source.split('.');
    const appIndex = segments.indexOf('{app}');
    const wellFormed = segments.every((s) => s === '{app}' || s === '*' || SEGMENT.test(s));
    if (appIndex < 0 || segments.lastIndexOf('{app}') !== appIndex || !wellFormed) {
      throw new Error(`deploy pattern "${source}": use dot-separated names, * and exactly one {app}`);
    }
    return { source, segments, appIndex };
  });
}

const DEFAULT_COMPILED = compileDeployPatterns(DEFAULT_DEPLOY_PATTERNS);
// One-entry cache: callers pass the same configured list line after line.
let lastCompiled: { key: string; compiled: CompiledPattern[] } = { key: DEFAULT_DEPLOY_PATTERNS.join('\n'), compiled: DEFAULT_COMPILED };

function compiledFor(patterns: readonly string[] | undefined): CompiledPattern[] {
  if (patterns === undefined) return DEFAULT_COMPILED;
  const key = patterns.join('\n');
  if (lastCompiled.key !== key) lastCompiled = { key, compiled: compileDeployPatterns(patterns) };
  return lastCompiled.compiled;
}

function appFromPath(path: string, patterns: CompiledPattern[]): string | undefined {
  const segments = path.split('.');
  for (const pattern of patterns) {
    if (pattern.segments.length !== segments.length) continue;
    const matches = pattern.segments.every(
      (expected, i) => expected === '{app}' || expected === '*' ? segments[i] !== '' : expected === segments[i],
    );
    if (matches) return segments[pattern.appIndex];
  }
  return undefined;
}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** Fields and path of a plaintext line, without the "future" check (fixtures are history). */
function parseGraphiteFields(line: string, patterns: CompiledPattern[]): GraphiteParse {
  const fields = line.trim().split(/\s+/);
  if (fields.length !== 3) {
    return { code: 'fields', error: `expected 3 fields "<path> <value> <unix-seconds>", got ${fields[0] === '' ? 0 : fields.length}` };
  }
  const [path, value, time] = fields as [string, string, string];
  if (!NUMBER.test(value)) return { code: 'value', error: `value "${clip(value)}" is not a number` };
  if (!NUMBER.test(time) || Number(time) <= 0) {
    return { code: 'time', error: `time "${clip(time)}" is not a positive number of unix seconds` };
  }
  const app = appFromPath(path, patterns);
  if (app === undefined) {
    return { code: 'path', error: `path "${clip(path)}" matches no deploy pattern (${patterns.map((p) => p.source).join(', ')})` };
  }
  return { marker: { at: Math.round(Number(time) * 1000), app } };
}

/** Parses one Graphite plaintext line; `now` (ms) bounds how far in the future a deploy may be. */
export function parseGraphiteLine(line: string, now: number, options: { patterns?: string[] } = {}): GraphiteParse {
  const parsed = parseGraphiteFields(line, compiledFor(options.patterns));
  if ('marker' in parsed && parsed.marker.at - now > MAX_FUTURE_MS) {
    const hours = ((parsed.marker.at - now) / 3_600_000).toFixed(1);
    return { code: 'future', error: `time ${new Date(parsed.marker.at).toISOString()} is ${hours} h after now: more than 1 day in the future` };
  }
  return parsed;
}

const text = (max: number) => z.string().trim().min(1).max(max).refine((s) => !/[\p{Cc}]/u.test(s), 'must not contain control characters');

/** Epoch numbers below this are seconds, above it milliseconds (1e11 s is the year 5138). */
const EPOCH_SECONDS_BELOW = 1e11;

const epochOrIso = z.union([
  z.number().positive().transform((n) => Math.round(n < EPOCH_SECONDS_BELOW ? n * 1000 : n)),
  z.iso.datetime({ offset: true }).transform((s) => Date.parse(s)),
]);

const OurDeployJson = z.strictObject({
  at: epochOrIso.optional(),
  app: text(100),
  version: text(200).optional(),
  by: text(200).optional(),
});

const GraphiteEventJson = z.object({
  what: z.string().max(500).optional(),
  tags: z.union([z.string().max(500), z.array(z.string().max(100)).max(50)]).optional(),
  when: z.number().positive().optional(),
  data: z.string().max(10_000).optional(),
});

/** Words in tags or `what` that say "this is a deploy" rather than naming the app. */
const GENERIC_WORDS = new Set(['deploy', 'deploys', 'deployed', 'deployment', 'release', 'push']);

function appFromGraphiteEvent(event: z.infer<typeof GraphiteEventJson>): string | undefined {
  const tags = typeof event.tags === 'string' ? event.tags.split(/[\s,]+/) : event.tags ?? [];
  const fromTags = tags.map((t) => t.trim()).find((t) => t !== '' && !GENERIC_WORDS.has(t.toLowerCase()));
  if (fromTags !== undefined) return fromTags;
  const words = (event.what ?? '').trim().split(/\s+/).filter((w) => w !== '');
  return words.find((w) => !GENERIC_WORDS.has(w.toLowerCase()));
}

function describeIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (issue === undefined) return 'invalid deploy';
  if (issue.code === 'unrecognized_keys') return `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.join(', ')}`;
  const field = issue.path.length > 0 ? issue.path.join('.') : 'body';
  return `${field}: ${issue.message}`;
}

function checkFuture(marker: DeployMarker, now: number): DeployJsonParse {
  if (marker.at - now > MAX_FUTURE_MS) {
    return { error: `at: ${new Date(marker.at).toISOString()} is more than 1 day in the future` };
  }
  return { marker };
}

function ourJsonMarker(body: unknown, now: number | undefined): DeployJsonParse {
  const parsed = OurDeployJson.safeParse(body);
  if (!parsed.success) return { error: describeIssue(parsed.error) };
  const { at, app, version, by } = parsed.data;
  if (at === undefined && now === undefined) return { error: 'at: required (ISO-8601 time or epoch)' };
  const marker: DeployMarker = { at: at ?? (now as number), app };
  if (version !== undefined) marker.version = version;
  if (by !== undefined) marker.by = by;
  return { marker };
}

function graphiteEventMarker(body: unknown, now: number): DeployJsonParse {
  const parsed = GraphiteEventJson.safeParse(body);
  if (!parsed.success) return { error: describeIssue(parsed.error) };
  const app = appFromGraphiteEvent(parsed.data);
  if (app === undefined) return { error: 'tags: name the app, e.g. "tags": "deploy website" (or put it in "what")' };
  const marker: DeployMarker = { at: parsed.data.when === undefined ? now : Math.round(parsed.data.when * 1000), app };
  // `data` is free text in Graphite; only a single short token (a SHA, a tag) is taken as the version.
  const data = parsed.data.data?.trim();
  if (data !== undefined && /^\S{1,64}$/.test(data)) marker.version = data;
  return { marker };
}

const isGraphiteEvent = (body: object): boolean => 'what' in body || 'tags' in body || 'when' in body;

/**
 * Parses a deploy posted as JSON: ours (`at` optional, defaults to `now`; epoch numbers below
 * 1e11 are seconds, others ms) or Graphite's events-API body (`when` in epoch seconds).
 */
export function parseDeployJson(body: string, now: number): DeployJsonParse {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return { error: 'body: not valid JSON' };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { error: 'body: expected a JSON object' };
  const parsed = isGraphiteEvent(value) ? graphiteEventMarker(value, now) : ourJsonMarker(value, now);
  return 'marker' in parsed ? checkFuture(parsed.marker, now) : parsed;
}

function eachLine(textContent: string, parseLine: (line: string) => DeployJsonParse): DeployListParse {
  const markers: DeployMarker[] = [];
  const lines = textContent.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] as string).trim();
    if (line === '' || line.startsWith('#')) continue;
    const parsed = parseLine(line);
    if ('error' in parsed) return { error: `line ${i + 1}: ${parsed.error}` };
    markers.push(parsed.marker);
  }
  return { markers };
}

/** A fixture's `deploys.ndjson`: our JSON per line, `at` required. Blank and `#` lines skipped. */
export function parseDeploysNdjson(textContent: string): DeployListParse {
  return eachLine(textContent, (line) => {
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      return { error: 'not valid JSON' };
    }
    return ourJsonMarker(value, undefined);
  });
}

/** A fixture's `deploys.log`: Graphite plaintext per line (default patterns). Blank and `#` lines skipped. */
export function parseDeploysLog(textContent: string): DeployListParse {
  return eachLine(textContent, (line) => parseGraphiteFields(line, DEFAULT_COMPILED));
}

function clip(s: string): string {
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}
