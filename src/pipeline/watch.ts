/**
 * Live mode: files (and stdin) followed, deploy markers received, a wall clock ticking once a
 * second — all merged into one input stream for the engine.
 */
import { endWith, exhaustMap, ignoreElements, interval, map, merge, Observable, share, Subject, takeUntil, tap, type Observable as Obs } from 'rxjs';
import { FileFollower, type FollowOptions } from '../tail/follower.js';
import { CommitGate } from '../tail/commit-gate.js';
import { StateStore } from '../tail/state.js';
import { loadCatalog, saveCatalog } from '../tail/catalog-file.js';
import { readStdin } from '../tail/stdin.js';
import { listenForDeploys } from '../tail/deploy-listener.js';
import type { LineBatch, SourceCounters } from '../tail/types.js';
import type { Thresholds } from '../detect/thresholds.js';
import { parseGraphiteLine, type DeployMarker } from './deploy-marker.js';
import { Engine, type EngineInput } from './engine.js';
import { lineTime } from './parse-header.js';
import { PipelineRun } from './run.js';
import { Presigner } from './presign.js';
import { formatDuration } from '../report/text.js';

/** Evaluate once a second: verdicts within seconds, and the same cadence as replays. */
const TICK_MS = 1_000;
/** Judge one second behind the wall clock, so a line still being written counts where a replay counts it. */
const LIVE_JUDGE_LAG_MS = 1_000;
/**
 * Longest a tick waits for the followers to read what the files hold before it judges: under a
 * flood reading may never be done, and the clock must go on (a tick that finds one still waiting
 * is skipped; the next judges every second up to its own).
 */
const CATCH_UP_WAIT_MS = 1_000;
/**
 * A line stamped further ahead of this machine's clock than this is taken to be wrong (a host
 * clock ahead, a log written in local time read as UTC) and counted when it arrives: held for its
 * own second, it would wait that long for a judgement. Up to this, it waits (a verdict a few
 * seconds late, still the replay's).
 */
const AHEAD_TOLERANCE_MS = 5_000;
/** Live stats events every 10 s unless told otherwise. */
export const DEFAULT_STATS_EVERY_MS = 10_000;

export interface WatchOptions {
  /** Paths and globs; `-` is stdin. */
  patterns: string[];
  start: 'end' | 'beginning' | { sinceMs: number };
  hostPattern?: string;
  thresholds?: Partial<Thresholds>;
  /** Graphite plaintext deploy listener, e.g. { host: '127.0.0.1', port: 2003 }. */
  deployListener?: { host: string; port: number; patterns?: string[] };
  /** A file of Graphite plaintext deploy lines to follow. */
  deploysFile?: string;
  usePolling?: boolean;
  maxLineBytes?: number;
  /** Period of `stats` events, ms. */
  statsEveryMs?: number;
  /** Sees every batch before the engine does (`record`, `watch --record`). */
  onBatch?: (batch: LineBatch) => void;
  /** One line per problem (unreadable file, bad deploy line): logged, counted, never fatal. */
  warn: (line: string) => void;
  /** `--state DIR`: keep read offsets there, so a restarted watch neither loses nor repeats a line. */
  stateDir?: string;
  /** `--catalog FILE`: known signatures loaded at start (not new) and saved every minute and on stop. */
  catalogFile?: string;
  /** `--zone`: the zone of times written without one (default UTC). */
  zone?: string;
  /**
   * `--workers`: pre-signing worker threads (presign.ts; default none). Their module is dist's,
   * so only a built logwatch has them.
   */
  presignWorkers?: number;
}

/** How often offsets are saved while running (ms): after SIGKILL at most this much is read again. */
const CHECKPOINT_EVERY_MS = 1_000;
/** How often the catalog is saved while running (ms): after SIGKILL at most this much is forgotten. */
const CATALOG_SAVE_EVERY_MS = 60_000;

export interface WatchSession {
  handle: PipelineRun;
  /** Resolves when the input ends (stdin only) or the session is stopped. */
  done: Promise<void>;
  /** Port the deploy listener bound, when one was asked for. */
  deployPort: number | undefined;
  /** Files being followed once started. */
  files: number;
  /** Event time observation began, when known at start (a recording carries it to its replay). */
  observedFrom: number | undefined;
}

export async function startWatch(options: WatchOptions): Promise<WatchSession> {
  const files = options.patterns.filter((pattern) => pattern !== '-');
  const readsStdin = files.length !== options.patterns.length;
  const followers: FileFollower[] = [];
  const stdinCounters: SourceCounters = { lines: 0, bytes: 0, truncated: 0, dropped: 0, files: 0, errors: 0 };
  const presigner = (options.presignWorkers ?? 0) > 0
    ? new Presigner({ zone: options.zone ?? 'UTC', workers: options.presignWorkers!, warn: options.warn })
    : undefined;
  const sourceCounters = (): SourceCounters => {
    const total = sumCounters([...followers.map((f) => f.counters()), stdinCounters]);
    total.errors += presigner?.errors ?? 0;
    return total;
  };
  const observedFrom = observationStart(options.start);
  const engine = new Engine({
    statsEveryMs: options.statsEveryMs ?? DEFAULT_STATS_EVERY_MS,
    sourceCounters,
    judgeLagMs: LIVE_JUDGE_LAG_MS,
    aheadOfClock: { toleranceMs: AHEAD_TOLERANCE_MS, onFirst: (source, aheadMs) => options.warn(aheadWarning(source, aheadMs)) },
    ...(options.zone === undefined ? {} : { zone: options.zone }),
    ...(observedFrom === undefined ? {} : { observeFrom: observedFrom }),
    ...(options.thresholds === undefined ? {} : { thresholds: options.thresholds }),
    ...(options.catalogFile === undefined ? {} : { catalog: { known: loadCatalog(options.catalogFile, options.warn) } }),
  });
  const deploys = new Subject<DeployMarker>();
  const closers: Array<() => Promise<unknown>> = [];
  if (presigner !== undefined) closers.push(() => presigner.close());
  const handle = new PipelineRun(engine, {
    mode: 'watch',
    now: () => Date.now(),
    onFinish: () => { for (const close of closers) void close(); },
    ...(presigner === undefined ? {} : { pendingOnStop: () => presigner.takeAll().map(({ batch, presigned }): EngineInput => ({ kind: 'batch', batch, presigned })) }),
  });

  const sources: Array<Obs<LineBatch>> = [];
  const started: Array<Promise<void>> = [];
  const stopping: Array<Promise<void>> = [];
  const gates: CommitGate[] = [];
  if (files.length > 0) {
    const follow = followerOptions(options, files);
    sources.push(options.stateDir === undefined
      ? followFiles(follow, followers, started, options.warn)
      : followFilesWithState(follow, new StateStore(options.stateDir, options.warn), { followers, started, stopping, gates, warn: options.warn }));
  }
  const stdin = readsStdin ? stdinBatches(stdinCounters, options).pipe(share()) : undefined;
  if (stdin !== undefined) sources.push(stdin);
  const deployPort = await startDeployInputs(options, deploys, closers);

  const batches = presignedBatches(merge(...sources).pipe(tap((batch) => options.onBatch?.(batch))), presigner).pipe(share());
  const inputs: Obs<EngineInput> = merge(
    batches,
    deploys.pipe(map((marker): EngineInput => ({ kind: 'deploy', marker }))),
    interval(TICK_MS).pipe(exhaustMap(() => tickAfterCatchingUp(followers, gates, engine, presigner))),
  );
  // With stdin as the only source the run ends with stdin, once its last batch is through the workers; otherwise the clock ticks until stopped.
  const stdinEnded = stdin !== undefined && files.length === 0 ? batches.pipe(ignoreElements(), endWith(true)) : undefined;
  const stopCatalog = options.catalogFile === undefined ? undefined : keepCatalogSaved(options.catalogFile, engine, options.warn);
  const running = handle.run(stdinEnded === undefined ? inputs : inputs.pipe(takeUntil(stdinEnded)));
  // With --state or --catalog, the last save happens before `done`: the process may exit right after.
  const done = running.then(() => Promise.all(stopping)).then(() => stopCatalog?.());
  // Resolve once every file is opened and positioned, so "watching" means what it says.
  await Promise.all(started);
  return { handle, done, deployPort, files: followers.reduce((n, f) => n + f.counters().files, 0), observedFrom };
}

/**
 * A clock tick, once the followers have read what the files held when it came (or after
 * CATCH_UP_WAIT_MS): the lines a replay of the same files would count in a second are counted
 * before that second is judged, even when watch events lag behind a busy machine.
 */
async function tickAfterCatchingUp(followers: FileFollower[], gates: CommitGate[], engine: Engine, presigner: Presigner | undefined): Promise<EngineInput> {
  const now = Date.now();
  let timer: NodeJS.Timeout | undefined;
  const waited = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, CATCH_UP_WAIT_MS);
  });
  await Promise.race([Promise.all(followers.map((follower) => follower.catchUp())), waited]);
  // Records the gates complete (by quietness, or as their second is judged) reach the engine before the tick that judges them.
  const judged = Math.floor((now - LIVE_JUDGE_LAG_MS) / 1000) * 1000;
  for (const gate of gates) {
    gate.flushIdle(now);
    gate.flushStartedBy(judged, (first, arrivedAt) => engine.recordTime(first, arrivedAt));
  }
  // So do the batches still at the pre-signing workers, the gates' among them.
  if (presigner !== undefined) await Promise.race([presigner.drained(), waited]);
  clearTimeout(timer);
  return { kind: 'tick', now };
}

/**
 * Batches as engine inputs, through the pre-signing workers when there are any: released in the
 * order they came, each with its pre-signed lines. The stream ends once the last is released.
 */
function presignedBatches(batches: Obs<LineBatch>, presigner: Presigner | undefined): Obs<EngineInput> {
  if (presigner === undefined) return batches.pipe(map((batch): EngineInput => ({ kind: 'batch', batch })));
  return new Observable<EngineInput>((subscriber) => {
    presigner.onRelease((batch, presigned) => subscriber.next({ kind: 'batch', batch, presigned }));
    const subscription = batches.subscribe({
      next: (batch) => presigner.submit(batch),
      error: (error: unknown) => subscriber.error(error),
      complete: () => { void presigner.drained().then(() => subscriber.complete()); },
    });
    return () => subscription.unsubscribe();
  });
}

function aheadWarning(source: string, aheadMs: number): string {
  return `${source}: line times run ${formatDuration(aheadMs)} ahead of this machine's clock; such lines are counted when they arrive `
    + '(`ahead` in stats). A host clock off, or a log written in local time without a zone (see --zone)?';
}

/** Saves the detector's catalog every minute; the returned function saves it a last time and stops. */
function keepCatalogSaved(file: string, engine: Engine, warn: (line: string) => void): () => void {
  const save = (): void => {
    try {
      saveCatalog(file, engine.detector.knownSignatures());
    } catch (error) {
      warn(`catalog: saving ${file} failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  };
  const timer = setInterval(save, CATALOG_SAVE_EVERY_MS);
  timer.unref();
  return () => {
    clearInterval(timer);
    save();
  };
}

/**
 * When detection's warm-up starts: now, or where a --since backfill starts; reading files from
 * their beginning, with the first record (undefined).
 */
function observationStart(start: WatchOptions['start']): number | undefined {
  if (typeof start === 'object') return Date.now() - start.sinceMs;
  return start === 'end' ? Date.now() : undefined;
}

/** Deploy markers from a followed file and a TCP listener, into `deploys`; returns the listener's port. */
async function startDeployInputs(
  options: WatchOptions,
  deploys: Subject<DeployMarker>,
  closers: Array<() => Promise<unknown>>,
): Promise<number | undefined> {
  if (options.deploysFile !== undefined) {
    const deployFollower = new FileFollower(
      { patterns: [options.deploysFile], start: 'beginning', onWarning: options.warn },
      (batch) => { for (const line of batch.lines) acceptDeployLine(line, deploys, options.warn); },
    );
    await deployFollower.start();
    closers.push(() => deployFollower.close());
  }
  if (options.deployListener === undefined) return undefined;
  const listener = await listenForDeploys({
    ...options.deployListener,
    now: () => Date.now(),
    onDeploy: (marker) => deploys.next(marker),
    onReject: (reason, line) => options.warn(`deploy listener: ${reason}: ${JSON.stringify(line.slice(0, 200))}`),
  });
  closers.push(() => listener.close());
  return listener.port;
}

function followerOptions(options: WatchOptions, patterns: string[]): FollowOptions {
  const start: FollowOptions['start'] = typeof options.start === 'object'
    ? { sinceMs: options.start.sinceMs, now: Date.now(), lineTime: (line: string) => lineTime(line, Date.now(), options.zone) }
    : options.start;
  return {
    patterns,
    start,
    onWarning: options.warn,
    ...(options.hostPattern === undefined ? {} : { hostPattern: options.hostPattern }),
    ...(options.usePolling === undefined ? {} : { usePolling: options.usePolling }),
    ...(options.maxLineBytes === undefined ? {} : { maxLineBytes: options.maxLineBytes }),
  };
}

/** Followed files as a stream of batches; the follower starts on subscribe and closes on unsubscribe. */
function followFiles(
  options: FollowOptions,
  registry: FileFollower[],
  started: Array<Promise<void>>,
  warn: (line: string) => void,
): Obs<LineBatch> {
  return new Observable<LineBatch>((subscriber) => {
    const follower = new FileFollower(options, (batch) => subscriber.next(batch));
    registry.push(follower);
    started.push(follower.start().catch((error: unknown) => {
      warn(`follower: ${error instanceof Error ? error.message : String(error)}`);
      subscriber.error(error);
    }));
    return () => { void follower.close(); };
  });
}

interface StatefulParts {
  followers: FileFollower[];
  started: Array<Promise<void>>;
  /** Receives the final save, which `done` waits for. */
  stopping: Array<Promise<void>>;
  gates: CommitGate[];
  warn: (line: string) => void;
}

/**
 * Followed files whose consumed offsets are saved: lines pass a CommitGate (open multi-line
 * records held back), offsets are saved every second and once more after the last batch.
 */
function followFilesWithState(options: FollowOptions, store: StateStore, parts: StatefulParts): Obs<LineBatch> {
  return new Observable<LineBatch>((subscriber) => {
    let stopped = false;
    const follower = new FileFollower({ ...options, resume: store.load() }, (batch) => { if (!stopped) gate.push(batch); });
    const gate = new CommitGate({
      willConsume: (file, offset) => store.noteConsumed(file, offset),
      release: (batch) => subscriber.next(batch),
      consumed: (file, offset) => follower.commit(file, offset),
    });
    parts.followers.push(follower);
    parts.gates.push(gate);
    parts.started.push(follower.start().catch((error: unknown) => {
      parts.warn(`follower: ${error instanceof Error ? error.message : String(error)}`);
      subscriber.error(error);
    }));
    let saving: Promise<void> = Promise.resolve();
    const save = (clean: boolean): Promise<void> => {
      saving = saving
        .then(async () => store.save(await follower.checkpoints(), clean))
        .catch((error: unknown) => parts.warn(`state: saving offsets failed: ${error instanceof Error ? error.message : String(error)}`));
      return saving;
    };
    const timer = setInterval(() => { void save(false); }, CHECKPOINT_EVERY_MS);
    return () => {
      stopped = true;
      clearInterval(timer);
      parts.stopping.push((async () => {
        await save(true);
        store.close();
        if (follower.replayed > 0) parts.warn(`state: ${follower.replayed} line(s) read again after an unclean stop (at-least-once)`);
        await follower.close();
      })());
    };
  });
}

function stdinBatches(counters: SourceCounters, options: WatchOptions): Obs<LineBatch> {
  return new Observable<LineBatch>((subscriber) => {
    const maxLineBytes = options.maxLineBytes === undefined ? {} : { maxLineBytes: options.maxLineBytes };
    readStdin(process.stdin, (batch) => subscriber.next(batch), maxLineBytes)
      .then((final) => { Object.assign(counters, final); subscriber.complete(); })
      .catch((error: unknown) => subscriber.error(error));
  });
}

function acceptDeployLine(line: string, deploys: Subject<DeployMarker>, warn: (line: string) => void): void {
  if (line.trim() === '') return;
  const parsed = parseGraphiteLine(line, Date.now());
  if ('marker' in parsed) deploys.next(parsed.marker);
  else warn(`deploys file: ${parsed.error}`);
}

function sumCounters(all: SourceCounters[]): SourceCounters {
  const total: SourceCounters = { lines: 0, bytes: 0, truncated: 0, dropped: 0, files: 0, errors: 0 };
  for (const counters of all) {
    for (const key of Object.keys(total) as Array<keyof SourceCounters>) total[key] += counters[key];
  }
  return total;
}
