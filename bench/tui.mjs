/**
 * Issue 4, as figures: with a writer appending PHP error lines at a target rate (100k lines/s by
 * default) into 8 host files, `logwatch watch` runs twice over the same window —
 *   (a) `--json` (stdout to /dev/null), and (b) the TUI in tmux (120×40, CI unset) —
 * both with the feed on a free loopback port, so that the only difference is the TUI and lines
 * processed are read the same way (`/api/state` → `stats.lines`) at the end of the window.
 * Process CPU time (utime+stime from /proc/<pid>/stat) over the window ÷ lines processed gives
 * CPU per line; (b) ÷ (a) is the TUI's cost. In (b), `j`/`k` go in by `tmux send-keys` and
 * capture-pane is polled back to back until the selection marker `›` changes row: keypress to
 * observed redraw. The same polling against `cat` in a second tmux window (the terminal echoes
 * the key) gives the floor that tmux and polling add by themselves.
 *
 *   npx tsc -p tsconfig.json && node bench/tui.mjs            (BENCH_TUI_RATE, BENCH_TUI_SECONDS; NODE_ENV passes through to logwatch)
 *   node bench/tui.mjs writer DIR RATE SECONDS              (the writer alone; prints one JSON line)
 * Prints a markdown table, then ONE JSON line `{ "table": …, … }` last, as bench/run.js expects.
 */
import { execFileSync, spawn } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeCorpus } from './corpus.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.dirname(here);
const cli = path.join(repo, 'dist', 'cli', 'bin.js');
const HOSTS = 8;
const TICK_MS = 20;
/** A writer that fell behind catches up in bounded steps, so its memory stays small. */
const MAX_LINES_PER_TICK = 20_000;
const KEY_SAMPLES = 20;
const WARMUP_MS = 3_000;
const CLOCK_TICKS_PER_SECOND = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const pad = (n) => String(n).padStart(2, '0');
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const phpDate = (d) => `${pad(d.getUTCDate())}-${MONTHS[d.getUTCMonth()]}-${d.getUTCFullYear()} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} UTC`;

// ---------------------------------------------------------------- writer (a child process)

/** Message bodies from the seeded benchmark corpus, without their timestamps (stack-trace lines included). */
async function messagePool(dir) {
  const [{ file }] = await writeCorpus(path.join(dir, 'pool'), { bytes: 2e6, hosts: 1, seed: 4 });
  return readFileSync(file, 'utf8').split('\n').filter((line) => line !== '').map((line) => line.replace(/^\[[^\]]*\] /, ''));
}

/** Appends `rate` lines/s spread over the host files for `seconds`, stamping each with the current second. */
async function writer(dir, rate, seconds) {
  const pool = await messagePool(dir);
  const fds = hostFiles(dir).map((file) => openSync(file, 'a'));
  const started = Date.now();
  let written = 0;
  let next = 0;
  while (Date.now() - started < seconds * 1000) {
    const owed = Math.min(Math.floor(((Date.now() - started) / 1000) * rate) - written, MAX_LINES_PER_TICK);
    const stamp = `[${phpDate(new Date())}] `;
    const perHost = hostFiles(dir).map(() => []);
    for (let i = 0; i < owed; i++, next++) perHost[next % HOSTS].push(stamp, pool[next % pool.length], '\n');
    perHost.forEach((parts, h) => { if (parts.length > 0) writeSync(fds[h], parts.join('')); });
    written += Math.max(owed, 0);
    await sleep(TICK_MS);
  }
  for (const fd of fds) closeSync(fd);
  const wallSeconds = (Date.now() - started) / 1000;
  process.stdout.write(`${JSON.stringify({ lines: written, seconds: wallSeconds, linesPerSecond: written / wallSeconds })}\n`);
}

const hostFiles = (dir) => Array.from({ length: HOSTS }, (_, h) => path.join(dir, 'logs', `web-${pad(h + 1)}`, 'php_errors.log'));

// ---------------------------------------------------------------- measurement

function freePort() {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** utime + stime of a process, in seconds. */
function cpuSeconds(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  // After "pid (comm) ", field 3 (state) is index 0, so utime (14) and stime (15) are 11 and 12.
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND;
}

/** Busy and total jiffies of the whole machine (all cores), from /proc/stat. */
function machineJiffies() {
  const [user, nice, system, idle, iowait, irq, softirq, steal] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  const busy = user + nice + system + irq + softirq + steal;
  return { busy, total: busy + idle + iowait };
}

async function linesProcessed(port) {
  const response = await fetch(`http://127.0.0.1:${port}/api/state`);
  return (await response.json()).stats.lines;
}

async function untilFeedAnswers(port) {
  const end = Date.now() + 30_000;
  while (Date.now() < end) {
    try {
      return await linesProcessed(port);
    } catch {
      await sleep(100);
    }
  }
  throw new Error(`logwatch did not serve /api/state on port ${port} within 30 s`);
}

function startWriter(dir, rate, seconds) {
  const child = spawn(process.execPath, [fileURLToPath(import.meta.url), 'writer', dir, String(rate), String(seconds)], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (chunk) => { out += chunk; });
  return new Promise((resolve, reject) => child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out.trim())) : reject(new Error(`writer exited ${code}`)))));
}

function freshLogs(dir) {
  rmSync(path.join(dir, 'logs'), { recursive: true, force: true });
  for (const file of hostFiles(dir)) {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, '');
  }
}

const watchArgs = (dir, port) => [
  cli, 'watch', path.join(dir, 'logs', '*', 'php_errors.log'),
  '--host-pattern', path.join(dir, 'logs', '{host}', 'php_errors.log'),
  '--listen', `127.0.0.1:${port}`,
];

/**
 * Runs the writer against a started logwatch and measures it over the window; `others` are
 * further processes whose CPU time over the window is worth knowing (the tmux server).
 */
async function window(pid, port, dir, rate, seconds, { during = async () => null, others = {} } = {}) {
  const cpuBefore = cpuSeconds(pid);
  const othersBefore = Object.fromEntries(Object.entries(others).map(([name, other]) => [name, cpuSeconds(other)]));
  const linesBefore = await linesProcessed(port);
  const machineBefore = machineJiffies();
  const written = startWriter(dir, rate, seconds);
  const sampled = during();
  const writerResult = await written;
  const cpu = cpuSeconds(pid) - cpuBefore;
  const machineAfter = machineJiffies();
  const machineBusy = (machineAfter.busy - machineBefore.busy) / (machineAfter.total - machineBefore.total);
  const othersCpu = Object.fromEntries(Object.entries(others).map(([name, other]) => [name, cpuSeconds(other) - othersBefore[name]]));
  const lines = (await linesProcessed(port)) - linesBefore;
  return { writer: writerResult, lines, cpuSeconds: cpu, cpuMicrosPerLine: (cpu / lines) * 1e6, linesPerSecond: lines / seconds, machineBusy, othersCpuSeconds: othersCpu, keys: await sampled };
}

async function runJson(dir, rate, seconds) {
  freshLogs(dir);
  const port = await freePort();
  const child = spawn(process.execPath, [...watchArgs(dir, port), '--json'], { cwd: repo, stdio: ['ignore', 'ignore', 'inherit'] });
  await untilFeedAnswers(port);
  const result = await window(child.pid, port, dir, rate, seconds);
  child.kill('SIGINT');
  await new Promise((resolve) => child.on('exit', resolve));
  return result;
}

// ---------------------------------------------------------------- tmux

const socket = `logwatch-bench-${process.pid}`;
const tmux = (...args) => execFileSync('tmux', ['-L', socket, ...args], { encoding: 'utf8' });
const pane = (target) => tmux('capture-pane', '-p', '-t', target);
const markerRow = (screen) => screen.split('\n').findIndex((line) => line.includes('›'));
const shellQuote = (text) => `'${text.replace(/'/g, `'\\''`)}'`;

/** Sends `key` and polls the pane back to back until `changed(screen)`; milliseconds, or null after 2 s. */
function timeKey(target, key, changed) {
  const sent = performance.now();
  tmux('send-keys', '-t', target, key);
  for (;;) {
    if (changed(pane(target))) return performance.now() - sent;
    if (performance.now() - sent > 2_000) return null;
  }
}

/** `j`/`k` alternately against the TUI; the same against `cat` in the other window for the floor. */
async function sampleKeys() {
  await sleep(WARMUP_MS);
  const tui = [];
  const floor = [];
  for (let i = 0; i < KEY_SAMPLES; i++) {
    const before = markerRow(pane('lw:tui'));
    if (before < 0) throw new Error(`no selection marker on the TUI's screen:\n${pane('lw:tui')}`);
    tui.push(timeKey('lw:tui', i % 2 === 0 ? 'j' : 'k', (screen) => markerRow(screen) !== before));
    tmux('send-keys', '-t', 'lw:echo', 'C-u');
    await sleep(50);
    const mark = String.fromCharCode(97 + (i % 26));
    floor.push(timeKey('lw:echo', mark, (screen) => screen.trimEnd().endsWith(mark)));
    await sleep(200);
  }
  return { tui, floor };
}

async function runTui(dir, rate, seconds) {
  freshLogs(dir);
  const port = await freePort();
  const command = ['env', '-u', 'CI', process.execPath, ...watchArgs(dir, port)].map(shellQuote).join(' ');
  tmux('-f', '/dev/null', 'new-session', '-d', '-s', 'lw', '-n', 'tui', '-x', '120', '-y', '40', '-c', repo, command);
  tmux('new-window', '-d', '-t', 'lw', '-n', 'echo', 'cat');
  try {
    const pid = Number(tmux('display-message', '-p', '-t', 'lw:tui', '#{pane_pid}').trim());
    await untilFeedAnswers(port).catch((error) => { throw new Error(`${error.message}; the TUI's pane:\n${pane('lw:tui')}`); });
    const server = Number(tmux('display-message', '-p', '#{pid}').trim());
    // Two windows under the same load: the cost one without key polling (each capture-pane is a
    // tmux client process, on 2 cores that competes with logwatch), then the keys one.
    const cost = await window(pid, port, dir, rate, seconds, { others: { tmuxServer: server } });
    const keys = await window(pid, port, dir, rate, seconds, { during: sampleKeys, others: { tmuxServer: server } });
    process.kill(pid, 'SIGINT');
    return { ...cost, keys: keys.keys, keysWindow: { ...keys, keys: undefined } };
  } finally {
    await sleep(500);
    try { tmux('kill-server'); } catch { /* already gone */ }
  }
}

// ---------------------------------------------------------------- report

function percentiles(samples) {
  const done = samples.filter((ms) => ms !== null).sort((a, b) => a - b);
  const at = (q) => done[Math.min(done.length - 1, Math.ceil(q * done.length) - 1)];
  return { n: done.length, missed: samples.length - done.length, p50: at(0.5), p95: at(0.95), max: done.at(-1) };
}

function report(rate, seconds, json, tui) {
  const keys = percentiles(tui.keys.tui);
  const floor = percentiles(tui.keys.floor);
  const ms = (n) => (n === undefined ? '—' : `${n.toFixed(0)} ms`);
  const k = (n) => `${(n / 1e3).toFixed(1)} k`;
  const tmuxCpu = (r) => (r.othersCpuSeconds.tmuxServer === undefined ? '—' : r.othersCpuSeconds.tmuxServer.toFixed(1));
  const row = (name, r) => `| ${name} | ${k(r.writer.linesPerSecond)} | ${k(r.linesPerSecond)} | ${r.cpuSeconds.toFixed(1)} | ${r.cpuMicrosPerLine.toFixed(2)} | ${tmuxCpu(r)} | ${(r.machineBusy * 100).toFixed(0)}% |`;
  const costRatio = tui.cpuMicrosPerLine / json.cpuMicrosPerLine;
  // What the TUI itself burns: (b)'s CPU less what (b)'s lines would cost at (a)'s rate per line.
  const tuiCores = (tui.cpuSeconds - (tui.lines * json.cpuMicrosPerLine) / 1e6) / seconds;
  const throughputRatio = tui.linesPerSecond / json.linesPerSecond;
  const table = [
    // React's development build (NODE_ENV unset) costs the TUI several times its production build.
    `target ${k(rate)} lines/s over ${seconds} s, ${HOSTS} host files, NODE_ENV=${process.env.NODE_ENV ?? '(unset)'}`,
    '',
    '| run | writer lines/s | logwatch lines/s | logwatch CPU s | CPU µs/line | tmux server CPU s | machine busy (all cores) |',
    '|---|---|---|---|---|---|---|',
    row('(a) `--json` to /dev/null', json),
    row('(b) TUI in tmux 120×40', tui),
    row('(b′) TUI, while keys are sampled', tui.keysWindow),
    '',
    `TUI CPU per line ÷ JSON CPU per line: ${costRatio.toFixed(3)} (${((costRatio - 1) * 100).toFixed(0)}% more CPU per line; target < 10%); ` +
      `the TUI's own CPU ≈ ${tuiCores.toFixed(2)} cores; lines/s with the TUI ÷ without: ${throughputRatio.toFixed(3)}`,
    '',
    '| keypress → observed redraw | n | p50 | p95 | max |',
    '|---|---|---|---|---|',
    `| TUI, \`j\`/\`k\` until \`›\` moves | ${keys.n} (${keys.missed} missed) | ${ms(keys.p50)} | ${ms(keys.p95)} | ${ms(keys.max)} |`,
    `| floor: \`cat\` echo in the same tmux | ${floor.n} (${floor.missed} missed) | ${ms(floor.p50)} | ${ms(floor.p95)} | ${ms(floor.max)} |`,
  ].join('\n');
  return { table, rate, seconds, nodeEnv: process.env.NODE_ENV ?? null, json, tui, costRatio, tuiCores, throughputRatio, keys, floor };
}

async function main() {
  const rate = Number(process.env.BENCH_TUI_RATE ?? 100_000);
  const seconds = Number(process.env.BENCH_TUI_SECONDS ?? 20);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'logwatch-tui-bench-'));
  try {
    await messagePool(dir);
    const json = await runJson(dir, rate, seconds);
    const tui = await runTui(dir, rate, seconds);
    const result = report(rate, seconds, json, tui);
    console.log(result.table);
    console.log(JSON.stringify(result));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const [mode, ...args] = process.argv.slice(2);
if (mode === 'writer') await writer(args[0], Number(args[1]), Number(args[2]));
else await main();
