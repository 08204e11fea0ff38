/**
 * Read offsets kept across restarts (`watch --state DIR`), so a stopped and restarted watch
 * neither loses nor repeats a line.
 *
 * - **Checkpoints** (`checkpoints.json`) say, per file, how far the pipeline has consumed it. They
 *   are written as Vector writes its own: to a temp file, fsync-ed, then renamed over the old one,
 *   so a crash leaves either the old or the new file, never half of one.
 * - **Identity** is (dev, ino) plus a hash of the file's first bytes, because inodes are reused;
 *   a **marker** (hash of the up to 32 bytes before the offset, as Fluent Bit's) catches a file
 *   truncated and rewritten while logwatch was down. Either mismatch means "read from 0".
 * - **High-water log** (`consumed.log`): before lines are handed to the pipeline, `file offset`
 *   is appended (no fsync: the page cache survives SIGKILL). After an unclean stop the lines
 *   between the checkpoint and that mark are read again — at-least-once — and counted as
 *   `replayed`. After SIGINT/SIGTERM the last checkpoint is exact, so nothing is replayed.
 */
import { createHash } from 'node:crypto';
import { closeSync, ftruncateSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { replaceFileAtomically } from './atomic-file.js';

/** Bytes hashed for a file's identity: enough to tell two logs apart by their first line(s). */
export const HEAD_BYTES = 256;
/** Bytes before the offset hashed as its marker (Fluent Bit uses 32). */
export const MARKER_BYTES = 32;
const CHECKPOINTS = 'checkpoints.json';
const CHECKPOINTS_TEMP = 'checkpoints.new.json';
const HIGH_WATER = 'consumed.log';
const FORMAT_VERSION = 1;

/** Where one file was consumed up to, and how to recognise that file again. */
export interface FileCheckpoint {
  /** Absolute path the file had when saved: a file newly at this path after a restart is read from 0. */
  path: string;
  dev: number;
  ino: number;
  /** Hash of the first `headLength` bytes. */
  head: string;
  headLength: number;
  /** First byte not yet consumed: the start of a line (or of a multi-line record still open). */
  offset: number;
  /** Hash of the up to MARKER_BYTES bytes before `offset`. */
  marker: string;
}

interface StateFile {
  version: number;
  /** True only when written by a clean stop: the offsets are then exact. */
  clean: boolean;
  files: FileCheckpoint[];
}

/** What a previous run left behind, as the follower uses it. */
export interface ResumePoints {
  /** By `${dev}:${ino}`. */
  byIdentity: Map<string, FileCheckpoint>;
  /** Paths the previous run followed: a file found there under a new identity appeared while stopped. */
  paths: Set<string>;
  /** By `${dev}:${ino}`: how far the previous run may have consumed past its checkpoint (unclean stop only). */
  highWater: Map<string, number>;
}

export function identityKey(dev: number, ino: number): string {
  return `${dev}:${ino}`;
}

export class StateStore {
  private readonly directory: string;
  private highWaterFd: number | undefined;

  constructor(directory: string, private readonly warn: (message: string) => void) {
    this.directory = path.resolve(directory);
    mkdirSync(this.directory, { recursive: true });
  }

  /** The previous run's checkpoints; a missing or unreadable state means a fresh start (with a warning when unreadable). */
  load(): ResumePoints {
    const resume: ResumePoints = { byIdentity: new Map(), paths: new Set(), highWater: new Map() };
    const state = this.readState();
    if (state === undefined) return resume;
    for (const checkpoint of state.files) {
      resume.byIdentity.set(identityKey(checkpoint.dev, checkpoint.ino), checkpoint);
      resume.paths.add(checkpoint.path);
    }
    if (!state.clean) this.readHighWater(resume.highWater);
    return resume;
  }

  /** Replaces the checkpoints atomically (temp, fsync, rename, fsync dir), then starts a fresh high-water log. */
  save(files: FileCheckpoint[], clean: boolean): void {
    const state: StateFile = { version: FORMAT_VERSION, clean, files };
    replaceFileAtomically(path.join(this.directory, CHECKPOINTS), JSON.stringify(state), path.join(this.directory, CHECKPOINTS_TEMP));
    // Marks below the new checkpoints are obsolete; marks written from now on are above them.
    if (this.highWaterFd !== undefined) ftruncateSync(this.highWaterFd, 0);
  }

  /** Notes, before lines are handed on, that `file` will be consumed up to `offset`. */
  noteConsumed(file: string, offset: number): void {
    this.highWaterFd ??= openSync(path.join(this.directory, HIGH_WATER), 'a');
    writeSync(this.highWaterFd, `${file} ${offset}\n`);
  }

  close(): void {
    if (this.highWaterFd !== undefined) closeSync(this.highWaterFd);
    this.highWaterFd = undefined;
  }

  private readState(): StateFile | undefined {
    const file = path.join(this.directory, CHECKPOINTS);
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') this.warn(`state: ${file} unreadable (${String(error)}); starting without saved offsets`);
      return undefined;
    }
    const state = parseState(text);
    if (state === undefined) this.warn(`state: ${file} is corrupt; starting without saved offsets`);
    return state;
  }

  private readHighWater(into: Map<string, number>): void {
    let text: string;
    try {
      text = readFileSync(path.join(this.directory, HIGH_WATER), 'utf8');
    } catch {
      return;
    }
    for (const line of text.split('\n')) {
      const [file, offsetText] = line.split(' ');
      const offset = Number(offsetText);
      if (file === undefined || file === '' || !Number.isSafeInteger(offset)) continue;
      into.set(file, Math.max(into.get(file) ?? 0, offset));
    }
  }
}

function parseState(text: string): StateFile | undefined {
  try {
    const value = JSON.parse(text) as Partial<StateFile>;
    if (value.version !== FORMAT_VERSION || !Array.isArray(value.files) || !value.files.every(isCheckpoint)) return undefined;
    return { version: value.version, clean: value.clean === true, files: value.files };
  } catch {
    return undefined;
  }
}

function isCheckpoint(value: unknown): value is FileCheckpoint {
  if (typeof value !== 'object' || value === null) return false;
  const c = value as Record<string, unknown>;
  return typeof c['path'] === 'string' && typeof c['head'] === 'string' && typeof c['marker'] === 'string'
    && [c['dev'], c['ino'], c['headLength'], c['offset']].every((n) => Number.isSafeInteger(n) && (n as number) >= 0);
}


function hash(bytes: Buffer): string {
  return createHash('sha1').update(bytes).digest('hex');
}

async function readRange(handle: FileHandle, start: number, length: number): Promise<Buffer> {
  const bytes = Buffer.alloc(length);
  const { bytesRead } = length > 0 ? await handle.read(bytes, 0, length, start) : { bytesRead: 0 };
  return bytes.subarray(0, bytesRead);
}

/** The checkpoint of an open file consumed up to `offset`. */
export async function checkpointOf(handle: FileHandle, filePath: string, dev: number, ino: number, offset: number): Promise<FileCheckpoint> {
  const head = await readRange(handle, 0, HEAD_BYTES);
  const markerLength = Math.min(offset, MARKER_BYTES);
  const marker = await readRange(handle, offset - markerLength, markerLength);
  return { path: filePath, dev, ino, head: hash(head), headLength: head.length, offset, marker: hash(marker) };
}

/**
 * Where to resume an open file from its checkpoint: the offset when the file is provably the
 * same and unchanged up to it, else 0 (inode reused, or truncated and rewritten while stopped).
 */
export async function resumeOffset(handle: FileHandle, size: number, checkpoint: FileCheckpoint): Promise<number> {
  if (checkpoint.offset > size || checkpoint.headLength > size) return 0;
  const head = await readRange(handle, 0, checkpoint.headLength);
  if (hash(head) !== checkpoint.head) return 0;
  const markerLength = Math.min(checkpoint.offset, MARKER_BYTES);
  const marker = await readRange(handle, checkpoint.offset - markerLength, markerLength);
  return hash(marker) === checkpoint.marker ? checkpoint.offset : 0;
}
