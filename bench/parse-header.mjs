/**
 * Header parsing, multi-line joining and visibleText throughput, per format, as figures (never
 * pass/fail). Each figure sits next to a baseline measured in the same run over the same strings
 * (`line.split(' ')`), because ratios travel between machines and absolute numbers do not.
 * Build first (`npx tsc -p tsconfig.json`), then: node bench/parse-header.mjs
 */
import { parseHeader } from '../dist/pipeline/parse-header.js';
import { MultilineJoiner } from '../dist/tail/multiline.js';
import { visibleText } from '../dist/pipeline/visible-text.js';

const LINES = 200_000;
/** Lines per second of log time: error logs in a burst write many lines in the same second. */
const LINES_PER_SECOND = 20;
const START = Date.parse('2026-11-24T01:00:00Z');
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const pad = (n, width = 2) => String(n).padStart(width, '0');

function stampParts(i) {
  const d = new Date(START + Math.floor(i / LINES_PER_SECOND) * 1000);
  return {
    y: d.getUTCFullYear(), mo: d.getUTCMonth(), day: d.getUTCDate(), wd: d.getUTCDay(),
    time: `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`, ms: i % 1000,
  };
}

const FORMATS = {
  'php (UTC)': (t, i) => `[${pad(t.day)}-${MONTHS[t.mo]}-${t.y} ${t.time} UTC] PHP Warning:  Undefined array key "listing_${i % 50}" in /var/www/app/src/Listing.php on line ${i % 400}`,
  'php (Europe/Berlin)': (t, i) => `[${pad(t.day)}-${MONTHS[t.mo]}-${t.y} ${t.time} Europe/Berlin] PHP Fatal error:  Uncaught PDOException: SQLSTATE[22003]: value ${i} out of range in /var/www/app/src/Db.php:${i % 90}`,
  'apache 2.4': (t, i) => `[${DAYS[t.wd]} ${MONTHS[t.mo]} ${pad(t.day)} ${t.time}.${pad(t.ms * 1000, 6)} ${t.y}] [proxy_fcgi:error] [pid ${1000 + (i % 64)}:tid ${i}] [client 10.0.${i % 255}.7:51234] AH01071: Got error 'Primary script unknown'`,
  nginx: (t, i) => `${t.y}/${pad(t.mo + 1)}/${pad(t.day)} ${t.time} [error] ${i % 8}#0: *${i} upstream timed out (110: Connection timed out) while reading response header from upstream, client: 10.0.0.${i % 255}`,
  'syslog 3164': (t, i) => `<27>${MONTHS[t.mo]} ${String(t.day).padStart(2, ' ')} ${t.time} web-${i % 8} php-fpm[${2000 + (i % 300)}]: [pool www] child ${i} exited on signal 11 (SIGSEGV)`,
  'syslog 5424': (t, i) => `<27>1 ${t.y}-${pad(t.mo + 1)}-${pad(t.day)}T${t.time}.${pad(t.ms, 3)}Z web-${i % 8} app ${i % 999} ID47 [meta seq="${i}"] payment declined for order ${i}`,
  'iso-8601': (t, i) => `${t.y}-${pad(t.mo + 1)}-${pad(t.day)} ${t.time},${pad(t.ms, 3)} ERROR [worker-${i % 16}] c.e.checkout.PaymentService - charge ${i} failed: card declined`,
  'json (pino)': (t, i) => JSON.stringify({ level: 50, time: START + i * 50, pid: 7, hostname: `web-${i % 8}`, msg: `charge ${i} failed` }),
  unknown: (t, i) => `Segmentation fault at address 0x${(i * 4099).toString(16)} in worker ${i % 32}`,
};

function timeLoop(lines, work) {
  let sink = 0;
  for (let i = 0; i < 2; i++) sink += work(lines); // warm-up
  const start = process.hrtime.bigint();
  const rounds = 5;
  for (let i = 0; i < rounds; i++) sink += work(lines);
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  return { perSecond: (lines.length * rounds) / seconds, sink };
}

const parseAll = (lines) => {
  let n = 0;
  for (const line of lines) n += parseHeader(line, START).message.length;
  return n;
};
const splitAll = (lines) => {
  let n = 0;
  for (const line of lines) n += line.split(' ').length;
  return n;
};

const results = {};
console.log(`## Header parsing (${LINES / 1000}k lines per format, ${LINES_PER_SECOND} lines per log second)\n`);
console.log('| format | parseHeader lines/s | split(\' \') lines/s | ratio |');
console.log('|---|---:|---:|---:|');
for (const [name, make] of Object.entries(FORMATS)) {
  const lines = Array.from({ length: LINES }, (_, i) => make(stampParts(i), i));
  const parse = timeLoop(lines, parseAll);
  const split = timeLoop(lines, splitAll);
  results[name] = { parse: Math.round(parse.perSecond), split: Math.round(split.perSecond) };
  console.log(`| ${name} | ${(parse.perSecond / 1e6).toFixed(2)} M | ${(split.perSecond / 1e6).toFixed(2)} M | ${(parse.perSecond / split.perSecond).toFixed(2)} |`);
}

const phpTrace = [];
for (let i = 0; phpTrace.length < LINES; i++) {
  const stamp = `[24-Nov-2026 01:05:${pad(i % 60)} UTC]`;
  phpTrace.push(`${stamp} PHP Fatal error:  Uncaught Exception: boom ${i} in /var/www/a.php:3`, 'Stack trace:', '#0 /var/www/b.php(12): run()', '#1 {main}', '  thrown in /var/www/a.php on line 3', `${stamp} PHP Warning:  Undefined variable $x in /var/www/c.php on line 9`);
}
const join = timeLoop(phpTrace, (lines) => {
  const joiner = new MultilineJoiner();
  let records = 0;
  for (let i = 0; i < lines.length; i += 500) records += joiner.push('a.log', lines.slice(i, i + 500), i).length;
  return records + joiner.flushAll().length;
});
results.multiline = Math.round(join.perSecond);
console.log(`\nMultilineJoiner (PHP fatal + trace, batches of 500): ${(join.perSecond / 1e6).toFixed(2)} M lines/s`);

const clean = FORMATS.nginx(stampParts(0), 1);
const visible = timeLoop(Array(LINES).fill(clean), (lines) => {
  let n = 0;
  for (const line of lines) n += visibleText(line).length;
  return n;
});
results.visibleTextClean = Math.round(visible.perSecond);
console.log(`visibleText, clean ${clean.length}-char line (fast path): ${(visible.perSecond / 1e6).toFixed(2)} M lines/s`);
console.log(JSON.stringify(results));
