/**
 * Turns a scenario into a fixture's files, in memory and deterministically: the same scenario
 * and seed give byte-identical files. Every stream draws from its own PRNG fork named by stream
 * and host, so adding a stream never shifts the numbers of another.
 */
import type { DeployMarker } from '../pipeline/deploy-marker.js';
import type { Facts, ScenarioSpec, StreamSpec } from './dsl.js';
import { hostNames } from './dsl.js';
import { BASELINE_NGINX, BASELINE_PHP, ROLLOUT_BLIP, type MessageMaker } from './messages.js';
import { formatEntry, LOG_FILE, type LogEntry } from './log-format.js';
import { Random } from './random.js';
import { renderReadme } from './readme.js';

interface TimedEntry {
  at: number;
  host: string;
  entry: LogEntry;
}

/** Relative path → file content, in the order the files are listed. */
export type FixtureFiles = Map<string, string>;

const ORDINARY_IDS = (_at: number, rng: Random): number => rng.int(1_100_000_000, 1_400_000_000);

function entryMaker(spec: ScenarioSpec, rng: Random) {
  const recentId = spec.recentId ?? ORDINARY_IDS;
  return (maker: MessageMaker, at: number): LogEntry => maker({ rng, recentId: () => recentId(at, rng) });
}

function runStream(spec: ScenarioSpec, stream: StreamSpec, root: Random, hosts: readonly string[]): TimedEntry[] {
  const out: TimedEntry[] = [];
  const ratePerMs = stream.perHostPerMinute / 60_000;
  const rampMs = (stream.rampSeconds ?? 0) * 1000;
  for (const host of stream.hosts === 'all' ? hosts : stream.hosts) {
    const rng = root.fork(`${stream.label}/${host}`);
    const make = entryMaker(spec, rng);
    const hostStart = stream.from + rng.next() * (stream.staggerSeconds ?? 0) * 1000;
    for (let at = hostStart + rng.exponential(ratePerMs); at < stream.to; at += rng.exponential(ratePerMs)) {
      // Thinning: during the ramp an arrival is kept with the probability of the ramped rate.
      if (rampMs > 0 && rng.next() > (at - hostStart) / rampMs) continue;
      out.push({ at, host, entry: make(rng.weighted(stream.makers), at) });
    }
  }
  return out;
}

function runCron(spec: ScenarioSpec, root: Random): TimedEntry[] {
  const cron = spec.cron;
  if (cron === undefined) return [];
  const rng = root.fork(cron.label);
  const make = entryMaker(spec, rng);
  const period = cron.everyMinutes * 60_000;
  const out: TimedEntry[] = [];
  for (let run = Math.ceil(spec.start / period) * period + cron.offsetSeconds * 1000; run < spec.end; run += period) {
    for (let i = 0; i < cron.linesPerRun; i++) {
      const at = run + rng.next() * cron.spreadSeconds * 1000;
      if (at < spec.end) out.push({ at, host: cron.host, entry: make(rng.weighted(cron.makers), at) });
    }
  }
  return out;
}

function runRolloutBlips(spec: ScenarioSpec, root: Random, hosts: readonly string[]): TimedEntry[] {
  const out: TimedEntry[] = [];
  spec.deploys.forEach((deploy, i) => {
    const rng = root.fork(`rollout/${i + 1}`);
    const host = rng.pick(hosts);
    const make = entryMaker(spec, rng);
    for (let n = 0; n < (deploy.rolloutBlips ?? 0); n++) {
      const at = deploy.at + rng.int(3_000, 40_000);
      out.push({ at, host, entry: make(ROLLOUT_BLIP, at) });
    }
  });
  return out;
}

function noiseStreams(spec: ScenarioSpec): StreamSpec[] {
  const span = { hosts: 'all' as const, from: spec.start, to: spec.end };
  return [
    { label: 'noise/php', ...span, perHostPerMinute: spec.noise.phpPerHostPerMinute, makers: BASELINE_PHP },
    { label: 'noise/nginx', ...span, perHostPerMinute: spec.noise.nginxPerHostPerMinute, makers: BASELINE_NGINX },
  ];
}

function deployMarkers(spec: ScenarioSpec, seed: number): DeployMarker[] {
  const rng = new Random(seed).fork('versions');
  return spec.deploys.map((deploy) => ({ at: deploy.at, app: spec.app, version: rng.hex(7), by: deploy.by }));
}

function logFiles(entries: TimedEntry[], hosts: readonly string[]): FixtureFiles {
  const files: FixtureFiles = new Map();
  for (const host of hosts) {
    // Stable sort: entries at the same instant keep their generation order.
    const own = entries.filter((e) => e.host === host).sort((a, b) => a.at - b.at);
    for (const format of ['php', 'nginx'] as const) {
      const text = own.filter((e) => e.entry.format === format).map((e) => formatEntry(e.at, e.entry)).join('');
      if (text !== '') files.set(`logs/${host}/${LOG_FILE[format]}`, text);
    }
  }
  return files;
}

function factsFrom(streams: Map<string, TimedEntry[]>, deploys: DeployMarker[]): Facts {
  return {
    firstLine(label) {
      const entries = streams.get(label);
      if (entries === undefined || entries.length === 0) throw new Error(`stream "${label}" wrote no lines; raise its rate or span`);
      return Math.floor(Math.min(...entries.map((e) => e.at)) / 1000) * 1000;
    },
    deployAt(id) {
      const deploy = deploys[id - 1];
      if (deploy === undefined) throw new Error(`no deploy #${id}`);
      return deploy.at;
    },
  };
}

export interface GeneratedFixture {
  files: FixtureFiles;
  /** Lines written per stream label (README and tests). */
  lineCounts: Record<string, number>;
}

export function generateFixture(spec: ScenarioSpec, seed: number = spec.seed): GeneratedFixture {
  const root = new Random(seed);
  const hosts = hostNames(spec.hostCount);
  const streams = new Map<string, TimedEntry[]>();
  for (const stream of [...noiseStreams(spec), ...spec.incidents]) streams.set(stream.label, runStream(spec, stream, root, hosts));
  if (spec.cron !== undefined) streams.set(spec.cron.label, runCron(spec, root));
  streams.set('rollout', runRolloutBlips(spec, root, hosts));

  const deploys = deployMarkers(spec, seed);
  const expect = spec.expect(factsFrom(streams, deploys));
  const scenario = { name: spec.name, description: spec.description, seed, expect };
  const lineCounts = Object.fromEntries([...streams].map(([label, entries]) => [label, entries.length]));
  const files: FixtureFiles = new Map([
    ['README.md', renderReadme(spec, seed, deploys, expect, lineCounts)],
    ['scenario.json', `${JSON.stringify(scenario, null, 2)}\n`],
    ['deploys.log', deploys.map((d) => `events.deploy.${d.app} 1 ${Math.floor(d.at / 1000)}\n`).join('')],
    ['deploys.ndjson', deploys.map((d) => `${JSON.stringify({ at: new Date(d.at).toISOString(), app: d.app, version: d.version, by: d.by })}\n`).join('')],
  ]);
  for (const [path, text] of logFiles([...streams.values()].flat(), hosts)) files.set(path, text);
  return { files, lineCounts };
}
