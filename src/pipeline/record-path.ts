/**
 * The per-line hot path: lines → multi-line records → parsed headers → signed records.
 * Plain loops over arrays; one instance per run, state per source inside the joiner.
 */
import os from 'node:os';
import type { LineBatch } from '../tail/types.js';
import { MultilineJoiner } from '../tail/multiline.js';
import { createFingerprinter } from '../detect/fingerprint.js';
import { parseHeader } from './parse-header.js';
import type { SignedRecord } from './record.js';


/** Host and arrival time of the lines a source sent last: what a flushed record is stamped with. */
interface SourceContext {
  host: string | undefined;
  arrivedAt: number;
}

export class RecordPath {
  /** Lines read (before multi-line joining). */
  lines = 0;
  private readonly joiner: MultilineJoiner;
  private readonly fingerprinter = createFingerprinter();
  /** One entry per source (file) ever seen; bounded by the follower's own file cap. */
  private readonly sources = new Map<string, SourceContext>();

  constructor(
    private readonly localHost: string = os.hostname(),
    options: { quietMs?: number } = {},
  ) {
    this.joiner = new MultilineJoiner(options.quietMs === undefined ? {} : { quietMs: options.quietMs });
  }

  /** Records completed by this batch (a record completes when the next one starts). */
  push(batch: LineBatch): SignedRecord[] {
    this.lines += batch.lines.length;
    this.sources.set(batch.source, { host: batch.host, arrivedAt: batch.arrivedAt });
    const completed = this.joiner.push(batch.source, batch.lines, batch.arrivedAt);
    const out: SignedRecord[] = [];
    for (const lines of completed) out.push(this.sign(batch.source, lines));
    return out;
  }

  /** Records whose source has been quiet long enough (live mode, called on each tick). */
  flushIdle(now: number): SignedRecord[] {
    return this.joiner.flushIdle(now).map(({ source, lines }) => this.sign(source, lines));
  }

  /** Everything still pending (end of input). */
  flushAll(): SignedRecord[] {
    return this.joiner.flushAll().map(({ source, lines }) => this.sign(source, lines));
  }

  get droppedLines(): number {
    return this.joiner.droppedLines;
  }

  private sign(source: string, lines: string[]): SignedRecord {
    const context = this.sources.get(source) ?? { host: undefined, arrivedAt: 0 };
    const header = parseHeader(lines[0] ?? '', context.arrivedAt);
    const message = lines.length > 1 ? `${header.message}\n${lines.slice(1).join('\n')}` : header.message;
    return {
      at: header.at ?? context.arrivedAt,
      timeFromLine: header.at !== undefined,
      level: header.level ?? 'error',
      host: context.host ?? header.host ?? this.localHost,
      source,
      message,
      fingerprint: this.fingerprinter.sign(header.message),
    };
  }
}
