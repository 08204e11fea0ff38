/**
 * The per-line hot path: lines → multi-line records → parsed headers → signed records.
 * Plain loops over arrays; one instance per run, state per source inside the joiner.
 */
import os from 'node:os';
import type { LineBatch } from '../tail/types.js';
import { MultilineJoiner, type FlushedRecord } from '../tail/multiline.js';
import { createFingerprinter } from '../detect/fingerprint.js';
import { lineTime, parseHeader } from './parse-header.js';
import { envelopeText, readEnvelope } from './formats/envelope.js';
import type { Level, ParsedHeader, SignedRecord } from './record.js';
import type { Fingerprint } from '../detect/model.js';
import { NOT_PRESIGNED, type PresignedBatch } from './presign.js';

/** What a live record path does with a line whose time is ahead of when it arrived. */
export interface AheadOfClock {
  /** Times further ahead of arrival than this (ms) are taken as wrong: the record counts at its arrival. */
  toleranceMs: number;
  /** Told once per source, with how far ahead its first such line was (ms). */
  onFirst: (source: string, aheadMs: number) => void;
}

export interface RecordPathOptions {
  /** Host of records whose file and line name none (default: this machine's name). */
  localHost?: string;
  /** Zone of times written without one (IANA name or offset; default UTC): see `parseHeader`. */
  zone?: string;
  /**
   * Live runs only. A host whose clock runs ahead, or a log written in local time and read in
   * another zone, would otherwise have its lines held for a judgement hours away: never counted.
   */
  aheadOfClock?: AheadOfClock;
}

export class RecordPath {
  /** Lines read (before multi-line joining). */
  lines = 0;
  /** Records counted at their arrival because their time was too far ahead of it (see `AheadOfClock`). */
  ahead = 0;
  private readonly joiner = new MultilineJoiner<PresignedBatch>();
  private readonly fingerprinter = createFingerprinter();
  /** Host of each source (file) ever seen; bounded by the number of files followed. */
  private readonly hosts = new Map<string, string | undefined>();
  /** Sources already reported to `aheadOfClock.onFirst`. */
  private readonly aheadSources = new Set<string>();

  private readonly localHost: string;
  private readonly zone: string;
  private readonly aheadOfClock: AheadOfClock | undefined;

  constructor(options: RecordPathOptions = {}) {
    this.localHost = options.localHost ?? os.hostname();
    this.zone = options.zone ?? 'UTC';
    this.aheadOfClock = options.aheadOfClock;
  }

  /**
   * Records completed by this batch (a record completes when the next one starts). `presigned`:
   * the batch's lines as a pre-signing worker parsed and signed them (presign.ts), if it did.
   */
  push(batch: LineBatch, presigned?: PresignedBatch): SignedRecord[] {
    this.lines += batch.lines.length;
    this.hosts.set(batch.source, batch.host);
    const out: SignedRecord[] = [];
    this.joiner.pushEach(batch.source, batch.lines, batch.arrivedAt, (first, continuation, firstArrivedAt, tags, index) =>
      out.push(this.sign(batch.source, first, continuation, firstArrivedAt, tags, index)),
    presigned);
    return out;
  }

  /** Records whose source has been quiet long enough (live mode, called on each tick). */
  flushIdle(now: number): SignedRecord[] {
    return this.joiner.flushIdle(now).map(this.signFlushed);
  }

  /** Records pending whose time is at or before `until` (live detection judges that second next). */
  flushStartedBy(until: number): SignedRecord[] {
    return this.joiner.flushStartedBy(until, this.timeOf).map(this.signFlushed);
  }

  /** The time a record starting with `first` gets (as `sign` gives it, without counting anything). */
  readonly timeOf = (first: string, arrivedAt: number): number => {
    const at = lineTime(first, arrivedAt, this.zone);
    return at === undefined || this.isAhead(at, arrivedAt) ? arrivedAt : at;
  };

  /** The record still pending for one source, whose input ended (the others go on). */
  flushSource(source: string): SignedRecord[] {
    const flushed = this.joiner.flushSource(source);
    return flushed === undefined ? [] : [this.signFlushed(flushed)];
  }

  /** Everything still pending (end of input). */
  flushAll(): SignedRecord[] {
    return this.joiner.flushAll().map(this.signFlushed);
  }

  get droppedLines(): number {
    return this.joiner.droppedLines;
  }

  /** A record the joiner flushed (its input ended, went quiet, or its second is due), signed. */
  private readonly signFlushed = ({ source, lines, firstArrivedAt, tags, index }: FlushedRecord<PresignedBatch>): SignedRecord =>
    this.sign(source, lines[0] ?? '', lines.length > 1 ? lines.slice(1) : undefined, firstArrivedAt, tags, index);

  /**
   * `arrivedAt`: when the record's first line was read — its event time if the line has none.
   * `presigned`, `index`: the first line's batch as a worker pre-signed it, and the line's place there.
   */
  private sign(source: string, first: string, continuation: string[] | undefined, arrivedAt: number, presigned: PresignedBatch | undefined, index: number): SignedRecord {
    if (presigned !== undefined && presigned.messageStart(index) !== NOT_PRESIGNED) return this.signPresigned(source, first, continuation, arrivedAt, presigned, index);
    // An envelope (formats/envelope.ts): the line inside is the record; what it does not say, the envelope does.
    const envelope = readEnvelope(first);
    const text = envelope?.text ?? first;
    const header = parseHeader(text, arrivedAt, this.zone);
    const at = header.at ?? envelope?.at;
    const rest = continuation === undefined ? undefined : envelope === undefined ? continuation : continuation.map(envelopeText);
    const host = header.host ?? envelope?.host;
    return this.record(source, arrivedAt, at, header.level ?? envelope?.level, host, header.message, rest, this.signMessage(text, header));
  }

  /** `sign` for a record whose first line a worker parsed and signed: as `sign` would, with no envelope. */
  private signPresigned(source: string, first: string, continuation: string[] | undefined, arrivedAt: number, presigned: PresignedBatch, index: number): SignedRecord {
    const fingerprint = this.fingerprinter.finish(presigned.template(index), presigned.telling(index), presigned.values(index, first));
    const message = first.slice(presigned.messageStart(index));
    return this.record(source, arrivedAt, presigned.at(index), presigned.level(index), presigned.host(index), message, continuation, fingerprint);
  }

  /**
   * A record from what its first line says (`at`, `level`, `host`: undefined where it says
   * nothing) and its continuation lines `rest`; the source's host from its path comes first.
   */
  private record(
    source: string, arrivedAt: number, at: number | undefined, level: Level | undefined, host: string | undefined,
    message: string, rest: string[] | undefined, fingerprint: Fingerprint,
  ): SignedRecord {
    return {
      at: at === undefined ? arrivedAt : this.checkedTime(source, at, arrivedAt),
      timeFromLine: at !== undefined,
      level: level ?? 'error',
      host: this.hosts.get(source) ?? host ?? this.localHost,
      source,
      message: rest === undefined ? message : `${message}\n${rest.join('\n')}`,
      fingerprint,
    };
  }

  /** The line's time, or its arrival when that time is too far ahead of it (live runs). */
  private checkedTime(source: string, at: number, arrivedAt: number): number {
    if (!this.isAhead(at, arrivedAt)) return at;
    this.ahead++;
    if (!this.aheadSources.has(source)) {
      this.aheadSources.add(source);
      this.aheadOfClock!.onFirst(source, at - arrivedAt);
    }
    return arrivedAt;
  }

  private isAhead(at: number, arrivedAt: number): boolean {
    return this.aheadOfClock !== undefined && at - arrivedAt > this.aheadOfClock.toleranceMs;
  }

  /**
   * Most messages are the rest of their first line after the header: then the line itself is
   * masked from where the message starts, which reads flat characters rather than a sliced string's.
   */
  private signMessage(line: string, header: ParsedHeader): Fingerprint {
    return header.messageStart === undefined ? this.fingerprinter.sign(header.message) : this.fingerprinter.signFrom(line, header.messageStart);
  }
}
