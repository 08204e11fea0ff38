/**
 * Replay of a recorded incident: every host's log is read and parsed, all records are merged by
 * event time, deploys are injected at their times, and a virtual clock ticks every second of
 * event time. The input sequence depends only on the fixture, so verdicts are the same at any
 * speed; the speed only paces when each input is handed over.
 */
import { readFile } from 'node:fs/promises';
import { Observable } from 'rxjs';
import { readFixture, type Fixture } from '../tail/fixture.js';
import { LineSplitter } from '../tail/line-splitter.js';
import type { DeployMarker } from './deploy-marker.js';
import type { EngineInput } from './engine.js';
import type { SignedRecord } from './record.js';
import { RecordPath } from './record-path.js';

/** Replays evaluate once per second of event time, like the live clock. */
export const TICK_MS = 1_000;
/** Inputs handed over per turn at `--speed max`, so sinks and signals get the event loop too. */
const MAX_SPEED_CHUNK = 2_000;

export interface LoadedReplay {
  fixture: Fixture;
  /** All records of all hosts, sorted by event time (stable). */
  records: SignedRecord[];
  /** Lines are counted by the engine as records are handed over; these are known up front. */
  counters: { truncated: number; files: number };
}

export async function loadReplay(dir: string): Promise<LoadedReplay> {
  const fixture = await readFixture(dir);
  const path = new RecordPath('unknown-host');
  let truncated = 0;
  const records: SignedRecord[] = [];
  for (const file of fixture.files) {
    const splitter = new LineSplitter();
    const lines: string[] = [];
    splitter.push(await readFile(file.path), lines);
    splitter.end(lines);
    truncated += splitter.tally.truncated;
    const source = `fixture:${file.host}/${file.path.slice(file.path.lastIndexOf('/') + 1)}`;
    const fileRecords = path.push({ source, host: file.host, lines, arrivedAt: 0 });
    // Loops, not `push(...spread)`: a spread passes every record as an argument, and a host with
    // a few hundred thousand records overflows the stack.
    for (const record of path.flushAll()) fileRecords.push(record);
    for (const record of carryTimeForward(fileRecords)) records.push(record);
  }
  records.sort((a, b) => a.at - b.at);
  return { fixture, records, counters: { truncated, files: fixture.files.length } };
}

/** A fixture has no arrival times: an untimed record takes the time of the record before it. */
function carryTimeForward(records: SignedRecord[]): SignedRecord[] {
  let last = records.find((record) => record.timeFromLine)?.at ?? 0;
  for (const record of records) {
    if (record.timeFromLine) last = record.at;
    else record.at = last;
  }
  return records;
}

/**
 * The replay's inputs in event-time order: deploys, records grouped per tick, and ticks. The tick
 * at second S follows every input stamped at or before S, as the live engine judges S once all of
 * S's lines are in (detection takes records with `at <= S` into the judgement of S).
 */
export function* replayTimeline(records: SignedRecord[], deploys: DeployMarker[]): Generator<EngineInput & { at: number }> {
  const firstAt = Math.min(records[0]?.at ?? Infinity, deploys[0]?.at ?? Infinity);
  if (!Number.isFinite(firstAt)) return;
  const lastAt = Math.max(records.at(-1)?.at ?? -Infinity, deploys.at(-1)?.at ?? -Infinity);
  let r = 0;
  let d = 0;
  for (let tick = Math.ceil(firstAt / TICK_MS) * TICK_MS; tick < lastAt + TICK_MS; tick += TICK_MS) {
    const batch: SignedRecord[] = [];
    while (r < records.length || d < deploys.length) {
      const record = records[r];
      const deploy = deploys[d];
      if (deploy !== undefined && deploy.at <= tick && (record === undefined || deploy.at <= record.at)) {
        if (batch.length > 0) yield { kind: 'records', at: batch[0]!.at, records: batch.splice(0) };
        yield { kind: 'deploy', marker: deploy, at: deploy.at };
        d++;
      } else if (record !== undefined && record.at <= tick) {
        batch.push(record);
        r++;
      } else break;
    }
    if (batch.length > 0) yield { kind: 'records', records: batch, at: batch[0]!.at };
    yield { kind: 'tick', now: tick, at: tick };
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
    return () => clearTimeout(timer);
  });
}

/** Keeps the records and deploys at or before `to` (the end of a reviewed slice). */
export function cutAt(replay: LoadedReplay, to: number): { records: SignedRecord[]; deploys: DeployMarker[] } {
  return {
    records: replay.records.filter((record) => record.at <= to),
    deploys: replay.fixture.deploys.filter((deploy) => deploy.at <= to),
  };
}
