import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { NOT_PRESIGNED, PresignedBatch, Presigner, TemplateTable, type PresignReply } from '../../src/pipeline/presign.js';
import { RecordPath } from '../../src/pipeline/record-path.js';
import type { SignedRecord } from '../../src/pipeline/record.js';
import { ChunkLines, chunkBatch, decodeChunkLines } from '../../src/tail/chunk-lines.js';
import { LineSplitter } from '../../src/tail/line-splitter.js';
import type { LineBatch } from '../../src/tail/types.js';
import { REPO } from '../support/cli.js';

/** The worker as built (`npm test` builds first): a worker runs JavaScript, not the sources. */
const WORKER = pathToFileURL(path.join(REPO, 'dist', 'pipeline', 'presign-worker.js'));
const ARRIVED = Date.parse('2026-11-24T10:00:00Z');

/** Lines of every kind the record path reads differently, traces and telling values among them. */
const MIXED = [
  '[24-Nov-2026 10:00:01 UTC] PHP Warning:  Undefined array key "currency" in /var/www/html/lib/Listing.php on line 240',
  '[24-Nov-2026 10:00:01 UTC] PHP Fatal error:  Uncaught PDOException: id 2147483647 out of range in /var/www/Db.php:120',
  'Stack trace:',
  '#0 /var/www/index.php(42): Db->insert()',
  '#1 {main}',
  '  thrown in /var/www/Db.php on line 120',
  '2026/11/24 10:00:02 [error] 1234#0: *5 connect() failed (111: Connection refused) while connecting to upstream, client: 10.0.0.1',
  '<11>Nov 24 10:00:03 db-07 postgres[311]: ERROR:  duplicate key value violates unique constraint "shops_pkey"',
  '{"time":"2026-11-24T10:00:04Z","level":"error","msg":"payment gateway timeout after 30000 ms","host":"pay-2"}',
  '{"log":"PHP Warning:  4294967295 rows in /var/www/x.php on line 3\\n","stream":"stderr","time":"2026-11-24T10:00:05Z"}',
  '2026-11-24T10:00:06Z ERROR cache miss for user 123456 ratio 0.75\r',
  'java.lang.IllegalStateException: queue full',
  '\tat com.shop.Queue.put(Queue.java:88)',
  'panic: runtime error: index out of range [5] with length 5',
  'plain words with no header at all',
];

function batchesOf(lines: string[], source: string, size: number): LineBatch[] {
  const out: LineBatch[] = [];
  for (let i = 0; i < lines.length; i += size) out.push({ source, host: undefined, lines: lines.slice(i, i + size), arrivedAt: ARRIVED });
  return out;
}

/** The same text as a follower reads it: split into ChunkLines per chunk. */
function chunkBatchesOf(text: string, source: string, chunkBytes: number): LineBatch[] {
  const splitter = new LineSplitter();
  const bytes = Buffer.from(text);
  const out: LineBatch[] = [];
  for (let at = 0; at < bytes.length; at += chunkBytes) {
    const chunk = bytes.subarray(at, at + chunkBytes);
    const lines = new ChunkLines(chunk);
    splitter.push(chunk, lines);
    lines.seal();
    if (lines.length > 0) out.push(chunkBatch({ source, host: undefined, arrivedAt: ARRIVED }, lines));
  }
  return out;
}

function signedAlone(batches: LineBatch[]): SignedRecord[] {
  const recordPath = new RecordPath({ localHost: 'here' });
  return [...batches.flatMap((batch) => recordPath.push(batch)), ...recordPath.flushAll()];
}

/** Batches through a Presigner and a RecordPath reading its pre-signed lines; also how many came pre-signed. */
async function signedWithWorkers(batches: LineBatch[], workers: number, workerUrl = WORKER): Promise<{ records: SignedRecord[]; presigner: Presigner; warnings: string[] }> {
  const warnings: string[] = [];
  const presigner = new Presigner({ zone: 'UTC', workers, workerUrl, warn: (line) => warnings.push(line) });
  const recordPath = new RecordPath({ localHost: 'here' });
  const records: SignedRecord[] = [];
  const released: Array<[LineBatch, PresignedBatch | undefined]> = [];
  presigner.onRelease((batch, presigned) => {
    released.push([batch, presigned]);
    records.push(...recordPath.push(batch, presigned));
  });
  // A chunk's lines are read from a copy of its bytes: reading them here would send the worker lines instead of bytes.
  const expected = batches.map((batch) => ({
    source: batch.source, host: batch.host, arrivedAt: batch.arrivedAt,
    lines: batch.chunk === undefined ? [...batch.lines] : decodeChunkLines(batch.chunk.copy()!),
  }));
  for (const batch of batches) presigner.submit(batch);
  await presigner.drained();
  await presigner.close();
  expect(released.map(([batch]) => batch)).toEqual(expected);
  return { records: [...records, ...recordPath.flushAll()], presigner, warnings };
}

describe('Presigner', () => {
  it('gives the records and fingerprints the main thread alone gives, for every format, in order', async () => {
    const lines = Array.from({ length: 40 }, (_, round) => MIXED.map((line) => line.replace('123456', String(100000 + round)))).flat();
    const alone = signedAlone(batchesOf(lines, 'mixed.log', 7));
    const { records, presigner } = await signedWithWorkers(batchesOf(lines, 'mixed.log', 7), 2);
    expect(records).toEqual(alone);
    expect(presigner.released.presigned).toBeGreaterThan(0);
    expect(records.some((record) => record.fingerprint.telling.some((t) => t.value === '2147483647'))).toBe(true);
  });

  it('reads a follower\'s chunks from their bytes, with the same records', async () => {
    const text = `${Array.from({ length: 300 }, (_, i) => MIXED[i % MIXED.length]).join('\n')}\n`;
    const alone = signedAlone(chunkBatchesOf(text, 'chunked.log', 333));
    const { records, presigner } = await signedWithWorkers(chunkBatchesOf(text, 'chunked.log', 333), 1);
    expect(records).toEqual(alone);
    expect(presigner.released.presigned).toBeGreaterThan(0);
  });

  it('keeps the main thread\'s table of templates bounded, and right after it is cleared', async () => {
    // Past twice the template cache (2 × 20 000) the worker starts a new epoch; templates used again are sent again.
    const distinct = Array.from({ length: 45_000 }, (_, i) => `2026-11-24T10:00:00Z ERROR lookup failed for key ${i.toString(36).replace(/[0-9]/g, (d) => 'qrstuvwxyz'[Number(d)]!)}word`);
    const lines = [...distinct, ...distinct.slice(0, 2_000)];
    const alone = signedAlone(batchesOf(lines, 'flood.log', 1_000));
    const { records } = await signedWithWorkers(batchesOf(lines, 'flood.log', 1_000), 1);
    expect(records.map((r) => r.fingerprint.id)).toEqual(alone.map((r) => r.fingerprint.id));
    expect(records).toEqual(alone);
  });

  it('hands the batches of a worker that fails to the main thread, with one warning, and loses none', async () => {
    const lines = Array.from({ length: 50 }, (_, i) => `2026-11-24T10:00:0${i % 10}Z ERROR job ${i} failed`);
    const missing = pathToFileURL(path.join(REPO, 'dist', 'pipeline', 'no-such-worker.js'));
    const { records, presigner, warnings } = await signedWithWorkers(batchesOf(lines, 'job.log', 5), 1, missing);
    expect(records).toEqual(signedAlone(batchesOf(lines, 'job.log', 5)));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^pre-signing worker failed \(.+\); its lines are signed on the main thread$/);
    expect(presigner.errors).toBe(1);
    expect(presigner.released.presigned).toBe(0);
  });

  it('hands over the batches not yet released when stopped (takeAll), in order', async () => {
    const presigner = new Presigner({ zone: 'UTC', workers: 1, workerUrl: WORKER, warn: () => undefined });
    const released: LineBatch[] = [];
    presigner.onRelease((batch) => released.push(batch));
    const batches = batchesOf(Array.from({ length: 30 }, (_, i) => `ERROR ${i}`), 'a.log', 3);
    for (const batch of batches) presigner.submit(batch);
    const rest = presigner.takeAll().map(({ batch }) => batch);
    expect([...released, ...rest]).toEqual(batches);
    await presigner.drained();
    await presigner.close();
    expect(released.length + rest.length).toBe(batches.length);
  });
});

describe('PresignedBatch', () => {
  /** A worker's reply for two lines: the first's values found in it, the second's sent whole. */
  const reply = (): PresignReply => ({
    seq: 0, epoch: 0,
    messageStart: Int32Array.from([0, 0, NOT_PRESIGNED]), at: Float64Array.from([5, Number.NaN, 0]), level: Uint8Array.from([1, 255, 0]),
    template: Int32Array.from([7, 7, 0]), valueEnds: Int32Array.from([0, 2, 3, 3]), valueSpans: Int32Array.from([4, 6, 10, 13, 0, 0]),
    valuesOf: [[1, ['0x1f']]], hosts: [[1, 'db-2']], telling: [], templates: [[7, 'job <NUM> of <NUM>', 'abcd1234']],
  });

  it('reads values from the line where they are written, and takes the ones sent whole as sent', () => {
    const batch = new PresignedBatch(reply(), new TemplateTable());
    expect(batch.values(0, 'job 42 of 137')).toEqual(['42', '137']);
    expect(batch.values(1, 'job 0x1F')).toEqual(['0x1f']);
    expect(batch.values(1, 'job 0x1F')).not.toBe(batch.values(1, 'job 0x1F'));
    expect([batch.at(0), batch.at(1), batch.level(0), batch.level(1), batch.host(0), batch.host(1)]).toEqual([5, undefined, 'error', undefined, undefined, 'db-2']);
    expect(batch.template(0)).toEqual({ template: 'job <NUM> of <NUM>', id: 'abcd1234', known: undefined });
    expect(batch.messageStart(2)).toBe(NOT_PRESIGNED);
  });
});
