// Grouping accuracy of logwatch's fingerprinter on Loghub-2k, beside the published Drain figures,
// and fingerprint throughput. Run after a build:
//   npx tsc -p tsconfig.json && node bench/grouping-accuracy.mjs
// GA as defined in ../shared/bench/loghub-2k/README.md (Zhu et al., ICSE-SEIP 2019): a line is
// grouped correctly iff the set of lines in its predicted group equals the set of lines of its
// ground-truth EventId. One fresh fingerprinter per dataset, no per-dataset settings.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createFingerprinter, fingerprint } from '../dist/detect/fingerprint.js';
import { writeCorpus } from './corpus.mjs';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dataRoot = path.resolve(repoRoot, '..', 'shared', 'bench', 'loghub-2k');
const outFile = path.join(repoRoot, 'bench', 'out', 'grouping-accuracy.json');

/** Published Drain GA (logparser benchmark, tuned per dataset), from the data set's README. */
const DRAIN_GA = {
  HDFS: 0.9975, Hadoop: 0.9475, Spark: 0.92, Zookeeper: 0.9665, BGL: 0.9625, HPC: 0.887,
  Thunderbird: 0.955, Windows: 0.997, Linux: 0.69, Android: 0.911, HealthApp: 0.78, Apache: 1,
  Proxifier: 0.5265, OpenSSH: 0.7875, OpenStack: 0.7325, Mac: 0.7865,
};

/** RFC 4180-style CSV: quoted fields may hold commas, newlines and doubled quotes. */
function parseCsv(text) {
  const rows = [];
  let row = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i++; }
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { row.push(field); field = ''; }
    else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field); rows.push(row); row = []; field = '';
    } else field += c;
  }
  if (field !== '' || row.length > 0) { row.push(field); rows.push(row); }
  return rows;
}

function readDataset(name) {
  const dir = path.join(dataRoot, name);
  const corrected = path.join(dir, `${name}_2k.log_structured_corrected.csv`);
  const file = existsSync(corrected) ? corrected : path.join(dir, `${name}_2k.log_structured.csv`);
  const [header, ...rows] = parseCsv(readFileSync(file, 'utf8'));
  const content = header.indexOf('Content');
  const event = header.indexOf('EventId');
  const records = rows.filter((r) => r.length === header.length).map((r) => ({ content: r[content], event: r[event] }));
  return { file: path.basename(file), records };
}

/** Line indexes per label. */
function groupsOf(labels) {
  const groups = new Map();
  labels.forEach((label, i) => {
    const members = groups.get(label);
    if (members === undefined) groups.set(label, [i]);
    else members.push(i);
  });
  return groups;
}

function groupingAccuracy(truth, predicted) {
  const truthGroups = groupsOf(truth);
  const predictedGroups = groupsOf(predicted);
  let correct = 0;
  for (const members of predictedGroups.values()) {
    const label = truth[members[0]];
    const sameLabel = members.every((i) => truth[i] === label);
    if (sameLabel && truthGroups.get(label).length === members.length) correct += members.length;
  }
  return correct / truth.length;
}

function scoreDataset(name) {
  const { file, records } = readDataset(name);
  const fingerprinter = createFingerprinter();
  const predicted = records.map((r) => fingerprinter.sign(r.content).id);
  const truth = records.map((r) => r.event);
  return {
    dataset: name, file, lines: records.length, events: new Set(truth).size, groups: new Set(predicted).size,
    ga: groupingAccuracy(truth, predicted), drain: DRAIN_GA[name] ?? null,
  };
}

function throughput(messages) {
  const rounds = 10;
  let sink = 0;
  const time = (fn) => {
    for (const m of messages) sink += fn(m); // warm-up: caches filled, code optimised
    const start = process.hrtime.bigint();
    for (let r = 0; r < rounds; r++) for (const m of messages) sink += fn(m);
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    return (rounds * messages.length) / seconds;
  };
  const fingerprinter = createFingerprinter();
  const result = {
    lines: messages.length * rounds,
    fingerprintPerSecond: time((m) => fingerprint(m).id.length),
    signPerSecond: time((m) => fingerprinter.sign(m).id.length),
    splitPerSecond: time((m) => m.split(' ').length),
  };
  if (sink === 0) throw new Error('unreachable: keeps the loops from being optimised away');
  return result;
}

const datasets = Object.keys(DRAIN_GA).filter((name) => existsSync(path.join(dataRoot, name)));
const rows = datasets.map(scoreDataset);
const average = (key) => rows.reduce((sum, r) => sum + r[key], 0) / rows.length;
const summary = { ga: average('ga'), drain: average('drain') };

const pad = (s, n) => String(s).padEnd(n);
console.log(`${pad('dataset', 12)} ${pad('events', 7)} ${pad('groups', 7)} ${pad('GA', 7)} Drain`);
for (const r of rows) console.log(`${pad(r.dataset, 12)} ${pad(r.events, 7)} ${pad(r.groups, 7)} ${pad(r.ga.toFixed(4), 7)} ${r.drain.toFixed(4)}`);
console.log(`${pad('average', 28)} ${pad(summary.ga.toFixed(4), 7)} ${summary.drain.toFixed(4)}`);

/**
 * The messages the record path signs on the throughput corpus: PHP error-log lines (8 MB, seed 42)
 * with the `[date] ` prefix stripped, as parseHeader leaves them; stack-trace lines are left out
 * because the multi-line joiner folds them into the record before it is signed.
 */
async function phpMessages() {
  const [{ file }] = await writeCorpus(path.join(repoRoot, 'bench', 'out', 'sign-corpus'), { bytes: 8e6, hosts: 1, seed: 42 });
  return readFileSync(file, 'utf8').split('\n').map((line) => line.slice(line.indexOf('] ') + 2))
    .filter((m) => m.length > 0 && !m.startsWith('PHP Stack trace') && !m.startsWith('PHP   '));
}

const perSecond = (n) => `${(n / 1e6).toFixed(2)} M lines/s`;
function report(title, speed) {
  console.log(`\nthroughput over ${speed.lines} ${title} (10 rounds, warm caches):`);
  console.log(`  fingerprint()      ${perSecond(speed.fingerprintPerSecond)}`);
  console.log(`  fingerprinter.sign ${perSecond(speed.signPerSecond)}  (sign / split = ${(speed.signPerSecond / speed.splitPerSecond).toFixed(3)})`);
  console.log(`  split(' ')         ${perSecond(speed.splitPerSecond)}`);
}
const speed = throughput(datasets.flatMap((name) => readDataset(name).records.map((r) => r.content)));
report(`Loghub lines (${datasets.length} data sets x 2000)`, speed);
const phpSpeed = throughput(await phpMessages());
report('PHP error-log messages (bench corpus, date prefix stripped)', phpSpeed);

mkdirSync(path.dirname(outFile), { recursive: true });
writeFileSync(outFile, `${JSON.stringify({ node: process.version, datasets: rows, average: summary, throughput: speed, phpThroughput: phpSpeed }, null, 2)}\n`);
console.log(`\nwritten to ${path.relative(repoRoot, outFile)}`);
