/**
 * `npm run bench`: every benchmark, as figures (never pass/fail). Each throughput figure is
 * reported next to baselines measured in the same run on the same bytes, because these
 * machines are small and noisy: ratios travel, absolute numbers do not.
 *
 * Environment: BENCH_BYTES (corpus size, default 1 GiB), BENCH_ONLY (comma list of
 * throughput,cardinality,grouping,replay,tui,feed).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeCorpus } from './corpus.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const out = path.join(here, 'out');
mkdirSync(out, { recursive: true });
const only = new Set((process.env.BENCH_ONLY ?? 'throughput,cardinality,grouping,replay,tui,feed').split(','));
const results = { machine: machine(), at: new Date().toISOString() };

function machine() {
  const cpus = os.cpus();
  return `${cpus[0]?.model ?? 'cpu'} × ${cpus.length}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, node ${process.version}`;
}

/** Runs one measurement in a child process and returns its JSON line. */
function measure(script, args) {
  const run = spawnSync(process.execPath, ['--max-old-space-size=4096', path.join(here, script), ...args], { encoding: 'utf8', maxBuffer: 64 << 20 });
  if (run.status !== 0) throw new Error(`${script} ${args[0]} failed: ${run.stderr}`);
  return JSON.parse(run.stdout.trim().split('\n').at(-1));
}

const fmt = (n) => (n >= 1e6 ? `${(n / 1e6).toFixed(2)} M` : n >= 1e3 ? `${(n / 1e3).toFixed(1)} k` : n.toFixed(2));

async function throughput() {
  const bytes = Number(process.env.BENCH_BYTES ?? 2 ** 30);
  console.log(`\n## Record path throughput (${fmt(bytes)}B corpus, 8 hosts, seed 42)`);
  const files = (await writeCorpus(path.join(out, 'corpus'), { bytes, hosts: 8, seed: 42 })).map((f) => f.file);
  // Once to bring the files into the page cache, as every later measurement finds them.
  execFileSync('wc', ['-l', ...files]);
  const wcStart = process.hrtime.bigint();
  const wcLines = execFileSync('wc', ['-l', ...files], { encoding: 'utf8' }).trim().split('\n').at(-1).trim().split(/\s+/)[0];
  const wcSeconds = Number(process.hrtime.bigint() - wcStart) / 1e9;
  const wc = { lines: Number(wcLines), seconds: wcSeconds, linesPerSecond: Number(wcLines) / wcSeconds };
  const count = measure('throughput.mjs', ['count', ...files]);
  const split = measure('throughput.mjs', ['split', ...files]);
  const decode = measure('throughput.mjs', ['decode', ...files]);
  const record = measure('throughput.mjs', ['record', ...files]);
  // As `logwatch watch` runs by default: pre-signing workers beside the main thread (src/pipeline/presign.ts).
  const presigned = measure('throughput.mjs', ['presigned', ...files]);
  const rows = [
    ['wc -l', wc],
    ['newline count (Buffer.indexOf, no lines made)', count],
    ['plain split (Buffer.indexOf, a view per line)', split],
    ['split + decode (LineSplitter)', decode],
    ['whole record path, one thread', record],
    [`whole record path, ${presigned.workers} pre-signing worker(s) (watch's default here)`, presigned],
  ];
  console.log('| what | lines/s | MB/s | ÷ plain split | peak RSS |\n|---|---|---|---|---|');
  for (const [name, r] of rows) {
    const mbs = r.bytes !== undefined ? (r.bytes / 1e6 / r.seconds).toFixed(0) : '';
    const rss = r.maxRssMB !== undefined ? `${r.maxRssMB.toFixed(0)} MB` : '';
    console.log(`| ${name} | ${fmt(r.linesPerSecond)} | ${mbs} | ${(r.linesPerSecond / split.linesPerSecond).toFixed(3)} | ${rss} |`);
  }
  console.log(`records: ${record.records}, signatures: ${record.signatures}, evicted: ${record.evicted}; with workers: ${presigned.records} records, batches pre-signed ${presigned.released.presigned}, not ${presigned.released.unsigned}`);
  results.throughput = {
    bytes, wc, count, split, decode, record, presigned,
    recordOverSplit: record.linesPerSecond / split.linesPerSecond,
    presignedOverSplit: presigned.linesPerSecond / split.linesPerSecond,
    recordOverCount: record.linesPerSecond / count.linesPerSecond,
  };
}

function cardinality() {
  console.log('\n## Memory under cardinality: 10 M lines, 1 M distinct messages');
  const r = measure('throughput.mjs', ['cardinality', '10000000', '1000000']);
  console.log(`lines/s ${fmt(r.linesPerSecond)}, peak RSS ${r.maxRssMB.toFixed(0)} MB, signatures kept ${r.signatures}, evicted ${r.evicted}`);
  results.cardinality = r;
}

function grouping() {
  console.log('\n## Grouping accuracy on Loghub-2k');
  const run = spawnSync(process.execPath, [path.join(here, 'grouping-accuracy.mjs')], { encoding: 'utf8', stdio: ['ignore', 'inherit', 'inherit'] });
  if (run.status !== 0) console.log('(grouping accuracy failed; is ../shared/bench present?)');
  console.log('\n## Shape memo: answers equal to the masker\'s');
  const check = spawnSync(process.execPath, [path.join(here, 'shape-memo-check.mjs')], { encoding: 'utf8', stdio: ['ignore', 'inherit', 'inherit'] });
  if (check.status !== 0) console.log('(the shape memo check found differences: see above)');
}

function replay() {
  console.log('\n## Replay speed');
  const r = measure('replay-speed.mjs', []);
  console.log(r.table);
  results.replay = r;
}

function tui() {
  console.log('\n## TUI cost and keypress latency under 100k lines/s');
  const r = measure('tui.mjs', []);
  console.log(r.table);
  results.tui = r;
}

function feed() {
  console.log('\n## Feed fan-out latency to 200 clients');
  const r = measure('feed-fanout.mjs', []);
  console.log(r.table);
  results.feed = r;
}

if (only.has('throughput')) await throughput();
if (only.has('cardinality')) cardinality();
if (only.has('grouping')) grouping();
if (only.has('replay')) replay();
if (only.has('tui')) tui();
if (only.has('feed')) feed();
writeFileSync(path.join(out, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
console.log(`\nmachine: ${results.machine}\nresults: ${path.relative(process.cwd(), path.join(out, 'results.json'))}`);
