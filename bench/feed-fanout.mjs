/**
 * Issue 5, as figures: delivery latency from the feed to 200 local WebSocket clients while a
 * replay runs at its normal rate. The CLI runs
 *   logwatch replay fixtures/int32-overflow --speed 60 --listen 127.0.0.1:0 --json   (stdout dropped)
 * with bench/feed-sent-at.mjs preloaded, which stamps each event with `sentAt` (wall ms) as the
 * hub takes it, before serializing it and sending it to every client. Two client processes of 100
 * `ws` clients each (so one receiving event loop does not queue 200 sockets) record, for every
 * event frame, receive wall time − sentAt. Replies (hello, snapshot) carry no stamp and are not
 * counted. Ends when the CLI says the replay finished.
 *
 *   npx tsc -p tsconfig.json && node bench/feed-fanout.mjs     (BENCH_FEED_CLIENTS, BENCH_FEED_SPEED)
 * Prints a markdown table, then ONE JSON line `{ "table": …, … }` last, as bench/run.js expects.
 */
import { spawn } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.dirname(here);
const cli = path.join(repo, 'dist', 'cli', 'bin.js');
const CLIENT_PROCESSES = 2;
const wallNow = () => performance.timeOrigin + performance.now();

// ---------------------------------------------------------------- client process

/** Connects `count` clients; on stdin's end prints `{ latencies: { type: ms[] }, … }` and exits. */
async function clients(url, count) {
  const latencies = {};
  let unstamped = 0;
  const sockets = await Promise.all(Array.from({ length: count }, () => new Promise((resolve, reject) => {
    const socket = new WebSocket(url);
    socket.on('message', (data) => {
      const receivedAt = wallNow();
      const message = JSON.parse(data.toString());
      if (message.type === 'snapshot') resolve(socket);
      if (typeof message.sentAt !== 'number') unstamped += 1;
      else (latencies[message.type] ??= []).push(Math.round((receivedAt - message.sentAt) * 100) / 100);
    });
    socket.on('error', reject);
  })));
  process.stdout.write('ready\n');
  process.stdin.resume().on('end', () => {
    for (const socket of sockets) socket.terminate();
    process.stdout.write(`${JSON.stringify({ latencies, unstamped })}\n`);
    process.exit(0);
  });
}

// ---------------------------------------------------------------- measurement

/** Starts the replay with the stamping preload; resolves with the feed's WebSocket URL and a promise of the replay's end. */
function startReplay(speed) {
  const child = spawn(process.execPath, [
    '--import', path.join(here, 'feed-sent-at.mjs'),
    cli, 'replay', path.join(repo, 'fixtures', 'int32-overflow'), '--speed', String(speed), '--listen', '127.0.0.1:0', '--json',
  ], { cwd: repo, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  let announced;
  const url = new Promise((resolve) => { announced = resolve; });
  const finished = new Promise((resolve, reject) => {
    child.stderr.setEncoding('utf8').on('data', (chunk) => {
      stderr += chunk;
      const feed = /feed and web page at (http:\/\/[^\s/]+)/.exec(stderr);
      if (feed !== null) announced(`${feed[1].replace('http:', 'ws:')}/ws`);
      if (stderr.includes('replay finished')) resolve();
    });
    child.on('exit', (code) => reject(new Error(`replay exited ${code} before finishing: ${stderr}`)));
  });
  return { child, url, finished };
}

function startClients(url, count) {
  const child = spawn(process.execPath, [fileURLToPath(import.meta.url), 'clients', url, String(count)], { stdio: ['pipe', 'pipe', 'inherit'] });
  let out = '';
  let markReady;
  const ready = new Promise((resolve) => { markReady = resolve; });
  child.stdout.setEncoding('utf8').on('data', (chunk) => {
    out += chunk;
    if (out.startsWith('ready\n')) markReady();
  });
  const result = new Promise((resolve, reject) => child.on('exit', (code) => (
    code === 0 ? resolve(JSON.parse(out.slice('ready\n'.length).trim())) : reject(new Error(`client process exited ${code}`)))));
  return { ready, stop: () => { child.stdin.end(); return result; } };
}

function percentiles(values) {
  const sorted = Float64Array.from(values).sort();
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
  return { n: sorted.length, p50: at(0.5), p95: at(0.95), p99: at(0.99), max: sorted[sorted.length - 1] };
}

function machine() {
  const cpus = os.cpus();
  return `${cpus[0]?.model ?? 'cpu'} × ${cpus.length}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, node ${process.version}`;
}

async function main() {
  const total = Number(process.env.BENCH_FEED_CLIENTS ?? 200);
  const speed = Number(process.env.BENCH_FEED_SPEED ?? 60);
  const replay = startReplay(speed);
  const url = await replay.url;
  const started = Date.now();
  const groups = Array.from({ length: CLIENT_PROCESSES }, (_, i) => startClients(url, Math.floor(total / CLIENT_PROCESSES) + (i < total % CLIENT_PROCESSES ? 1 : 0)));
  await Promise.all(groups.map((group) => group.ready));
  const connectedAfterMs = Date.now() - started;
  await replay.finished;
  const results = await Promise.all(groups.map((group) => group.stop()));
  replay.child.kill('SIGINT');

  const byType = {};
  for (const { latencies } of results) for (const [type, values] of Object.entries(latencies)) (byType[type] ??= []).push(...values);
  const all = Object.values(byType).flat();
  const others = Object.entries(byType).filter(([type]) => type !== 'verdict').flatMap(([, values]) => values);
  const rows = [['all events', all], ['verdict', byType.verdict ?? []], ['all but verdict', others], ...Object.entries(byType).filter(([type]) => type !== 'verdict').sort()];
  const figures = Object.fromEntries(rows.map(([name, values]) => [name, percentiles(values)]));
  const ms = (n) => (n === undefined ? '—' : `${n.toFixed(1)} ms`);
  const table = [
    `${total} clients in ${CLIENT_PROCESSES} processes, int32-overflow at --speed ${speed}, ${machine()}; all connected ${connectedAfterMs} ms after the feed was announced`,
    '',
    '| messages | deliveries | p50 | p95 | p99 | max |',
    '|---|---|---|---|---|---|',
    ...rows.map(([name]) => `| ${name} | ${figures[name].n} | ${ms(figures[name].p50)} | ${ms(figures[name].p95)} | ${ms(figures[name].p99)} | ${ms(figures[name].max)} |`),
  ].join('\n');
  console.log(table);
  console.log(JSON.stringify({ table, clients: total, speed, machine: machine(), connectedAfterMs, figures, unstamped: results.reduce((sum, r) => sum + r.unstamped, 0) }));
}

const [mode, ...args] = process.argv.slice(2);
if (mode === 'clients') await clients(args[0], Number(args[1]));
else await main();
