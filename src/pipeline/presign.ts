/**
 * Pre-signing: the pure, per-line half of the record path — header parsing and the pure
 * fingerprint (shape memo, masker) — done for each batch of lines by worker threads, while the
 * main thread joins multi-line records, places templates in the catalog and runs detection.
 *
 * Batches leave the stage in the order they entered it, each with its pre-signed lines (or none,
 * signed on the main thread as before): the engine sees the same batches in the same order, and
 * the pure fingerprint is the same in any thread, so events are the same as with no workers.
 * Nothing waits on a worker that is behind or gone: past `maxInFlight` batches a batch is passed
 * on without pre-signing, and a worker that fails hands its batches back unsigned.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { Fifo } from '../detect/fifo.js';
import type { SignedTemplate } from '../detect/fingerprint.js';
import type { Telling } from '../detect/model.js';
import { detachedBatch, type ChunkLinesData } from '../tail/chunk-lines.js';
import type { LineBatch } from '../tail/types.js';
import { LEVELS, type Level } from './record.js';

/** `messageStart` of a line the worker left to the main thread. */
export const NOT_PRESIGNED = -1;
/** `level` of a line whose header names none. */
export const NO_LEVEL = 255;

export interface PresignWorkerData {
  zone: string;
}

/**
 * A batch's lines: a file's chunk as its bytes and spans (chunk-lines.ts; the worker decodes
 * them), else (stdin, a batch whose lines are already strings) joined by `\n` (no line holds
 * one) in pieces of PIECE_LINES — a few strings to copy rather than one per line, each small
 * enough for the young generation (a string the size of a whole chunk is a large object).
 */
export interface PresignRequest {
  seq: number;
  lines: { chunk: ChunkLinesData } | { pieces: string[] };
  count: number;
  arrivedAt: number;
}

const PIECE_LINES = 128;

/** Per line of a request (index i), as `RecordPath.sign` would find it for a record starting there. */
export interface PresignReply {
  seq: number;
  /** The worker's template table epoch: a new one clears the main thread's table first. */
  epoch: number;
  /** Where the message starts in the line, or NOT_PRESIGNED. */
  messageStart: Int32Array<ArrayBuffer>;
  /** Event time in the line (ms), NaN when it has none. */
  at: Float64Array<ArrayBuffer>;
  /** Index in LEVELS, or NO_LEVEL. */
  level: Uint8Array<ArrayBuffer>;
  /** The worker's number of the line's template (see `templates`). */
  template: Int32Array<ArrayBuffer>;
  /** Line i's values are value j for valueEnds[i] <= j < valueEnds[i + 1]. */
  valueEnds: Int32Array<ArrayBuffer>;
  /** Value j is its line's characters [valueSpans[2j], valueSpans[2j + 1]) (a value is text of its line). */
  valueSpans: Int32Array<ArrayBuffer>;
  /** Lines whose values are not all found in the line as written: their values themselves. */
  valuesOf: Array<[line: number, values: string[]]>;
  /** Lines whose header names a host. */
  hosts: Array<[line: number, host: string]>;
  /** Lines with telling values. */
  telling: Array<[line: number, telling: Telling[]]>;
  /** Templates the main thread has not had in this epoch: number, template, id. */
  templates: Array<[number: number, template: string, id: string]>;
}

const NO_TELLING: Telling[] = [];

/** A batch's pre-signed lines, read by `RecordPath` for the records that start on them. */
export class PresignedBatch {
  private readonly templates: Array<SignedTemplate | undefined>;
  private readonly hostOf: Map<number, string> | undefined;
  private readonly tellingOf: Map<number, Telling[]> | undefined;
  private readonly valuesOf: Map<number, string[]> | undefined;

  constructor(private readonly reply: PresignReply, table: TemplateTable) {
    table.take(reply);
    this.templates = Array.from(reply.template, (number, i) => (reply.messageStart[i] === NOT_PRESIGNED ? undefined : table.get(number)));
    this.hostOf = reply.hosts.length === 0 ? undefined : new Map(reply.hosts);
    this.tellingOf = reply.telling.length === 0 ? undefined : new Map(reply.telling);
    this.valuesOf = reply.valuesOf.length === 0 ? undefined : new Map(reply.valuesOf);
  }

  /** Where line i's message starts, or NOT_PRESIGNED (then the main thread signs it). */
  messageStart(i: number): number {
    return this.reply.messageStart[i]!;
  }

  at(i: number): number | undefined {
    const at = this.reply.at[i]!;
    return Number.isNaN(at) ? undefined : at;
  }

  level(i: number): Level | undefined {
    const level = this.reply.level[i]!;
    return level === NO_LEVEL ? undefined : LEVELS[level];
  }

  host(i: number): string | undefined {
    return this.hostOf?.get(i);
  }

  template(i: number): SignedTemplate {
    return this.templates[i]!;
  }

  telling(i: number): Telling[] {
    return this.tellingOf?.get(i) ?? NO_TELLING;
  }

  /** Line i's values, read from the line itself (`line`): a new array, the caller's to keep. */
  values(i: number, line: string): string[] {
    const from = this.reply.valueEnds[i]!;
    const to = this.reply.valueEnds[i + 1]!;
    if (from === to) return [];
    const written = this.valuesOf?.get(i);
    if (written !== undefined) return [...written];
    const spans = this.reply.valueSpans;
    const values = new Array<string>(to - from);
    for (let j = from; j < to; j++) values[j - from] = line.slice(spans[2 * j]!, spans[2 * j + 1]!);
    return values;
  }
}

/** One worker's templates by its numbers, for the current epoch. */
export class TemplateTable {
  private epoch = 0;
  private readonly byNumber = new Map<number, SignedTemplate>();

  take(reply: PresignReply): void {
    if (reply.epoch !== this.epoch) {
      this.byNumber.clear();
      this.epoch = reply.epoch;
    }
    for (const [number, template, id] of reply.templates) this.byNumber.set(number, { template, id, known: undefined });
  }

  get(number: number): SignedTemplate {
    const template = this.byNumber.get(number);
    if (template === undefined) throw new Error(`pre-signing: template ${number} was never sent`);
    return template;
  }
}

export interface PresignerOptions {
  /** Zone of times written without one, as the record path's. */
  zone: string;
  workers: number;
  /** Batches one worker may hold; further ones pass unsigned (default 8). */
  maxInFlight?: number;
  /** The worker's module (default: presign-worker.js beside this module, i.e. in dist/). */
  workerUrl?: URL;
  /** One line for a worker that failed (its batches are signed on the main thread from then on). */
  warn: (line: string) => void;
}

/** A batch in the stage, released when it and every batch before it are ready. */
interface Queued {
  batch: LineBatch;
  presigned: PresignedBatch | undefined;
  ready: boolean;
}

interface PoolWorker {
  worker: Worker;
  table: TemplateTable;
  inFlight: Map<number, Queued>;
  failed: boolean;
}

export type PresignedRelease = (batch: LineBatch, presigned: PresignedBatch | undefined) => void;

/** How many pre-signing workers to start on this machine: one core stays the main thread's. */
export function defaultPresignWorkers(): number {
  return Math.min(4, availableParallelism() - 1);
}

const DEFAULT_MAX_IN_FLIGHT = 8;

export class Presigner {
  /** Workers that failed (each also warned about once). */
  errors = 0;
  /** Batches released pre-signed, and released without (no worker free, or one failed). */
  readonly released = { presigned: 0, unsigned: 0 };
  private readonly pool: PoolWorker[];
  private readonly queue = new Fifo<Queued>();
  private seq = 0;
  private readonly maxInFlight: number;
  private waiting: Array<{ batches: number; resolve: () => void }> = [];
  private release: PresignedRelease = () => undefined;
  /** Set by `close`: workers exiting then are not failures. */
  private closing = false;

  constructor(private readonly options: PresignerOptions) {
    this.maxInFlight = options.maxInFlight ?? DEFAULT_MAX_IN_FLIGHT;
    const url = options.workerUrl ?? new URL('./presign-worker.js', import.meta.url);
    this.pool = Array.from({ length: options.workers }, () => this.startWorker(url));
  }

  /** Where batches go, in the order they were submitted. */
  onRelease(release: PresignedRelease): void {
    this.release = release;
  }

  submit(batch: LineBatch): void {
    const queued: Queued = { batch, presigned: undefined, ready: true };
    this.queue.push(queued);
    const worker = (batch.chunk ?? batch.lines).length === 0 ? undefined : this.leastBusy();
    if (worker !== undefined) this.send(worker, queued);
    this.releaseReady();
  }

  /** Resolves once every batch submitted so far has been released. */
  drained(): Promise<void> {
    return this.backlogAtMost(0);
  }

  /** Resolves once at most `batches` submitted batches wait to be released (a reader's backpressure). */
  backlogAtMost(batches: number): Promise<void> {
    if (this.queue.size <= batches) return Promise.resolve();
    return new Promise((resolve) => this.waiting.push({ batches, resolve }));
  }

  /** Every batch not yet released, in order, with what is pre-signed of them (stopping: none is lost). */
  takeAll(): Array<{ batch: LineBatch; presigned: PresignedBatch | undefined }> {
    const rest = this.queue.drain().map(({ batch, presigned }) => ({ batch, presigned }));
    for (const worker of this.pool) worker.inFlight.clear();
    this.wake();
    return rest;
  }

  async close(): Promise<void> {
    this.closing = true;
    await Promise.all(this.pool.map((worker) => worker.worker.terminate()));
  }

  private startWorker(url: URL): PoolWorker {
    const workerData: PresignWorkerData = { zone: this.options.zone };
    const member: PoolWorker = { worker: new Worker(url, { workerData }), table: new TemplateTable(), inFlight: new Map(), failed: false };
    member.worker.on('message', (reply: PresignReply) => this.receive(member, reply));
    member.worker.on('error', (error) => this.fail(member, error.message));
    member.worker.on('exit', (code) => { if (!this.closing) this.fail(member, `exited with code ${code}`); });
    return member;
  }

  private leastBusy(): PoolWorker | undefined {
    let best: PoolWorker | undefined;
    for (const worker of this.pool) {
      if (worker.failed || worker.inFlight.size >= this.maxInFlight) continue;
      if (best === undefined || worker.inFlight.size < best.inFlight.size) best = worker;
    }
    return best;
  }

  private send(worker: PoolWorker, queued: Queued): void {
    const seq = this.seq++;
    const { arrivedAt } = queued.batch;
    queued.ready = false;
    worker.inFlight.set(seq, queued);
    // A chunk's bytes, unless something read its lines already (`watch --record`): then, like stdin's, the lines.
    const data = queued.batch.chunk?.copy();
    if (data === undefined) {
      const lines = queued.batch.lines;
      const pieces: string[] = [];
      for (let i = 0; i < lines.length; i += PIECE_LINES) pieces.push(lines.slice(i, i + PIECE_LINES).join('\n'));
      worker.worker.postMessage({ seq, lines: { pieces }, count: lines.length, arrivedAt } satisfies PresignRequest);
      return;
    }
    worker.worker.postMessage({ seq, lines: { chunk: data }, count: data.spans.length / 3, arrivedAt } satisfies PresignRequest, [data.bytes.buffer, data.spans.buffer]);
  }

  private receive(worker: PoolWorker, reply: PresignReply): void {
    const queued = worker.inFlight.get(reply.seq);
    if (queued === undefined) return; // taken by takeAll (stopping)
    worker.inFlight.delete(reply.seq);
    try {
      queued.presigned = new PresignedBatch(reply, worker.table);
    } catch (error) {
      this.fail(worker, error instanceof Error ? error.message : String(error));
    }
    queued.ready = true;
    this.releaseReady();
  }

  /** A failed worker's batches go on unsigned (the main thread signs them), and it gets no more. */
  private fail(worker: PoolWorker, reason: string): void {
    if (worker.failed) return;
    worker.failed = true;
    this.errors++;
    this.options.warn(`pre-signing worker failed (${reason}); its lines are signed on the main thread`);
    for (const queued of worker.inFlight.values()) queued.ready = true;
    worker.inFlight.clear();
    void worker.worker.terminate();
    this.releaseReady();
  }

  private releaseReady(): void {
    while (this.queue.peek()?.ready === true) {
      const { batch, presigned } = this.queue.shift()!;
      if (presigned === undefined) this.released.unsigned++;
      else this.released.presigned++;
      this.release(detachedBatch(batch), presigned);
    }
    this.wake();
  }

  private wake(): void {
    if (this.waiting.length === 0) return;
    const size = this.queue.size;
    const due = this.waiting.filter((waiter) => waiter.batches >= size);
    this.waiting = this.waiting.filter((waiter) => waiter.batches < size);
    for (const waiter of due) waiter.resolve();
  }
}
