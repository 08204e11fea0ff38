/**
 * One step of the pipeline: an input (lines, records, a deploy, a clock tick) in, the events it
 * causes out. Live and replay feed the same engine; only their inputs and clocks differ, so the
 * same input sequence gives the same events at any replay speed.
 */
import type { Deploy } from '../detect/model.js';
import { Detector, type CatalogInput, type FirstSighting } from '../detect/detector.js';
import type { Thresholds } from '../detect/thresholds.js';
import type { LineBatch, SourceCounters } from '../tail/types.js';
import type { DeployMarker } from './deploy-marker.js';
import { isoTime, type LogwatchEvent, type StatsEvent, type SummaryEvent } from './events.js';
import type { SignedRecord } from './record.js';
import { RecordPath, type AheadOfClock } from './record-path.js';
import type { PresignedBatch } from './presign.js';

export type EngineInput =
  /** `presigned`: the batch's lines as a pre-signing worker parsed and signed them (presign.ts). */
  | { kind: 'batch'; batch: LineBatch; presigned?: PresignedBatch | undefined }
  | { kind: 'records'; records: SignedRecord[] }
  | { kind: 'deploy'; marker: DeployMarker }
  | { kind: 'tick'; now: number };

export interface EngineOptions {
  thresholds?: Partial<Thresholds>;
  /** How often a `stats` event is emitted, in clock ms (10 s live; replays use a longer period). */
  statsEveryMs: number;
  /** Counters of the sources feeding this engine (files, cut and dropped lines, errors). */
  sourceCounters: () => Partial<SourceCounters>;
  /** Event time observation began (a `--since` backfill's start), for detection's warm-up. */
  observeFrom?: number;
  /**
   * How far behind a tick's time the engine judges (live: 1 s, so lines still in flight are
   * counted in the second they belong to, as a replay counts them; replay: 0).
   */
  judgeLagMs?: number;
  /** The known-signature catalog a previous run saved (`--catalog`): its ids are not new. */
  catalog?: CatalogInput;
  /** Live runs: records whose time is too far ahead of their arrival count at their arrival. */
  aheadOfClock?: AheadOfClock;
  /** Zone of times written without one (default UTC). */
  zone?: string;
}

/** Detection judges whole seconds, every one of them. */
const SECOND_MS = 1_000;
/** After a long stall (laptop sleep) catch up at most this many seconds, then jump. */
const MAX_CATCH_UP_SECONDS = 3_600;

export class Engine {
  readonly detector: Detector;
  private readonly recordPath: RecordPath;
  private nextStatsAt = 0;
  private verdicts = 0;
  private deploys = 0;
  private worst: SummaryEvent['worst'] = 'ok';
  private lastNow = 0;
  /** Last whole second judged; detection must see every second, so ticks that skip one catch up. */
  private lastJudged: number | undefined;
  private records = 0;
  private untimed = 0;
  /** Lines of records handed over already parsed (replay), as they are handed over. */
  private parsedLines = 0;

  constructor(private readonly options: EngineOptions) {
    this.detector = new Detector(options.thresholds, undefined, options.catalog);
    if (options.observeFrom !== undefined) this.detector.observeFrom(options.observeFrom);
    this.recordPath = new RecordPath({
      ...(options.aheadOfClock === undefined ? {} : { aheadOfClock: options.aheadOfClock }),
      ...(options.zone === undefined ? {} : { zone: options.zone }),
    });
  }

  handle(input: EngineInput): LogwatchEvent[] {
    switch (input.kind) {
      case 'batch':
        return this.addRecords(this.recordPath.push(input.batch, input.presigned));
      case 'records':
        for (const record of input.records) this.parsedLines += lineCount(record.message);
        return this.addRecords(input.records);
      case 'deploy':
        return [this.deployEvent(this.addDeploy(input.marker))];
      case 'tick':
        return this.tick(input.now);
    }
  }

  /** The time a record starting with this line gets here (zone, arrival, a time ahead of the clock): see `RecordPath.timeOf`. */
  recordTime(first: string, arrivedAt: number): number {
    return this.recordPath.timeOf(first, arrivedAt);
  }

  /** Registers a deploy and returns it; the caller emits its event (see `handle`). */
  addDeploy(marker: DeployMarker): Deploy {
    this.deploys++;
    return this.detector.addDeploy(marker);
  }

  deployEvent(deploy: Deploy): LogwatchEvent {
    return { ...deploy, type: 'deploy', at: isoTime(deploy.at) };
  }

  /** Flushes pending multi-line records and closes the run: last verdict, stats, and a replay's summary. */
  finish(now: number, withSummary: boolean): LogwatchEvent[] {
    const events = this.addRecords(this.recordPath.flushAll());
    events.push(...this.judge(now), this.statsEvent(now));
    if (withSummary) events.push(this.summaryEvent(now));
    return events;
  }

  /** The counters of the latest `stats` event, without its type and time (the run adds the line rate). */
  stats(): Omit<StatsEvent, 'type' | 'at'> {
    const { type: _type, at: _at, ...counts } = this.statsEvent(this.lastNow);
    return counts;
  }

  statsEvent(now: number): StatsEvent {
    const source = this.options.sourceCounters();
    const detector = this.detector.counters;
    return {
      type: 'stats',
      at: isoTime(now),
      lines: source.lines ?? this.recordPath.lines + this.parsedLines,
      records: this.records,
      dropped: (source.dropped ?? 0) + this.recordPath.droppedLines,
      truncated: source.truncated ?? 0,
      signatures: detector.signatures,
      hosts: detector.hosts,
      files: source.files ?? 0,
      untimed: this.untimed,
      ahead: this.recordPath.ahead,
      evicted: detector.evicted,
      unannounced: detector.unannounced,
      errors: source.errors ?? 0,
    };
  }

  private tick(now: number): LogwatchEvent[] {
    this.lastNow = now;
    const events = this.addRecords(this.recordPath.flushIdle(now));
    events.push(...this.judgeUpTo(now - (this.options.judgeLagMs ?? 0)));
    if (now >= this.nextStatsAt) {
      if (this.nextStatsAt !== 0) events.push(this.statsEvent(now));
      this.nextStatsAt = (Math.floor(now / this.options.statsEveryMs) + 1) * this.options.statsEveryMs;
    }
    return events;
  }

  private judgeUpTo(until: number): LogwatchEvent[] {
    const last = Math.floor(until / SECOND_MS) * SECOND_MS;
    let second = this.lastJudged === undefined ? last : this.lastJudged + SECOND_MS;
    if (last - second > MAX_CATCH_UP_SECONDS * SECOND_MS) second = last - MAX_CATCH_UP_SECONDS * SECOND_MS;
    const events: LogwatchEvent[] = [];
    for (; second <= last; second += SECOND_MS) {
      // Records still waiting for continuation lines count in their own second, as in a replay.
      events.push(...this.addRecords(this.recordPath.flushStartedBy(second)));
      events.push(...this.judge(second));
      this.lastJudged = second;
    }
    return events;
  }

  private judge(now: number): LogwatchEvent[] {
    const verdict = this.detector.evaluate(now);
    if (verdict === null) return [];
    this.verdicts++;
    if (levelRank(verdict.level) > levelRank(this.worst)) this.worst = verdict.level;
    return [{ ...verdict, type: 'verdict', at: isoTime(verdict.at) }];
  }

  private addRecords(records: SignedRecord[]): LogwatchEvent[] {
    if (records.length === 0) return [];
    this.records += records.length;
    for (const record of records) if (!record.timeFromLine) this.untimed++;
    return this.detector.addRecords(records).map(signatureEvent);
  }

  private summaryEvent(now: number): SummaryEvent {
    const stats = this.statsEvent(now);
    return {
      type: 'summary', at: isoTime(now), worst: this.worst, verdicts: this.verdicts,
      deploys: this.deploys, records: stats.records, signatures: stats.signatures,
    };
  }
}

function lineCount(text: string): number {
  let lines = 1;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) lines++;
  return lines;
}

const RANKS = { ok: 0, watch: 1, 'roll-forward': 2, revert: 3, stop: 4 } as const;
const levelRank = (level: keyof typeof RANKS): number => RANKS[level];

function signatureEvent(sighting: FirstSighting): LogwatchEvent {
  return { ...sighting, type: 'signature', at: isoTime(sighting.at) };
}
