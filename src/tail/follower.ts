/**
 * `tail -F` done right, for many files at once.
 *
 * Correctness never rests on watcher events: each followed file is an open fd keyed by
 * (dev, ino), read from its stored offset to EOF whenever anything hints at a change, and a
 * periodic stat/fstat reconcile catches whatever the events missed. chokidar events and the glob
 * re-scan only decide *when* to look. What a path no longer shows (a generation rotated away
 * between two looks, lines truncated away by copytruncate) is read from its rotated siblings.
 */
import { statSync, type Stats } from 'node:fs';
import { open, readdir, stat, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { watch, type FSWatcher } from 'chokidar';
import { PatternSet } from './discovery.js';
import { compileHostPattern, type HostOfPath } from './hosts.js';
import { DEFAULT_MAX_LINE_BYTES, LineSplitter, type SplitterTally } from './line-splitter.js';
import { chunkBatch, ChunkLines } from './chunk-lines.js';
import { findSinceOffset, type LineTime } from './since.js';
import { readCompression } from './compressed.js';
import { rotatedBasesOf, rotatedSiblingsSince, SeenHeads, type RotatedSibling } from './rotated-siblings.js';
import { checkpointOf, identityKey, resumeOffset, type FileCheckpoint, type ResumePoints } from './state.js';
import type { LineBatch, SourceCounters } from './types.js';

/** How often every followed path is stat-ed and every open file fstat-ed (ms): the most a missed event costs. */
export const DEFAULT_RECONCILE_MS = 250;
/** How long a renamed or deleted file is still read after it left its path (ms), as Fluent Bit's rotate_wait. */
export const DEFAULT_ROTATE_WAIT_MS = 5_000;
/** How often globs are expanded again to find new files and host directories (ms), as Vector's glob cooldown. */
export const DEFAULT_RESCAN_MS = 1_000;
/** Bytes read from one file per turn, so one firehose file cannot starve the others. */
const READ_BUDGET_BYTES = 1024 * 1024;
/** Bytes per read call: one batch per read. */
const READ_CHUNK_BYTES = 256 * 1024;
/** Bytes kept from just before the offset: if they change, the file was truncated and rewritten (Fluent Bit's offset marker). */
/**
 * Bytes kept from the file's start, checked like the marker: lines of one length make the bytes
 * before the offset look the same after a copytruncate and a quick rewrite past the old offset,
 * but the first line (its time, its number) almost never does.
 */
const HEAD_CHECK_BYTES = 64;
const OFFSET_MARKER_BYTES = 32;
/**
 * chokidar drops (does not delay) `change` events for 50 ms after one per path, so a write in that
 * window would wait for the reconcile; one more look just after the window closes catches it (ms).
 */
const TRAILING_LOOK_MS = 60;
/** chokidar's stat-polling interval when polling (ms): its default. */
const POLL_INTERVAL_MS = 100;
/** Paths settled between two files' reads in a pass (the rest wait for the next gap or pass). */
const PATHS_BETWEEN_READS = 32;
/** Paths whose last file is remembered (to find generations skipped between looks); oldest forgotten first. */
const MAX_LAST_BOUND = 10_000;

export interface FollowOptions {
  /** Paths and globs. */
  patterns: string[];
  /** Where files present at start begin; files that appear later are always read from their start. */
  start: 'end' | 'beginning' | { sinceMs: number; now: number; lineTime: LineTime };
  /** `logs/{host}/*.log` or a regex with a `(?<host>…)` group; see hosts.ts. */
  hostPattern?: string;
  /** Longest line kept, in bytes; default 65536. */
  maxLineBytes?: number;
  /** Reconcile period in ms; default 250. */
  reconcileMs?: number;
  /** chokidar stat polling instead of inotify, for network filesystems (and tests of the polling path). */
  usePolling?: boolean;
  /** One line per problem, logged by the caller; each is also counted in `errors`. */
  onWarning?: (message: string) => void;
  /** Added: how long a rotated or deleted file keeps being read, in ms; default 5000. */
  rotateWaitMs?: number;
  /** Added: glob re-scan period in ms; default 1000. */
  rescanMs?: number;
  /** Added: directory relative patterns and host patterns are resolved against; default process.cwd(). */
  cwd?: string;
  /**
   * Added for --state: a previous run's checkpoints. Files it knew resume where it stopped, files
   * new at its paths are read from 0, and batches carry `file` and `offsets` for `commit`.
   */
  resume?: ResumePoints;
}

/** What `files()` reports for each open file. */
export interface FollowedFile {
  path: string;
  host: string | undefined;
  dev: number;
  ino: number;
  offset: number;
  size: number;
}

/** One open file. */
interface Tail {
  /** `${dev}:${ino}`: the file's identity, whatever its name now. */
  key: string;
  dev: number;
  ino: number;
  handle: FileHandle;
  /** Absolute paths that currently resolve to this file; empty once it was renamed away or deleted. */
  boundTo: Set<string>;
  /** The path as matched, for `batch.source`. */
  display: string;
  host: string | undefined;
  offset: number;
  size: number;
  /** Last seen mtime: a change with the size equal to the offset may be a rewrite to the same length. */
  mtimeMs: number;
  /** The up to 32 bytes before `offset`. */
  marker: Buffer;
  /** The up to HEAD_CHECK_BYTES first bytes of the file (fewer while the file is shorter). */
  head: Buffer;
  splitter: LineSplitter;
  /** When the file lost its last path (ms); it is read until rotate-wait passes, then closed. */
  detachedAt: number | undefined;
  /** Needs a read this turn. */
  dirty: boolean;
  /** Absolute path the file was opened at: its name in a checkpoint. */
  openedAt: string;
  /** When it was opened (ms): a generation skipped after it was written later. */
  openedTime: number;
  /** End of the last whole line read: where the next line starts. */
  lineBoundary: number;
  /** Everything before this offset is consumed by the pipeline (`commit`); what a checkpoint saves. */
  committed: number;
  /** Lines ending at or before this offset were perhaps consumed by a run that did not stop cleanly. */
  replayUntil: number;
  /** The file's compression format (then it is not read), null when it is text; undefined until its first bytes tell. */
  compression: string | null | undefined;
}

/** Where a file opened starts: as a file present at start, as one appearing later (0), or at an offset. */
type StartMode = 'initial' | 'discovered' | { at: number };

export class FileFollower {
  private readonly patterns: PatternSet;
  private readonly hostOf: HostOfPath | undefined;
  private readonly maxLineBytes: number;
  private readonly rotateWaitMs: number;
  private readonly tally: SplitterTally = { truncated: 0, nulRuns: 0 };
  private readonly totals = { lines: 0, bytes: 0, errors: 0, replayed: 0 };
  /** Open files by identity. */
  private readonly tails = new Map<string, Tail>();
  /** Which open file each followed path resolves to. */
  private readonly bindings = new Map<string, Tail>();
  /** The file each path last resolved to (kept after it is unbound): a path naming another file now was rotated. */
  private readonly lastBound = new Map<string, { key: string; openedTime: number }>();
  /** First bytes of what was read, per log: a rotated copy of something read is not a skipped generation. */
  private readonly seenHeads = new SeenHeads();
  /**
   * Paths a pattern names that hold a rotated copy of bytes read (a glob such as `app.log*` names
   * copytruncate's `app.log.1`), with the file's identity: not followed as files of their own.
   */
  private readonly copies = new Map<string, string>();
  /** Searches for skipped generations under way, by path (see `lookForSkippedGenerations`). */
  private readonly generationSearches = new Map<string, Promise<void>>();
  /** Paths to follow (absolute → as matched). Bounded: a glob match that vanished is forgotten. */
  private readonly known = new Map<string, string>();
  /** Plain paths from the patterns: always followed, even while missing. */
  private readonly pinned = new Set<string>();
  private readonly dirtyPaths = new Set<string>();
  /** Of `dirtyPaths`, those a watch event hinted at: also settled between two files' reads (see `turn`). */
  private readonly hintedPaths = new Set<string>();
  /** Warnings already given, so a persistent problem is reported once (cleared when it goes away). */
  private readonly warned = new Set<string>();
  private readonly watchedBases = new Set<string>();
  private readonly readBuffer = Buffer.alloc(READ_CHUNK_BYTES);
  private watcher: FSWatcher | undefined;
  private polling: boolean;
  private timers: NodeJS.Timeout[] = [];
  /** At most one pending trailing look per path (see TRAILING_LOOK_MS). */
  private readonly trailingLooks = new Map<string, NodeJS.Timeout>();
  private running: Promise<void> | undefined;
  private turnRequested = false;
  private closed = false;
  /** Turns begun so far, and callers of `catchUp` waiting for a turn (by number) to end. */
  private turnsStarted = 0;
  private turnWaiters: Array<{ turn: number; resolve: () => void }> = [];

  constructor(
    private readonly options: FollowOptions,
    private readonly onBatch: (batch: LineBatch) => void,
  ) {
    const cwd = options.cwd ?? process.cwd();
    this.patterns = new PatternSet(options.patterns, cwd);
    this.hostOf = options.hostPattern === undefined ? undefined : compileHostPattern(options.hostPattern, cwd);
    this.maxLineBytes = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
    this.rotateWaitMs = options.rotateWaitMs ?? DEFAULT_ROTATE_WAIT_MS;
    this.polling = options.usePolling ?? false;
  }

  /** Resolves once the files present now are open and positioned, and the watcher is ready. */
  async start(): Promise<void> {
    for (const plain of this.patterns.plainPaths()) {
      this.pinned.add(plain.absolute);
      this.known.set(plain.absolute, plain.display);
      this.dirtyPaths.add(plain.absolute);
    }
    await this.rescan();
    for (const absolute of [...this.dirtyPaths]) await this.syncPath(absolute, 'initial');
    this.dirtyPaths.clear();
    await this.drainMovedFiles();
    await this.startWatcher();
    const reconcileMs = this.options.reconcileMs ?? DEFAULT_RECONCILE_MS;
    const rescanMs = this.options.rescanMs ?? DEFAULT_RESCAN_MS;
    this.timers.push(
      setInterval(() => this.reconcile(), reconcileMs),
      setInterval(() => this.rescanThenRead(), rescanMs),
    );
    this.schedule();
  }

  counters(): SourceCounters {
    return {
      lines: this.totals.lines,
      bytes: this.totals.bytes,
      truncated: this.tally.truncated,
      dropped: this.tally.nulRuns,
      files: this.tails.size,
      errors: this.totals.errors,
    };
  }

  files(): FollowedFile[] {
    return [...this.tails.values()].map((tail) => ({
      path: tail.display,
      host: tail.host,
      dev: tail.dev,
      ino: tail.ino,
      offset: tail.offset,
      size: tail.size,
    }));
  }

  /** Lines read again after an unclean stop (at-least-once): consumed by the previous run past its last checkpoint. */
  get replayed(): number {
    return this.totals.replayed;
  }

  /** Notes that the pipeline consumed `file` (a batch's `file`) up to `offset`. */
  commit(file: string, offset: number): void {
    const tail = this.tails.get(file);
    if (tail !== undefined) tail.committed = offset;
  }

  /** A checkpoint of every open file, at its committed offset. */
  async checkpoints(): Promise<FileCheckpoint[]> {
    const tails = [...this.tails.values()];
    const saved = await Promise.all(tails.map((tail) =>
      checkpointOf(tail.handle, tail.openedAt, tail.dev, tail.ino, tail.committed).catch(() => undefined)));
    return saved.filter((checkpoint): checkpoint is FileCheckpoint => checkpoint !== undefined);
  }

  /**
   * Reads every open file now, without waiting for a watch event or the reconcile timer, and
   * resolves once one turn that began after the call has ended: each file read to its end, or by
   * the per-turn budget (1 MiB) under a flood. The live clock waits for this before it judges a
   * second, so lines already written count in it even when events lag under load, and the wait
   * stays bounded when the files never stop growing.
   */
  async catchUp(): Promise<void> {
    if (this.closed) return;
    for (const tail of this.tails.values()) tail.dirty = true;
    const done = new Promise<void>((resolve) => this.turnWaiters.push({ turn: this.turnsStarted + 1, resolve }));
    this.schedule();
    await done;
  }

  /** Stops watching and closes every file. Held partial lines stay unemitted: the writer may still finish them. */
  async close(): Promise<void> {
    this.closed = true;
    this.releaseTurnWaiters(Infinity);
    for (const timer of this.timers) clearInterval(timer);
    this.timers = [];
    for (const timer of this.trailingLooks.values()) clearTimeout(timer);
    this.trailingLooks.clear();
    await this.watcher?.close();
    await this.running;
    await Promise.all(this.generationSearches.values());
    await Promise.all([...this.tails.values()].map((tail) => tail.handle.close().catch(() => undefined)));
    this.tails.clear();
    this.bindings.clear();
  }

  // ── scheduling ──────────────────────────────────────────────────────────────────────────────

  /** Runs turns one at a time until nothing is left to do. */
  private schedule(): void {
    if (this.closed) return;
    if (this.running) {
      this.turnRequested = true;
      return;
    }
    this.running = this.runTurns().then(
      () => this.afterTurns(true),
      (error: unknown) => {
        this.warn(`follower: ${describe(error)}`);
        this.afterTurns(false);
      },
    );
  }

  private async runTurns(): Promise<void> {
    do {
      this.turnRequested = false;
      const turn = ++this.turnsStarted;
      await this.turn();
      this.releaseTurnWaiters(turn);
    } while (!this.closed && (this.turnRequested || this.dirtyPaths.size > 0 || this.anyTailDirty()));
  }

  /**
   * The turns stopped: a turn asked for as the last one ended (its loop had already looked) runs
   * now; otherwise no turn is coming, and `catchUp` callers stop waiting for one.
   */
  private afterTurns(ok: boolean): void {
    this.running = undefined;
    if (ok && this.turnRequested && !this.closed) this.schedule();
    else this.releaseTurnWaiters(Infinity);
  }

  /** Resolves the `catchUp` callers waiting for turn `ended` or an earlier one. */
  private releaseTurnWaiters(ended: number): void {
    if (this.turnWaiters.length === 0) return;
    const waiting: typeof this.turnWaiters = [];
    for (const waiter of this.turnWaiters) {
      if (waiter.turn <= ended) waiter.resolve();
      else waiting.push(waiter);
    }
    this.turnWaiters = waiting;
  }

  private anyTailDirty(): boolean {
    for (const tail of this.tails.values()) if (tail.dirty) return true;
    return false;
  }

  /**
   * One pass: settle which file each marked path is, then read each file that may have news, ≤ 1
   * MiB each. Paths marked meanwhile are settled between two files' reads, a few at a time: on a
   * starved machine a pass takes long, and a log rotated every few hundred ms must still be
   * opened under its name before its next rotation (a deleted generation never opened is lost).
   * When many paths are marked (the reconcile marks every path), only those a watch event hinted
   * at are, or reads would hardly get a turn among ten thousand paths.
   */
  private async turn(): Promise<void> {
    await this.syncPaths([...this.dirtyPaths]);
    for (const tail of [...this.tails.values()]) {
      if (this.closed) return;
      if (!tail.dirty) continue;
      tail.dirty = false;
      await this.readTurn(tail);
      const marked = this.dirtyPaths.size <= PATHS_BETWEEN_READS ? this.dirtyPaths : this.hintedPaths;
      if (marked.size > 0) await this.syncPaths([...marked].slice(0, PATHS_BETWEEN_READS));
    }
  }

  private async syncPaths(paths: string[]): Promise<void> {
    for (const absolute of paths) {
      if (this.closed) return;
      this.dirtyPaths.delete(absolute);
      this.hintedPaths.delete(absolute);
      await this.syncPath(absolute, 'discovered');
    }
  }

  /** The backstop for missed events: look at every path and every open file. */
  private reconcile(): void {
    for (const absolute of this.known.keys()) this.dirtyPaths.add(absolute);
    for (const tail of this.tails.values()) tail.dirty = true;
    this.schedule();
  }

  // ── discovery and watching ──────────────────────────────────────────────────────────────────

  /** Expands the globs again; new paths are marked for a look, new base directories get watched. */
  private async rescan(): Promise<void> {
    if (this.closed) return;
    for (const entry of await this.patterns.scan()) {
      if (entry.isDirectory) {
        this.warnOnce(`directory:${entry.absolute}`, `${entry.display}: is a directory, not a log file; skipped`);
        continue;
      }
      if (!this.known.has(entry.absolute)) {
        this.known.set(entry.absolute, entry.display);
        this.dirtyPaths.add(entry.absolute);
      }
    }
    this.watchNewBases();
  }

  private rescanThenRead(): void {
    this.rescan()
      .then(() => this.schedule())
      .catch((error: unknown) => this.warnOnce(`rescan:${errorCode(error) ?? describe(error)}`, `finding log files failed: ${describe(error)}`));
  }

  private async startWatcher(): Promise<void> {
    const watcher = watch([], {
      ignoreInitial: true,
      usePolling: this.polling,
      interval: POLL_INTERVAL_MS,
      awaitWriteFinish: false, // a log that is always being written never looks finished
      ignored: (candidate) => !this.patterns.isRelevant(path.resolve(candidate)),
    });
    this.watcher = watcher;
    const hint = (changed: string) => this.onFileHint(changed);
    watcher.on('add', hint).on('change', hint).on('unlink', hint);
    watcher.on('addDir', () => this.rescanThenRead());
    watcher.on('unlinkDir', (removed) => this.onDirectoryGone(path.resolve(removed)));
    watcher.on('error', (error) => this.onWatchError(error));
    this.watchedBases.clear();
    const ready = new Promise<void>((resolve) => watcher.once('ready', () => resolve()));
    if (this.watchNewBases() > 0) await ready;
  }

  /** Adds base directories that exist now and are not watched yet; returns how many. */
  private watchNewBases(): number {
    if (this.watcher === undefined || this.closed) return 0;
    const fresh = this.patterns.watchBases().filter((base) => !this.watchedBases.has(base) && isDirectorySync(base));
    for (const base of fresh) this.watchedBases.add(base);
    if (fresh.length > 0) this.watcher.add(fresh);
    return fresh.length;
  }

  private onFileHint(changed: string): void {
    const absolute = path.resolve(changed);
    if (!this.known.has(absolute)) {
      const display = this.patterns.match(absolute);
      if (display === undefined) return;
      this.known.set(absolute, display);
    }
    this.markHinted(absolute);
    this.schedule();
    if (!this.trailingLooks.has(absolute)) {
      const look = setTimeout(() => {
        this.trailingLooks.delete(absolute);
        this.markHinted(absolute);
        this.schedule();
      }, TRAILING_LOOK_MS);
      this.trailingLooks.set(absolute, look);
    }
  }

  private markHinted(absolute: string): void {
    this.dirtyPaths.add(absolute);
    this.hintedPaths.add(absolute);
  }

  private onDirectoryGone(directory: string): void {
    // A removed base directory is watched again once it reappears (the rescan adds it).
    if (this.watchedBases.delete(directory)) this.watcher?.unwatch(directory);
    const inside = directory + path.sep;
    for (const absolute of this.known.keys()) if (absolute.startsWith(inside)) this.dirtyPaths.add(absolute);
    this.schedule();
  }

  /** Watch limits (ENOSPC: inotify watches; EMFILE: fds) switch to stat polling instead of going blind. */
  private onWatchError(error: unknown): void {
    const code = errorCode(error);
    if ((code === 'ENOSPC' || code === 'EMFILE') && !this.polling) {
      this.warn(`file watching hit a system limit (${code}); switching to polling. Raise fs.inotify.max_user_watches or ulimit -n to avoid it`);
      this.polling = true;
      const old = this.watcher;
      this.watcher = undefined;
      void old
        ?.close()
        .then(() => (this.closed ? undefined : this.startWatcher()))
        .catch((closeError: unknown) => this.warn(`file watcher restart failed: ${describe(closeError)}`));
      return;
    }
    this.warnOnce(`watch:${code ?? describe(error)}`, `file watcher error: ${describe(error)}`);
  }

  // ── paths to files ──────────────────────────────────────────────────────────────────────────

  /** Settles which file `absolute` names now: the same one, a new one (rotation), or none (deleted). */
  private async syncPath(absolute: string, mode: StartMode): Promise<void> {
    const display = this.known.get(absolute);
    if (display === undefined) return;
    let stats: Stats;
    try {
      stats = await stat(absolute);
    } catch (error) {
      this.unbind(absolute);
      this.copies.delete(absolute);
      if (isGone(error)) {
        this.warned.delete(`open:${absolute}`);
        if (!this.pinned.has(absolute)) this.known.delete(absolute);
      } else {
        this.warnOnce(`open:${absolute}`, `${display}: ${describe(error)}`);
      }
      return;
    }
    if (!stats.isFile()) {
      this.unbind(absolute);
      const what = stats.isDirectory() ? 'is a directory, not a log file' : 'is not a regular file';
      this.warnOnce(`directory:${absolute}`, `${display}: ${what}; skipped`);
      return;
    }
    const key = identity(stats);
    const bound = this.bindings.get(absolute);
    if (bound?.key === key) {
      bound.dirty = true;
      return;
    }
    this.unbind(absolute);
    const previous = this.lastBound.get(absolute);
    const alreadyOpen = this.tails.get(key);
    if (alreadyOpen === undefined && mode === 'discovered' && (await this.isRotatedCopy(absolute, key))) return;
    const tail = alreadyOpen ?? (await this.openTail(absolute, display, mode));
    if (tail !== undefined) this.bind(absolute, display, tail);
    if (previous !== undefined && previous.key !== key) this.lookForSkippedGenerations(absolute, display, previous.openedTime);
    // A file that appeared while running is read at once: one copytruncated before its first read
    // would leave nothing to tell what it held (a truncation shows only against bytes read).
    if (alreadyOpen === undefined && tail !== undefined && mode === 'discovered') {
      tail.dirty = false;
      await this.readTurn(tail);
    }
  }

  /**
   * Whether a file that appeared under a rotated name of a followed log (`app.log.1` beside
   * `app.log`) begins with bytes already read from that log: a copytruncate copy, which is not
   * read again as a file of its own (what only the copy holds is read from it when the log's
   * truncation shows: `readRestFromCopy`). A copy still being written, whose few bytes so far
   * begin such a head, is left until it has more; its next change brings it back here.
   */
  private async isRotatedCopy(absolute: string, key: string): Promise<boolean> {
    if (this.copies.get(absolute) === key) return true;
    this.copies.delete(absolute);
    const logs = rotatedBasesOf(absolute).flatMap((base) => this.bindings.get(base) ?? []);
    if (logs.length === 0) return false;
    const head = (await withFile(absolute, Buffer.alloc(0), (handle) => readHead(handle, HEAD_CHECK_BYTES))).toString('latin1');
    // A log's own head counts while shorter than HEAD_CHECK_BYTES too (only whole heads are remembered).
    const heads = logs.flatMap((tail) => [tail.head.toString('latin1'), ...this.seenHeads.of(tail.display)]);
    if (head.length > 0 && heads.includes(head)) {
      this.copies.set(absolute, key);
      return true;
    }
    return head.length < HEAD_CHECK_BYTES && heads.some((read) => read.length > head.length && read.startsWith(head));
  }

  /**
   * The path was rotated since its previous file was opened: generations written and rotated away
   * between two looks (see rotated-siblings.ts) are looked for beside it, in the background (a
   * directory of many rotated files takes a while, and the path's new file and the other files
   * must not wait for it), one search per path at a time.
   */
  private lookForSkippedGenerations(absolute: string, display: string, since: number): void {
    const search = (this.generationSearches.get(absolute) ?? Promise.resolve())
      .then(() => this.followSkippedGenerations(absolute, display, since))
      .catch((error: unknown) => this.warnOnce(`rotated:${absolute}`, `${display}: looking for its rotated files failed: ${describe(error)}`))
      .finally(() => {
        if (this.generationSearches.get(absolute) === search) this.generationSearches.delete(absolute);
      });
    this.generationSearches.set(absolute, search);
  }

  /** Opens each skipped generation from 0, detached: it is read, then drained like any rotated file. */
  private async followSkippedGenerations(absolute: string, display: string, since: number): Promise<void> {
    for (const sibling of await rotatedSiblingsSince(absolute, since)) {
      if (this.closed) return;
      if (this.isFollowed(sibling) || (await this.holdsReadContent(sibling.absolute, display))) continue;
      const tail = await this.openTail(sibling.absolute, display, 'discovered');
      if (tail === undefined || tail.boundTo.size > 0) continue;
      tail.detachedAt = Date.now();
      this.schedule();
    }
  }

  /** Followed already: open (being drained), or named by a pattern. */
  private isFollowed(sibling: RotatedSibling): boolean {
    return this.tails.has(identity(sibling.stats)) || this.known.has(sibling.absolute);
  }

  /** Whether the file starts with bytes already read from the log `display` (a copy made by copytruncate, a generation retired). */
  private holdsReadContent(absolute: string, display: string): Promise<boolean> {
    return withFile(absolute, true, async (handle) => this.seenHeads.has(display, await readHead(handle, HEAD_CHECK_BYTES)));
  }

  private bind(absolute: string, display: string, tail: Tail): void {
    if (tail.boundTo.size === 0) {
      // Reached again under a name (e.g. a rotated file that a glob also matches): same offset, no re-read.
      tail.display = display;
      tail.host = this.hostOf?.(display);
      tail.detachedAt = undefined;
    }
    tail.boundTo.add(absolute);
    tail.dirty = true;
    this.bindings.set(absolute, tail);
    this.lastBound.delete(absolute);
    this.lastBound.set(absolute, { key: tail.key, openedTime: tail.openedTime });
    if (this.lastBound.size > MAX_LAST_BOUND) this.lastBound.delete(this.lastBound.keys().next().value!);
  }

  /** The path no longer names this file; a file with no name left is drained for rotate-wait, then closed. */
  private unbind(absolute: string): void {
    const tail = this.bindings.get(absolute);
    if (tail === undefined) return;
    this.bindings.delete(absolute);
    tail.boundTo.delete(absolute);
    tail.dirty = true;
    if (tail.boundTo.size === 0) tail.detachedAt = Date.now();
  }

  private async openTail(absolute: string, display: string, mode: StartMode): Promise<Tail | undefined> {
    let handle: FileHandle;
    try {
      handle = await open(absolute, 'r');
    } catch (error) {
      if (!isGone(error)) this.warnOnce(`open:${absolute}`, `${display}: ${describe(error)}`);
      return undefined;
    }
    this.warned.delete(`open:${absolute}`);
    const stats = await handle.stat();
    const key = identity(stats);
    const existing = this.tails.get(key);
    if (existing !== undefined) {
      // The path changed between stat and open, to a file already followed.
      await handle.close();
      return existing;
    }
    const checkpoint = this.options.resume?.byIdentity.get(key);
    const offset = typeof mode === 'object' ? mode.at
      : checkpoint !== undefined ? await resumeOffset(handle, stats.size, checkpoint)
      : this.options.resume?.paths.has(absolute) === true || mode === 'discovered' ? 0 // new at a known path: appeared while stopped
      : await this.initialOffset(handle, stats.size);
    // Used once: a file reached again later (a rotated name) keeps its in-memory offset.
    this.options.resume?.byIdentity.delete(key);
    const tail: Tail = {
      key,
      dev: stats.dev,
      ino: stats.ino,
      handle,
      boundTo: new Set(),
      display,
      host: this.hostOf?.(display),
      offset,
      size: stats.size,
      mtimeMs: stats.mtimeMs,
      marker: await readMarker(handle, offset),
      head: await readHead(handle, offset),
      splitter: new LineSplitter(this.maxLineBytes, this.tally),
      detachedAt: undefined,
      dirty: true,
      openedAt: absolute,
      openedTime: Date.now(),
      lineBoundary: offset,
      committed: offset,
      replayUntil: offset > 0 ? this.options.resume?.highWater.get(key) ?? 0 : 0,
      compression: undefined,
    };
    // Bytes before a start offset were skipped on purpose: a copy of them is no skipped generation either.
    if (tail.head.length === HEAD_CHECK_BYTES) this.seenHeads.add(tail.display, tail.head);
    this.tails.set(key, tail);
    return tail;
  }

  private async initialOffset(handle: FileHandle, size: number): Promise<number> {
    const start = this.options.start;
    if (start === 'beginning') return 0;
    if (start === 'end') return this.startOfLastLine(handle, size);
    return findSinceOffset(handle, size, start.now - start.sinceMs, start.lineTime, this.maxLineBytes);
  }

  /**
   * "From the end", but a line still being written at start is read whole once finished rather
   * than as a fragment: back up to its start when it is within the line cap.
   */
  private async startOfLastLine(handle: FileHandle, size: number): Promise<number> {
    const length = Math.min(size, this.maxLineBytes);
    if (length === 0) return size;
    const tailBytes = Buffer.alloc(length);
    const { bytesRead } = await handle.read(tailBytes, 0, length, size - length);
    const newline = tailBytes.subarray(0, bytesRead).lastIndexOf(0x0a);
    if (newline >= 0) return size - length + newline + 1;
    return size <= this.maxLineBytes ? 0 : size;
  }

  // ── reading ─────────────────────────────────────────────────────────────────────────────────

  private async readTurn(tail: Tail): Promise<void> {
    try {
      const more = await this.readSome(tail);
      if (more) {
        tail.dirty = true;
        return;
      }
      if (tail.detachedAt !== undefined && Date.now() - tail.detachedAt >= this.rotateWaitMs) await this.retire(tail);
    } catch (error) {
      // Kept open: closing and reopening would read it again from 0. Retried every reconcile, until rotate-wait if it lost its name.
      this.warnOnce(`read:${tail.key}`, `${tail.display}: read failed (${describe(error)}); retrying`);
      if (tail.detachedAt !== undefined && Date.now() - tail.detachedAt >= this.rotateWaitMs) await this.retire(tail);
    }
  }

  /** Reads up to the per-turn budget from the offset; true when more is waiting. */
  private async readSome(tail: Tail): Promise<boolean> {
    const stats = await tail.handle.stat();
    if (await this.isCompressed(tail, stats.size)) return false;
    const touched = stats.size > tail.offset || (stats.size === tail.offset && stats.mtimeMs !== tail.mtimeMs);
    tail.size = stats.size;
    tail.mtimeMs = stats.mtimeMs;
    // Shrunk: truncated (copytruncate). Not shrunk but the bytes before the offset changed: truncated and rewritten.
    if (stats.size < tail.offset || (touched && !(await holdsBytesReadFrom(tail.handle, tail)))) {
      this.restartFromZero(tail, await this.readRestFromCopy(tail));
    }
    let budget = READ_BUDGET_BYTES;
    while (budget > 0 && !this.closed) {
      const { bytesRead } = await tail.handle.read(this.readBuffer, 0, Math.min(READ_CHUNK_BYTES, budget), tail.offset);
      if (bytesRead === 0) return false;
      const chunk = this.readBuffer.subarray(0, bytesRead);
      const chunkStart = tail.offset;
      tail.marker = nextMarker(tail.marker, chunk);
      if (tail.head.length === chunkStart && chunkStart < HEAD_CHECK_BYTES) {
        tail.head = Buffer.concat([tail.head, chunk.subarray(0, HEAD_CHECK_BYTES - chunkStart)]);
        if (tail.head.length === HEAD_CHECK_BYTES) this.seenHeads.add(tail.display, tail.head);
      }
      tail.offset += bytesRead;
      tail.size = Math.max(tail.size, tail.offset);
      budget -= bytesRead;
      this.totals.bytes += bytesRead;
      const lines = new ChunkLines(chunk);
      tail.splitter.push(chunk, lines);
      lines.seal();
      this.emit(tail, lines, this.options.resume === undefined ? undefined : this.lineOffsets(tail, chunk, chunkStart, lines.length));
    }
    return true;
  }

  /**
   * Boundaries of the lines just split from `chunk` (for --state). Each emitted line ends at a
   * newline, except around an overlong line (cut before its newline, the rest skipped); when the
   * count of newlines does not tell which line ends where, the lines are given the boundary before
   * the chunk, so a restart reads them again rather than skipping them.
   */
  private lineOffsets(tail: Tail, chunk: Buffer, chunkStart: number, count: number): number[] {
    const newlines: number[] = [];
    for (let at = chunk.indexOf(0x0a); at >= 0; at = chunk.indexOf(0x0a, at + 1)) newlines.push(chunkStart + at + 1);
    const offsets = [tail.lineBoundary];
    // One newline more than lines: the first ended an overlong line cut in an earlier chunk.
    const skip = newlines.length - count;
    for (let index = 0; index < count; index++) {
      offsets.push(skip === 0 || skip === 1 ? newlines[index + skip]! : tail.lineBoundary);
    }
    if (skip === 0 || skip === 1) tail.lineBoundary = newlines[newlines.length - 1] ?? tail.lineBoundary;
    return offsets;
  }

  /**
   * Whether the file is compressed (a glob naming `app.log.2.gz`): then it is never read, and a
   * warning says so once (counted in `errors`). Told by its first bytes, once there are enough.
   */
  private async isCompressed(tail: Tail, size: number): Promise<boolean> {
    if (tail.compression === undefined && size > 0) {
      tail.compression = await readCompression(tail.handle);
      if (typeof tail.compression === 'string') {
        this.warn(`${tail.display}: ${tail.compression}-compressed, not text; skipped (leave compressed files out of the pattern, e.g. 'app.log' or 'app.log.[0-9]')`);
      }
    }
    // Undecided (a few bytes that begin some format's magic): not read until there are enough.
    return tail.compression !== null;
  }

  /**
   * Truncated (copytruncate) or rewritten: start over. The held partial line belonged to the old
   * content: emitted, unless `partialReadElsewhere` (a copy of the old content was read from its start).
   */
  private restartFromZero(tail: Tail, partialReadElsewhere: boolean): void {
    this.seenHeads.add(tail.display, tail.head);
    const lines: string[] = [];
    if (partialReadElsewhere) tail.splitter = new LineSplitter(this.maxLineBytes, this.tally);
    else tail.splitter.end(lines);
    this.emit(tail, lines, this.options.resume === undefined ? undefined : [tail.lineBoundary, tail.offset]);
    tail.offset = 0;
    tail.lineBoundary = 0;
    tail.replayUntil = 0;
    tail.marker = Buffer.alloc(0);
    tail.head = Buffer.alloc(0);
    tail.compression = undefined;
  }

  /**
   * The file was truncated: what was written after the last read and before the truncation is in
   * a copytruncate copy beside it, if there is one (see rotated-siblings.ts). Reads that copy from
   * the start of the line being read (so a partial line comes whole), now, before the file's new
   * content; the copy is then drained like any rotated file. True when a copy was found.
   */
  private async readRestFromCopy(tail: Tail): Promise<boolean> {
    if (tail.head.length === 0) return false;
    const from = tail.offset - tail.splitter.heldBytes;
    for (const absolute of new Set([...tail.boundTo, tail.openedAt])) {
      for (const sibling of await rotatedSiblingsSince(absolute, tail.openedTime)) {
        if (this.closed) return false;
        // A copy a pattern names too is not read on its own (`isRotatedCopy`): its rest is read here.
        if (sibling.stats.size < tail.offset || this.tails.has(identity(sibling.stats))) continue;
        if (!(await withFile(sibling.absolute, false, (handle) => holdsBytesReadFrom(handle, tail)))) continue;
        const copy = await this.openTail(sibling.absolute, tail.display, { at: from });
        if (copy === undefined) continue;
        copy.detachedAt = Date.now();
        await this.readTurn(copy);
        return true;
      }
    }
    return false;
  }


  /** Closes a file for good; a partial last line is emitted, since no writer will finish it here. */
  private async retire(tail: Tail): Promise<void> {
    this.seenHeads.add(tail.display, tail.head);
    this.tails.delete(tail.key);
    for (const absolute of tail.boundTo) this.bindings.delete(absolute);
    const lines: string[] = [];
    tail.splitter.end(lines);
    this.emit(tail, lines, this.options.resume === undefined ? undefined : [tail.lineBoundary, tail.offset]);
    await tail.handle.close().catch(() => undefined);
  }

  /** `lines`: decoded, or a chunk's to be decoded when read (see chunk-lines.ts). */
  private emit(tail: Tail, lines: string[] | ChunkLines, offsets: number[] | undefined): void {
    if (lines.length === 0) return;
    this.totals.lines += lines.length;
    if (offsets === undefined) {
      const fields = { source: tail.display, host: tail.host, arrivedAt: Date.now() };
      this.onBatch(Array.isArray(lines) ? { ...fields, lines } : chunkBatch(fields, lines));
      return;
    }
    if (!Array.isArray(lines)) lines = lines.lines();
    if (tail.replayUntil > 0) {
      for (let index = 1; index < offsets.length; index++) if (offsets[index]! <= tail.replayUntil) this.totals.replayed++;
      if (offsets[offsets.length - 1]! >= tail.replayUntil) tail.replayUntil = 0;
    }
    this.onBatch({ source: tail.display, host: tail.host, lines, arrivedAt: Date.now(), file: tail.key, offsets });
  }

  /**
   * After a restart: a followed file renamed while logwatch was stopped (`app.log` → `app.log.1`)
   * and not matched by any pattern is found next to its old path by identity, and its unread tail
   * is read once (then it is closed after rotate-wait, as any rotated file).
   */
  private async drainMovedFiles(): Promise<void> {
    const resume = this.options.resume;
    if (resume === undefined || resume.byIdentity.size === 0) return;
    const directories = new Set([...resume.byIdentity.values()].map((checkpoint) => path.dirname(checkpoint.path)));
    for (const directory of directories) {
      let names: string[];
      try {
        names = await readdir(directory);
      } catch {
        continue;
      }
      for (const name of names) {
        const candidate = path.join(directory, name);
        const stats = await stat(candidate).catch(() => undefined);
        if (stats === undefined || !stats.isFile() || !resume.byIdentity.has(identityKey(stats.dev, stats.ino))) continue;
        const tail = await this.openTail(candidate, this.known.get(resume.byIdentity.get(identityKey(stats.dev, stats.ino))!.path) ?? candidate, 'initial');
        if (tail !== undefined && tail.boundTo.size === 0) tail.detachedAt = Date.now();
      }
    }
  }

  // ── warnings ────────────────────────────────────────────────────────────────────────────────

  private warn(message: string): void {
    this.totals.errors++;
    this.options.onWarning?.(message);
  }

  private warnOnce(key: string, message: string): void {
    if (this.warned.has(key)) return;
    this.warned.add(key);
    this.warn(message);
  }
}

function identity(stats: Stats): string {
  return `${stats.dev}:${stats.ino}`;
}

async function readMarker(handle: FileHandle, offset: number): Promise<Buffer> {
  const length = Math.min(offset, OFFSET_MARKER_BYTES);
  const marker = Buffer.alloc(length);
  if (length > 0) await handle.read(marker, 0, length, offset - length);
  return marker;
}

async function readHead(handle: FileHandle, upTo: number): Promise<Buffer> {
  const head = Buffer.alloc(Math.min(upTo, HEAD_CHECK_BYTES));
  const { bytesRead } = head.length > 0 ? await handle.read(head, 0, head.length, 0) : { bytesRead: 0 };
  return head.subarray(0, bytesRead);
}

/**
 * Whether the file behind `handle` holds the bytes read from `tail`: those right before its offset
 * (Fluent Bit's marker) and its first bytes. For the tail's own file, false means truncated and
 * rewritten; for another file, true means a copy of what was read.
 */
async function holdsBytesReadFrom(handle: FileHandle, tail: Tail): Promise<boolean> {
  if (tail.marker.length > 0 && !(await readMarker(handle, tail.offset)).equals(tail.marker)) return false;
  return tail.head.length === 0 || (await readHead(handle, tail.head.length)).equals(tail.head);
}

/** `read` of the file at `absolute`, opened for it and closed after; `missing` when it cannot be opened. */
async function withFile<T>(absolute: string, missing: T, read: (handle: FileHandle) => Promise<T>): Promise<T> {
  const handle = await open(absolute, 'r').catch(() => undefined);
  if (handle === undefined) return missing;
  try {
    return await read(handle);
  } finally {
    await handle.close().catch(() => undefined);
  }
}

function nextMarker(previous: Buffer, chunk: Buffer): Buffer {
  if (chunk.length >= OFFSET_MARKER_BYTES) return Buffer.from(chunk.subarray(chunk.length - OFFSET_MARKER_BYTES));
  const joined = Buffer.concat([previous, chunk]);
  return joined.subarray(Math.max(0, joined.length - OFFSET_MARKER_BYTES));
}

function isDirectorySync(directory: string): boolean {
  try {
    return statSync(directory).isDirectory();
  } catch {
    return false;
  }
}

function errorCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string' ? error.code : undefined;
}

/** The path is not there (now): not worth a warning, since logs come and go. */
function isGone(error: unknown): boolean {
  const code = errorCode(error);
  return code === 'ENOENT' || code === 'ENOTDIR';
}

function describe(error: unknown): string {
  const code = errorCode(error);
  const message = error instanceof Error ? error.message : String(error);
  return code !== undefined && !message.includes(code) ? `${code}: ${message}` : message;
}
