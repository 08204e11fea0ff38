/**
 * One throughput measurement in this process, printed as one JSON line, so that each mode's
 * peak RSS is its own. Run by bench/run.js; usable alone:
 *   node bench/throughput.mjs count|split|decode|record FILE…
 *   node bench/throughput.mjs cardinality LINES DISTINCT
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { LineSplitter } from '../dist/tail/line-splitter.js';
import { ChunkLines, chunkBatch } from '../dist/tail/chunk-lines.js';
import { RecordPath } from '../dist/pipeline/record-path.js';
import { Detector } from '../dist/detect/detector.js';
import { defaultPresignWorkers, Presigner } from '../dist/pipeline/presign.js';
import { boundHeapGrowth } from '../dist/cli/heap-growth.js';

// Measured as `logwatch watch` runs (src/cli/watch.ts).
boundHeapGrowth();

/** Bytes per read: what the follower reads at a time (READ_CHUNK_BYTES in src/tail/follower.ts). */
const CHUNK = 1 << 18;

/**
 * Every read of every file as [buffer, file], one read per file in turn, as the follower reads
 * files that all grow: hosts' lines arrive interleaved in time, as in a live run (read one whole
 * file after another, every host but the first would be hours late). The buffer is reused.
 */
function* chunksOf(files) {
  const buffer = Buffer.allocUnsafe(CHUNK);
  let open = files.map((file) => ({ file, fd: openSync(file, 'r') }));
  while (open.length > 0) {
    for (const source of open) {
      const n = readSync(source.fd, buffer, 0, CHUNK, null);
      if (n > 0) {
        yield [buffer.subarray(0, n), source.file];
        continue;
      }
      closeSync(source.fd);
      source.fd = -1;
    }
    open = open.filter((source) => source.fd >= 0);
  }
}

/** Calls onChunk(buffer, file) for every chunk of `chunksOf(files)`; returns the bytes read. */
function readAll(files, onChunk) {
  let bytes = 0;
  for (const [chunk, file] of chunksOf(files)) {
    bytes += chunk.length;
    onChunk(chunk, file);
  }
  return bytes;
}

/** Reference: count newlines with Buffer.indexOf; no line is made (what `wc -l` does, in Node). */
function count(files) {
  let lines = 0;
  const bytes = readAll(files, (chunk) => {
    for (let i = chunk.indexOf(10); i >= 0; i = chunk.indexOf(10, i + 1)) lines++;
  });
  return { lines, bytes };
}

/** The plain line split: each line found with Buffer.indexOf and handed on as a view of its bytes, not decoded. */
/** Bytes seen through the views: a side effect, so the views cannot be optimised away. */
let viewedBytes = 0;
function split(files) {
  let lines = 0;
  const bytes = readAll(files, (chunk) => {
    let start = 0;
    for (let i = chunk.indexOf(10); i >= 0; start = i + 1, i = chunk.indexOf(10, start)) {
      viewedBytes += chunk.subarray(start, i).length;
      lines++;
    }
  });
  return { lines, bytes };
}

/** Baseline 2: our line splitter alone (split, cap, decode). */
function decode(files) {
  let lines = 0;
  const splitters = new Map();
  const out = [];
  const bytes = readAll(files, (chunk, file) => {
    let splitter = splitters.get(file);
    if (splitter === undefined) splitters.set(file, (splitter = new LineSplitter()));
    splitter.push(chunk, out);
    lines += out.length;
    out.length = 0;
  });
  return { lines, bytes };
}

/**
 * Feeds signed records to detection and judges every whole second of event time they pass, as
 * the pipeline's clock does (detection holds records until a judgement takes them in).
 */
function judged(detector) {
  let nextSecond;
  return (records) => {
    detector.addRecords(records);
    const latest = records.reduce((max, r) => (r.at > max ? r.at : max), -Infinity);
    if (!Number.isFinite(latest)) return;
    nextSecond ??= Math.ceil(latest / 1000) * 1000;
    for (; nextSecond <= latest; nextSecond += 1000) detector.evaluate(nextSecond);
  };
}

/**
 * Batches as the follower makes them: each read split into a ChunkLines (src/tail/chunk-lines.ts),
 * whose lines are decoded when first read.
 */
function* batchesOf(files) {
  const splitters = new Map();
  for (const [chunk, file] of chunksOf(files)) {
    let splitter = splitters.get(file);
    if (splitter === undefined) splitters.set(file, (splitter = new LineSplitter()));
    const lines = new ChunkLines(chunk);
    splitter.push(chunk, lines);
    lines.seal();
    yield [chunkBatch({ source: file, host: file.split('/').at(-2), arrivedAt: 0 }, lines), chunk.length];
  }
}

/** The whole record path: split → multi-line → parse → fingerprint → buckets → a judgement per second. */
function record(files) {
  const path = new RecordPath({ localHost: 'bench-host' });
  const detector = new Detector();
  const detect = judged(detector);
  let records = 0;
  let bytes = 0;
  for (const [batch, size] of batchesOf(files)) {
    bytes += size;
    const signed = path.push(batch);
    records += signed.length;
    detect(signed);
  }
  const rest = path.flushAll();
  detect(rest);
  return { lines: path.lines, records: records + rest.length, bytes, signatures: detector.counters.signatures, evicted: detector.counters.evicted };
}

/**
 * `record` with pre-signing workers (src/pipeline/presign.ts; PRESIGN_WORKERS, default as
 * `logwatch watch`): reading waits while more than a few batches wait for their release, as
 * the follower's reads give way to the workers' replies.
 */
async function recordPresigned(files) {
  const workers = Number(process.env.PRESIGN_WORKERS ?? defaultPresignWorkers());
  const presigner = new Presigner({ zone: 'UTC', workers, warn: (line) => process.stderr.write(`${line}\n`) });
  const path = new RecordPath({ localHost: 'bench-host' });
  const detector = new Detector();
  const detect = judged(detector);
  let records = 0;
  presigner.onRelease((batch, presigned) => {
    const signed = path.push(batch, presigned);
    records += signed.length;
    detect(signed);
  });
  let bytes = 0;
  for (const [batch, size] of batchesOf(files)) {
    bytes += size;
    presigner.submit(batch);
    await presigner.backlogAtMost(Number(process.env.PRESIGN_BACKLOG ?? 6));
  }
  await presigner.drained();
  await presigner.close();
  const rest = path.flushAll();
  detect(rest);
  return { lines: path.lines, records: records + rest.length, bytes, signatures: detector.counters.signatures, evicted: detector.counters.evicted, workers, released: presigner.released };
}

/** Many distinct messages (unique non-numeric words, so masking cannot merge them): memory must stay bounded. */
function cardinality(totalLines, distinct) {
  const path = new RecordPath({ localHost: 'bench-host' });
  const detector = new Detector();
  const detect = judged(detector);
  const word = (i) => { let s = ''; do { s += String.fromCharCode(97 + (i % 26)); i = Math.floor(i / 26); } while (i > 0); return s; };
  const start = Date.parse('2026-11-23T00:00:00Z');
  let bytes = 0;
  for (let done = 0; done < totalLines;) {
    const lines = [];
    for (let i = 0; i < 5000 && done < totalLines; i++, done++) {
      const second = new Date(start + Math.floor(done / 3000) * 1000).toISOString();
      lines.push(`${second} ERROR cache miss for profile ${word(done % distinct)}zz of shop`);
    }
    for (const line of lines) bytes += line.length + 1;
    detect(path.push({ source: 'gen', host: 'h', lines, arrivedAt: 0 }));
  }
  detect(path.flushAll());
  return { lines: path.lines, bytes, signatures: detector.counters.signatures, evicted: detector.counters.evicted };
}

const [mode, ...args] = process.argv.slice(2);
const modes = { count, split, decode, record, presigned: recordPresigned, cardinality: () => cardinality(Number(args[0]), Number(args[1])) };
if (!(mode in modes)) {
  process.stderr.write(`usage: throughput.mjs count|split|decode|record|presigned FILE… | cardinality LINES DISTINCT\n`);
  process.exit(2);
}
const started = process.hrtime.bigint();
const result = mode === 'cardinality' ? modes.cardinality() : await modes[mode](args);
const seconds = Number(process.hrtime.bigint() - started) / 1e9;
const maxRssMB = process.resourceUsage().maxRSS / 1024;
process.stdout.write(`${JSON.stringify({ mode, ...result, seconds, linesPerSecond: result.lines / seconds, maxRssMB })}\n`);
