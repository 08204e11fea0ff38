/**
 * Decides which read bytes count as consumed, for `--state`, so that a restart neither repeats
 * nor splits a multi-line record.
 *
 * Lines of a record still open (a stack trace still being written) are held back here and only
 * handed on once the record is complete: when the next record starts or the source goes quiet,
 * by the same rule the pipeline joins records with. The consumed offset of a file is then the
 * start of its open record (Vector checkpoints an aggregated record at its start), so a stop
 * leaves the open record unread and the next run reads it whole. A record longer than
 * HELD_LINES is handed on in parts; a restart inside it may split it.
 */
import { MultilineJoiner, type FlushedRecord } from './multiline.js';
import type { LineBatch } from './types.js';

/** Lines held per source at most: beyond this a runaway record is let through in parts. */
export const HELD_LINES = 1_000;

interface HeldLine {
  line: string;
  arrivedAt: number;
  file: string;
  start: number;
  end: number;
}

interface SourceGate {
  host: string | undefined;
  /** Mirrors the pipeline's joiner for this source: its pending record is exactly `held`. */
  shadow: MultilineJoiner;
  held: HeldLine[];
}

export interface CommitGateHooks {
  /** Called before lines are handed on: `file` will be consumed up to `offset` (high-water). */
  willConsume: (file: string, offset: number) => void;
  /** Receives lines of complete records, in order, with their original arrival times. */
  release: (batch: LineBatch) => void;
  /** Called after the lines were handed on: everything of `file` before `offset` is consumed. */
  consumed: (file: string, offset: number) => void;
}

export class CommitGate {
  private readonly sources = new Map<string, SourceGate>();

  constructor(private readonly hooks: CommitGateHooks, private readonly quietMs?: number) {}

  /** Takes a batch from the follower; batches without offsets (stdin) pass straight through. */
  push(batch: LineBatch): void {
    const { file, offsets } = batch;
    if (file === undefined || offsets === undefined || batch.lines.length === 0) {
      this.hooks.release(batch);
      return;
    }
    const gate = this.gateOf(batch.source, batch.host);
    const completed = gate.shadow.push(batch.source, batch.lines, batch.arrivedAt);
    batch.lines.forEach((line, index) => {
      gate.held.push({ line, arrivedAt: batch.arrivedAt, file, start: offsets[index] ?? 0, end: offsets[index + 1] ?? 0 });
    });
    let complete = completed.reduce((count, record) => count + record.length, 0);
    if (gate.held.length - complete >= HELD_LINES) {
      // A runaway record: let it through rather than hold memory without bound.
      gate.shadow.flushAll();
      complete = gate.held.length;
    }
    this.releaseFront(batch.source, gate, complete);
  }

  /** Hands on the records of sources quiet for the pipeline's quiet time (call on every tick, before the pipeline's). */
  flushIdle(now: number): void {
    this.releaseFlushed((shadow) => shadow.flushIdle(now));
  }

  /**
   * Hands on the records whose time (`timeOf` their first line) is at or before `until`: the
   * pipeline is about to judge that second (call before the tick, with the judged second).
   */
  flushStartedBy(until: number, timeOf: (first: string, firstArrivedAt: number) => number): void {
    this.releaseFlushed((shadow) => shadow.flushStartedBy(until, timeOf));
  }

  /** Hands on, per source, the lines of the records its shadow joiner flushes. */
  private releaseFlushed(flush: (shadow: MultilineJoiner) => FlushedRecord[]): void {
    for (const [source, gate] of this.sources) {
      const flushed = flush(gate.shadow);
      if (flushed.length === 0) continue;
      this.releaseFront(source, gate, flushed.reduce((count, record) => count + record.lines.length, 0));
    }
  }

  /** Lines held back now (open records), for tests and stats. */
  get heldLines(): number {
    let count = 0;
    for (const gate of this.sources.values()) count += gate.held.length;
    return count;
  }

  private gateOf(source: string, host: string | undefined): SourceGate {
    let gate = this.sources.get(source);
    if (gate === undefined) {
      const shadow = new MultilineJoiner({ maxLines: HELD_LINES, ...(this.quietMs === undefined ? {} : { quietMs: this.quietMs }) });
      gate = { host, shadow, held: [] };
      this.sources.set(source, gate);
    }
    gate.host = host;
    return gate;
  }

  private releaseFront(source: string, gate: SourceGate, count: number): void {
    if (count === 0) return;
    const released = gate.held.splice(0, count);
    const lastEnd = new Map<string, number>();
    for (const line of released) lastEnd.set(line.file, line.end);
    for (const [file, end] of lastEnd) this.hooks.willConsume(file, end);
    for (const batch of byArrival(source, gate.host, released)) this.hooks.release(batch);
    for (const [file, end] of lastEnd) {
      const open = gate.held.find((line) => line.file === file);
      this.hooks.consumed(file, open === undefined ? end : open.start);
    }
    if (gate.held.length === 0) this.sources.delete(source);
  }
}

/** Released lines regrouped into batches that keep each line's arrival time (the pipeline's quiet timer uses it). */
function byArrival(source: string, host: string | undefined, lines: HeldLine[]): LineBatch[] {
  const batches: LineBatch[] = [];
  for (const held of lines) {
    const last = batches[batches.length - 1];
    if (last !== undefined && last.arrivedAt === held.arrivedAt) last.lines.push(held.line);
    else batches.push({ source, host, lines: [held.line], arrivedAt: held.arrivedAt });
  }
  return batches;
}
