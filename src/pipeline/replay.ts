/**
 * Replay of a recorded incident: every host's log is read and parsed, all records are merged by
 * event time, deploys are injected at their times, and a virtual clock ticks every second of
 * event time. The input sequence depends only on the fixture, so verdicts are the same at any
 * speed; the speed only paces when each input is handed over.
 *
 * Records are streamed, not loaded: a first pass reads each file's line times only (is the file
 * in time order, and where does the fixture start), then the records are read, signed and merged
 * as the replay consumes them, a chunk per file at a time. So a replay's memory is bounded by the
 * detector's caps and a chunk per file, not by the fixture. A file out of time order (rare: a
 * clock step, a hand-edited log) is read whole and sorted, as the merge needs each file in order.
 */
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { Observable } from 'rxjs';
import { readFixture, type Fixture, type FixtureFile } from '../tail/fixture.js';
import { LineSplitter } from '../tail/line-splitter.js';
import type { DeployMarker } from './deploy-marker.js';
import type { EngineInput } from './engine.js';
import { lineTime } from './parse-header.js';
import type { SignedRecord } from './record.js';
import { RecordPath } from './record-path.js';

/** Replays evaluate once per second of event time, like the live clock. */
export const TICK_MS = 1_000;
/** Inputs handed over per turn at `--speed max`, so sinks and signals get the event loop too. */
const MAX_SPEED_CHUNK = 2_000;
/**
 * Bytes split and signed at a time. Small, so that a chunk's records are consumed by the merge
 * while they are young: with 1 MiB chunks of eight hosts they outlived the young generation, and
 * a 100 MB replay spent a third of its time collecting them (its records were read and merged
 * 1.5× faster with 16 KiB chunks, at a third of the peak RSS).
 */
const SIGN_CHUNK_BYTES = 16 << 10;
/** Bytes read per opening of a fixture file (each read opens and closes it: see `lineBatches`). */
const READ_CHUNK_BYTES = 4 * SIGN_CHUNK_BYTES;
/** How far into a recording its year-less times (syslog 3164) are assumed to reach. */
const RECORDING_SPAN_FOR_YEARS_MS = 182 * 24 * 3600_000;

export interface LoadedReplay {
  fixture: Fixture;
  /** The earliest event time of any line, if a line has one (the first day of `--from HH:MM`). */
  firstAt: number | undefined;
  /** All records of all hosts in event-time order (ties: fixture file order, then line order), read as iterated. */
  records(): Iterable<SignedRecord>;
  /** Lines are counted by the engine as records are handed over; these are known up front. */
  counters: { truncated: number; files: number };
}

/**
 * When a fixture's lines are read "as arriving": fixture lines carry no arrival time, and this
 * moment only decides the year of times written without one (syslog 3164), which is inferred
 * as the latest such date not more than a day after it. A recording says when it began
 * observing, and its lines follow that moment (by up to half a year, here); without that, the
 * log files' last modification is when their last line was written.
 */
function readingTime(fixture: Fixture): number {
  const observedFrom = fixture.scenario.observedFrom;
  if (observedFrom !== undefined) return Date.parse(observedFrom) + RECORDING_SPAN_FOR_YEARS_MS;
  return Math.max(...fixture.files.map((file) => statSync(file.path).mtimeMs));
}

/** How a fixture's lines are read: as arriving when (the year of syslog 3164 times), in which zone. */
interface Reading {
  arrivedAt: number;
  zone: string;
}

/** What the first pass finds in one file. */
interface FileIndex {
  file: FixtureFile;
  /** Whether the times of its timed lines never go back (then its records stream in order). */
  inOrder: boolean;
  /** Its earliest line time, if a line has one. */
  firstAt: number | undefined;
  truncated: number;
}

/** `zone`: of times written without one; else the recording's (scenario.json `zone`), else UTC. */
export async function loadReplay(dir: string, zone?: string): Promise<LoadedReplay> {
  const fixture = await readFixture(dir);
  const arrivedAt = readingTime(fixture);
  const reading: Reading = { arrivedAt, zone: zone ?? fixture.scenario.zone ?? 'UTC' };
  const indexes = fixture.files.map((file) => indexFile(file, reading));
  const starts = indexes.flatMap((index) => (index.firstAt === undefined ? [] : [index.firstAt]));
  const firstAt = starts.length === 0 ? undefined : Math.min(...starts);
  return {
    fixture,
    firstAt,
    records: () => mergedRecords(indexes, reading, firstAt ?? 0),
    counters: { truncated: indexes.reduce((sum, index) => sum + index.truncated, 0), files: fixture.files.length },
  };
}

/**
 * The lines of `file`, a sign chunk at a time, then its unfinished last line (if any). The reads
 * are synchronous (a replay asks for records one by one, and a chunk is a fraction of a
 * millisecond's work), and each opens and closes the file: a fixture of thousands of host files
 * never holds thousands of descriptors, and a replay stopped early leaves none open. A read
 * takes a few sign chunks, as opening the file cost more than reading 16 KiB.
 */
function* lineBatches(file: string, splitter: LineSplitter): Generator<string[]> {
  const buffer = Buffer.allocUnsafe(READ_CHUNK_BYTES);
  for (let position = 0, n; (n = readChunk(file, buffer, position)) > 0; position += n) {
    for (let from = 0; from < n; from += SIGN_CHUNK_BYTES) {
      const lines: string[] = [];
      splitter.push(buffer.subarray(from, Math.min(n, from + SIGN_CHUNK_BYTES)), lines);
      yield lines;
    }
  }
  const rest: string[] = [];
  splitter.end(rest);
  yield rest;
}

function readChunk(file: string, buffer: Buffer, position: number): number {
  const fd = openSync(file, 'r');
  try {
    return readSync(fd, buffer, 0, buffer.length, position);
  } finally {
    closeSync(fd);
  }
}

/**
 * Line times only: if the timed lines of a file never go back in time, neither do its records
 * (a record takes its first line's time, an untimed one the time before it), so it can stream.
 */
function indexFile(file: FixtureFile, reading: Reading): FileIndex {
  let firstAt: number | undefined;
  let lastAt = -Infinity;
  let inOrder = true;
  const splitter = new LineSplitter();
  for (const lines of lineBatches(file.path, splitter)) {
    for (const line of lines) {
      const at = lineTime(line, reading.arrivedAt, reading.zone);
      if (at === undefined) continue;
      if (firstAt === undefined || at < firstAt) firstAt = at;
      if (at < lastAt) inOrder = false;
      else lastAt = at;
    }
  }
  return { file, inOrder, firstAt, truncated: splitter.tally.truncated };
}

/** A file's records as the merge reads them: the batch at hand and the next record in it. */
interface Cursor {
  batches: Iterator<SignedRecord[]>;
  batch: SignedRecord[];
  next: number;
}

/**
 * Every file's records merged by event time; equal times keep fixture file order (a stable merge).
 * `fixtureStart` is the time of records in a file with no time at all. Each file hands over its
 * records a signed chunk at a time, so a record costs the merge an index step, not a generator's.
 */
function* mergedRecords(indexes: FileIndex[], reading: Reading, fixtureStart: number): Generator<SignedRecord> {
  const path = new RecordPath({ localHost: 'unknown-host', zone: reading.zone });
  const cursors: Cursor[] = indexes.map((index) => {
    const batches = timedBatches(fileBatches(index.file, path, reading.arrivedAt), fixtureStart);
    return { batches: index.inOrder ? batches : sortedByTime(batches), batch: [], next: 0 };
  });
  try {
    const live = cursors.filter(refill);
    for (;;) {
      let earliest = -1;
      for (let i = 0; i < live.length; i++) {
        const cursor = live[i]!;
        if (earliest < 0 || cursor.batch[cursor.next]!.at < live[earliest]!.batch[live[earliest]!.next]!.at) earliest = i;
      }
      if (earliest < 0) return;
      const cursor = live[earliest]!;
      yield cursor.batch[cursor.next++]!;
      if (!refill(cursor)) live.splice(earliest, 1);
    }
  } finally {
    // A replay stopped early (`--to`, a signal) ends every file's reading.
    for (const cursor of cursors) cursor.batches.return?.(undefined);
  }
}

/** Moves the cursor to a record, reading batches as needed; false once the file has no more. */
function refill(cursor: Cursor): boolean {
  while (cursor.next >= cursor.batch.length) {
    const read = cursor.batches.next();
    if (read.done === true) return false;
    cursor.batch = read.value;
    cursor.next = 0;
  }
  return true;
}

/** One file's records, signed a chunk at a time by the replay's one record path (one catalog for all hosts). */
function* fileBatches(file: FixtureFile, path: RecordPath, arrivedAt: number): Generator<SignedRecord[]> {
  const source = `fixture:${file.host}/${file.path.slice(file.path.lastIndexOf('/') + 1)}`;
  for (const lines of lineBatches(file.path, new LineSplitter())) yield path.push({ source, host: file.host, lines, arrivedAt });
  yield path.flushSource(source);
}

/**
 * A fixture has no arrival times: an untimed record takes the time of the record before it, and
 * untimed records before the first timed one take its time. A file with no time at all starts
 * with the fixture (`fixtureStart`), not at 0: the replay's clock would tick from 1970.
 */
function* timedBatches(batches: Iterable<SignedRecord[]>, fixtureStart: number): Generator<SignedRecord[]> {
  let leading: SignedRecord[] = [];
  let last: number | undefined;
  for (const batch of batches) {
    if (last === undefined) {
      const firstTimed = batch.findIndex((record) => record.timeFromLine);
      if (firstTimed < 0) {
        for (const record of batch) leading.push(record);
        continue;
      }
      last = batch[firstTimed]!.at;
      for (const early of leading) early.at = last;
      if (leading.length > 0) yield leading;
      leading = [];
    }
    for (const record of batch) {
      if (record.timeFromLine) last = record.at;
      else record.at = last;
    }
    yield batch;
  }
  for (const early of leading) early.at = fixtureStart;
  yield leading;
}

/** A file out of time order, read whole and sorted (stable: equal times keep line order). */
function* sortedByTime(batches: Iterable<SignedRecord[]>): Generator<SignedRecord[]> {
  yield [...batches].flat().sort((a, b) => a.at - b.at);
}

/**
 * The replay's inputs in event-time order: deploys, records grouped per tick, and ticks. The tick
 * at second S follows every input stamped at or before S, as the live engine judges S once all of
 * S's lines are in (detection takes records with `at <= S` into the judgement of S).
 */
export function* replayTimeline(records: Iterable<SignedRecord>, deploys: DeployMarker[]): Generator<EngineInput & { at: number }> {
  const iterator = records[Symbol.iterator]();
  try {
    let next = iterator.next();
    let d = 0;
    const firstAt = Math.min(next.done === true ? Infinity : next.value.at, deploys[0]?.at ?? Infinity);
    if (!Number.isFinite(firstAt)) return;
    // Ticks run until every input is handed over: the last is the first whole second at or after the last input.
    for (let tick = Math.ceil(firstAt / TICK_MS) * TICK_MS; ; tick += TICK_MS) {
      const batch: SignedRecord[] = [];
      for (;;) {
        const record = next.done === true ? undefined : next.value;
        const deploy = deploys[d];
        if (deploy !== undefined && deploy.at <= tick && (record === undefined || deploy.at <= record.at)) {
          if (batch.length > 0) yield { kind: 'records', at: batch[0]!.at, records: batch.splice(0) };
          yield { kind: 'deploy', marker: deploy, at: deploy.at };
          d++;
        } else if (record !== undefined && record.at <= tick) {
          batch.push(record);
          next = iterator.next();
        } else break;
      }
      if (batch.length > 0) yield { kind: 'records', records: batch, at: batch[0]!.at };
      yield { kind: 'tick', now: tick, at: tick };
      if (next.done === true && d >= deploys.length) return;
    }
  } finally {
    iterator.return?.();
  }
}

/**
 * Hands the timeline over at `speed` × event time (Infinity = as fast as possible). Inputs before
 * `fastUntil` (a `--from` slice start) go at full speed; the virtual clock's pacing starts at the
 * first input at or after it. `onTime` learns the virtual time as it advances.
 */
export function pacedInputs(
  timeline: Iterable<EngineInput & { at: number }>,
  speed: number,
  onTime: (at: number) => void,
  fastUntil = -Infinity,
): Observable<EngineInput> {
  return new Observable<EngineInput>((subscriber) => {
    const iterator = timeline[Symbol.iterator]();
    let pending = iterator.next();
    let timer: NodeJS.Timeout | undefined;
    let origin: { wall: number; at: number } | undefined;
    const horizon = (): number => {
      if (speed === Infinity) return Infinity;
      if (origin === undefined) return fastUntil;
      return origin.at + (Date.now() - origin.wall) * speed;
    };
    const step = (): void => {
      let handed = 0;
      while (!pending.done && handed < MAX_SPEED_CHUNK && !subscriber.closed) {
        const { at, ...input } = pending.value;
        if (at >= fastUntil && origin === undefined && speed !== Infinity) origin = { wall: Date.now(), at };
        if (at > horizon()) break;
        onTime(at);
        subscriber.next(input as EngineInput);
        handed++;
        pending = iterator.next();
      }
      if (pending.done) return subscriber.complete();
      const wait = handed === MAX_SPEED_CHUNK || origin === undefined ? 0 : Math.min(100, (pending.value.at - horizon()) / speed);
      timer = setTimeout(step, wait);
    };
    timer = setTimeout(step, 0);
    return () => {
      clearTimeout(timer);
      // Stopped before the end (a signal, the TUI's quit): the timeline closes what it reads.
      iterator.return?.();
    };
  });
}

/** The records and deploys at or before `to` (the end of a reviewed slice); the records are read no further. */
export function cutAt(replay: LoadedReplay, to: number): { records: Iterable<SignedRecord>; deploys: DeployMarker[] } {
  return {
    records: recordsUntil(replay.records(), to),
    deploys: replay.fixture.deploys.filter((deploy) => deploy.at <= to),
  };
}

/** Records in event-time order up to `to`: the first later one ends them. */
function* recordsUntil(records: Iterable<SignedRecord>, to: number): Generator<SignedRecord> {
  for (const record of records) {
    if (record.at > to) return;
    yield record;
  }
}
