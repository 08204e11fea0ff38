/**
 * Hostile lines (RELIABILITY.md B2): each parser and the fingerprinter on adversarial lines of
 * n, 2n and 4n bytes (4n = 1 MiB). Linear code takes ~4× as long at 4n as at n; a ratio near 16
 * means quadratic (catastrophic backtracking or a rescan per position). Figures, never pass/fail.
 * A case that takes over CUTOFF_MS at one size is not run at the larger ones (reported as such).
 * Build first (`npx tsc -p tsconfig.json`), then: node bench/hostile.mjs [--json]
 */
import { parseHeader } from '../dist/pipeline/parse-header.js';
import { visibleText } from '../dist/pipeline/visible-text.js';
import { MultilineJoiner } from '../dist/tail/multiline.js';
import { LineSplitter } from '../dist/tail/line-splitter.js';
import { createFingerprinter, fingerprint } from '../dist/detect/fingerprint.js';
import { Detector } from '../dist/detect/detector.js';

const N = 256 * 1024;
const CUTOFF_MS = 5_000;
const NOW = Date.parse('2026-11-24T01:00:00Z');

/** Adversarial bodies: each repeats a unit that keeps a scanner or regex undecided. */
const fill = (unit, bytes) => unit.repeat(Math.ceil(bytes / unit.length)).slice(0, bytes);
const SHAPES = {
  'a…a!': (n) => fill('a', n - 1) + '!',
  'spaces then x': (n) => fill(' ', n - 1) + 'x',
  'quote-backslash': (n) => fill('"\\"', n),
  digits: (n) => fill('7', n),
  'numbers 1 2 3': (n) => fill('1 ', n),
  'key=value pairs': (n) => fill('k=1 ', n),
  'a: with spaces': (n) => fill('a  :  ', n),
  'dotted 1.1.': (n) => fill('1.1.', n),
  'hex-ish 0xa': (n) => fill('0xa', n),
  'uuid-ish dashes': (n) => fill('aaaaaaaa-', n),
  'time-ish 12:': (n) => fill('12:', n),
  'date-ish 2026-11-': (n) => fill('2026-11-', n),
  'emails a@a.': (n) => fill('a@a.', n),
  'brackets [': (n) => fill('[', n),
  'braces {"a":': (n) => fill('{"a":', n),
  'ANSI CSI': (n) => fill('\x1b[31m', n),
  'OSC unterminated': (n) => '\x1b]0;' + fill('t', n - 4),
  'NUL and C1': (n) => fill('\x00\x9b', n),
  'U+FFFD and RTL': (n) => fill('\ufffd\u202e', n),
};
/** Headers the parsers recognise, so the body reaches the format's own scanner. */
const HEADERS = {
  none: '',
  php: '[24-Nov-2026 01:00:00 UTC] PHP Warning:  ',
  nginx: '2026/11/24 01:00:00 [error] 7#0: *1 ',
  apache: '[Tue Nov 24 01:00:00.123456 2026] [php:error] [pid 1] [client 10.0.0.1:5] ',
  syslog: '<27>Nov 24 01:00:00 web-1 php-fpm[9]: ',
  iso: '2026-11-24T01:00:00.000Z ERROR ',
  json: '{"level":"error","msg":"',
};

const detectorPath = (line) => {
  const fingerprinter = createFingerprinter();
  const detector = new Detector();
  const fp = fingerprinter.sign(line);
  const record = (at) => ({ at, timeFromLine: true, level: 'error', host: 'h', source: 's', message: line, fingerprint: fp });
  detector.addRecords([record(NOW), record(NOW + 1)]);
  detector.snapshot(NOW + 2);
};

const SUBJECTS = {
  parseHeader: (line) => parseHeader(line, NOW),
  fingerprint: (line) => fingerprint(line),
  'fingerprinter.sign': (line) => createFingerprinter().sign(line),
  'detector (add, snapshot)': detectorPath,
  visibleText: (line) => visibleText(line),
  'multiline join': (line) => new MultilineJoiner().push('s', [line, line], NOW),
  'line splitter (cap 4n)': (line) => new LineSplitter(4 * N + 16).push(Buffer.from(line + '\n'), []),
};

function timeOnce(work, line) {
  const start = process.hrtime.bigint();
  work(line);
  return Number(process.hrtime.bigint() - start) / 1e6;
}

function timeCase(work, line) {
  timeOnce(work, line.slice(0, 4096)); // warm-up on a small line
  const first = timeOnce(work, line);
  if (first > CUTOFF_MS / 3) return first;
  return Math.min(first, timeOnce(work, line), timeOnce(work, line));
}

const rows = [];
for (const [subject, work] of Object.entries(SUBJECTS)) {
  const headers = subject === 'parseHeader' || subject.startsWith('fingerprint') ? Object.entries(HEADERS) : [['none', '']];
  for (const [headerName, header] of headers) {
    for (const [shape, make] of Object.entries(SHAPES)) {
      const times = [];
      for (const factor of [1, 2, 4]) {
        const line = header + make(factor * N - header.length);
        const ms = timeCase(work, line);
        times.push(ms);
        if (ms > CUTOFF_MS) break;
      }
      const ratio = times.length === 3 ? times[2] / Math.max(times[0], 0.05) : Infinity;
      rows.push({ subject, header: headerName, shape, ms: times.map((t) => Number(t.toFixed(2))), ratio: Number(ratio.toFixed(1)) });
    }
  }
}

if (process.argv.includes('--json')) {
  process.stdout.write(JSON.stringify(rows, null, 2) + '\n');
} else {
  const worst = [...rows].sort((a, b) => b.ratio - a.ratio || b.ms.at(-1) - a.ms.at(-1));
  console.log(`hostile lines: n = ${N / 1024} KiB, 2n, 4n = ${(4 * N) / 1024 / 1024} MiB; ratio = time(4n)/time(n) (linear ≈ 4, quadratic ≈ 16)`);
  console.log('subject'.padEnd(26), 'header'.padEnd(7), 'shape'.padEnd(18), 'ms at n, 2n, 4n'.padEnd(26), 'ratio');
  for (const row of worst) {
    console.log(row.subject.padEnd(26), row.header.padEnd(7), row.shape.padEnd(18), row.ms.join(', ').padEnd(26), row.ratio === Infinity ? `> cutoff (${CUTOFF_MS} ms)` : row.ratio);
  }
  const slowest = Math.max(...rows.map((row) => row.ms.at(-1)));
  console.log(`cases: ${rows.length}; worst ratio ${worst[0].ratio}; slowest 1 MiB case ${slowest.toFixed(1)} ms`);
}
