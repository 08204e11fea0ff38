/**
 * Replay speed and detection latency over the bundled fixtures, as figures (never pass/fail).
 * For each fixture: `logwatch replay <dir> --speed max --json` in a child process, lines/s (the
 * last stats event's `lines` ÷ the child's wall seconds, start-up included), and the detection
 * latency of each expected incident (scenario.json `incidentStart` → first matching verdict, in
 * event time). Then the record path's lines/s on a 100 MB corpus (`throughput.mjs record`), so
 * the replay figure has a baseline from the same run. Prints the table, then ONE JSON line
 * `{ "table": "<markdown>", … }` last, as bench/run.js expects.
 *
 *   npx tsc -p tsconfig.json && node bench/replay-speed.mjs
 */
import { spawn, spawnSync } from 'node:child_process';
import { readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { measureLatencies } from '../dist/sim/expectations.js';
import { readFixture } from '../dist/tail/fixture.js';
import { writeCorpus } from './corpus.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.dirname(here);
const cli = path.join(repo, 'dist', 'cli', 'bin.js');
const fixturesDir = path.join(repo, 'fixtures');
/** Levels that ask someone to act: a verdict at one of these in a clean fixture is a false alarm. */
const ACTION_LEVELS = new Set(['roll-forward', 'revert', 'stop']);
const CORPUS_BYTES = 1e8;

/** Runs the CLI to completion; resolves with its NDJSON events and wall seconds. */
function replay(dir) {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(process.execPath, [cli, 'replay', dir, '--speed', 'max', '--json'], { cwd: repo, stdio: ['ignore', 'pipe', 'pipe'] });
    const out = [];
    let err = '';
    child.stdout.on('data', (chunk) => out.push(chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk) => { err += chunk; });
    child.on('error', reject);
    child.on('exit', (code) => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      if (code !== 0) return reject(new Error(`replay ${dir} exited ${code}: ${err}`));
      const events = Buffer.concat(out).toString('utf8').trim().split('\n').map((line) => JSON.parse(line));
      resolve({ events, seconds });
    });
  });
}

/** Verdict events as `Verdict`s: their `at` is ISO on the wire, ms in the model. */
const verdictsOf = (events) => events.filter((e) => e.type === 'verdict').map(({ type: _type, ...v }) => ({ ...v, at: Date.parse(v.at) }));

async function measureFixture(name) {
  const dir = path.join(fixturesDir, name);
  const fixture = await readFixture(dir);
  const { events, seconds } = await replay(dir);
  const lines = events.filter((e) => e.type === 'stats').at(-1)?.lines ?? 0;
  const verdicts = verdictsOf(events);
  const latencies = measureLatencies(fixture.scenario, verdicts).map((l) => l.latencyMs);
  const actions = verdicts.filter((v) => ACTION_LEVELS.has(v.level)).length;
  // Event time covered: the engine judges every whole second of it, however few lines it holds.
  const eventMinutes = (Date.parse(events.at(-1).at) - Date.parse(events[0].at)) / 60_000;
  return { name, lines, seconds, linesPerSecond: lines / seconds, eventMinutes, latenciesMs: latencies, actionVerdicts: actions };
}

/** Wall time of a CLI run that does nothing: the start-up cost inside every replay's seconds. */
function startupSeconds() {
  const started = process.hrtime.bigint();
  spawnSync(process.execPath, [cli, '--help'], { cwd: repo, stdio: 'ignore' });
  return Number(process.hrtime.bigint() - started) / 1e9;
}

function recordPath(files) {
  const run = spawnSync(process.execPath, [path.join(here, 'throughput.mjs'), 'record', ...files], { encoding: 'utf8', maxBuffer: 64 << 20 });
  if (run.status !== 0) throw new Error(`throughput.mjs record failed: ${run.stderr}`);
  return JSON.parse(run.stdout.trim().split('\n').at(-1));
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length === 0 ? null : sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const kilo = (n) => `${(n / 1e3).toFixed(1)} k`;
const secondsText = (ms) => (ms === null ? 'missed' : `${(ms / 1000).toFixed(1)} s`);

const names = readdirSync(fixturesDir, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort();
const fixtures = [];
for (const name of names) fixtures.push(await measureFixture(name));
const startup = startupSeconds();
const corpusDir = path.join(here, 'out', 'corpus-100mb');
const corpus = (await writeCorpus(corpusDir, { bytes: CORPUS_BYTES, hosts: 8, seed: 42 })).map((f) => f.file);
const record = recordPath(corpus);
// The same 100 MB as a fixture (its logs/<host>/ layout already is one): replay and record path on
// the same bytes, where the fixtures above are sparse and mostly measure judging empty seconds.
writeFileSync(path.join(corpusDir, 'scenario.json'), JSON.stringify({ name: 'corpus-100mb', description: 'bench/corpus.mjs, 8 hosts, seed 42, no deploys', expect: [] }));
const dense = await replay(corpusDir);
const denseLines = dense.events.filter((e) => e.type === 'stats').at(-1)?.lines ?? 0;
const denseReplay = { lines: denseLines, seconds: dense.seconds, linesPerSecond: denseLines / dense.seconds };

const totalLines = fixtures.reduce((sum, f) => sum + f.lines, 0);
const totalSeconds = fixtures.reduce((sum, f) => sum + f.seconds, 0);
const replayLinesPerSecond = totalLines / totalSeconds;
const perFixtureMedians = fixtures.map((f) => median(f.latenciesMs.filter((ms) => ms !== null))).filter((ms) => ms !== null);
const medianLatencyMs = median(perFixtureMedians);
const falseAlarms = fixtures.find((f) => f.name === 'sixteen-clean-deploys')?.actionVerdicts ?? null;

const afterStartup = (f) => kilo(f.lines / Math.max(f.seconds - startup, 1e-3));
const rows = fixtures.map((f) => `| ${f.name} | ${f.lines} | ${f.eventMinutes.toFixed(0)} | ${f.seconds.toFixed(2)} | ${kilo(f.linesPerSecond)} | ${afterStartup(f)} | ${f.latenciesMs.map(secondsText).join(', ') || '—'} | ${f.actionVerdicts} |`);
const table = [
  '| fixture | lines | event-time min | wall s | lines/s | lines/s less start-up | detection latency | verdicts ≥ roll-forward |',
  '|---|---|---|---|---|---|---|---|',
  ...rows,
  `| **all fixtures** | ${totalLines} | | ${totalSeconds.toFixed(2)} | ${kilo(replayLinesPerSecond)} | ${afterStartup({ lines: totalLines, seconds: totalSeconds - startup * (fixtures.length - 1) })} | median ${secondsText(medianLatencyMs)} | |`,
  `| replay of the 100 MB corpus as a fixture | ${denseReplay.lines} | | ${denseReplay.seconds.toFixed(2)} | ${kilo(denseReplay.linesPerSecond)} | ${afterStartup(denseReplay)} | | |`,
  `| record path, 100 MB corpus (\`throughput.mjs record\`) | ${record.lines} | | ${record.seconds.toFixed(2)} | ${kilo(record.linesPerSecond)} | | | |`,
  '',
  `replay ÷ record path: ${(denseReplay.linesPerSecond / record.linesPerSecond).toFixed(3)} on the same 100 MB corpus, ` +
    `${(replayLinesPerSecond / record.linesPerSecond).toFixed(3)} for the fixtures (target ≥ 0.5); ` +
    `CLI start-up (\`--help\`): ${startup.toFixed(2)} s per run, included in every replay's wall time; ` +
    `median detection latency ${secondsText(medianLatencyMs)} (target ≤ 20 s); ` +
    `false alarms in sixteen-clean-deploys: ${falseAlarms} (target 0)`,
].join('\n');

console.log(table);
console.log(JSON.stringify({
  table,
  fixtures,
  replayLinesPerSecond,
  record,
  denseReplay,
  replayOverRecord: denseReplay.linesPerSecond / record.linesPerSecond,
  fixturesOverRecord: replayLinesPerSecond / record.linesPerSecond,
  startupSeconds: startup,
  medianLatencyMs,
  falseAlarms,
}));
