/**
 * A followed log's rotated siblings (`app.log.3`, `app.log-20261124`): where lines the path no
 * longer shows can still be read.
 *
 * - A skipped generation. A follower opens the file a path names when it looks; under fast
 *   rotation on a busy machine a whole generation can be created, written and renamed before the
 *   next look, and a glob that names only `app.log` never sees it again (`tail -F`, Vector and
 *   Filebeat lose it unless the rotated names are in the glob). When a path turns out to name
 *   another file, a sibling holding a file never opened, written since the path's previous file
 *   was opened, whose first bytes are none already read, is such a generation.
 * - A copytruncate copy. Lines written after the follower's last read and before the truncation
 *   are gone from the file, but they are in the copy: a sibling whose first bytes and the bytes
 *   before the follower's offset are those it read holds them past that offset. When a glob names
 *   the rotated files too (`app.log*`), such a copy is not read again as a file of its own.
 */
import type { Stats } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';

/**
 * Rotated names are the log's name, one of these, then a digit: `.1`, `-20261124`, `.2026-11-24`
 * (logrotate's numbers and dateext). Not `.lock`, `.tmp` or `-backup`: files that only share the name.
 */
const ROTATED_NAME_SEPARATORS = ['.', '-', '_'];
/** Compressed generations (logrotate's `compress`) are copies of one already read, and not text. */
const COMPRESSED_SUFFIX = /\.(gz|bz2|xz|zst|lz4|zip|Z)$/;
/** Files stat-ed at once while looking. */
const STATS_AT_ONCE = 8;
/** First bytes remembered per log: its latest generations and the contents truncated away. */
const HEADS_PER_LOG = 8;
/** Logs whose first bytes are remembered (a log is a path followed, and there are seldom more). */
const MAX_LOGS = 20_000;

export interface RotatedSibling {
  absolute: string;
  stats: Stats;
}

/**
 * Regular files beside `absolute` under a rotated form of its name, last written at or after
 * `since` (ms), oldest first (the order they were written in).
 */
export async function rotatedSiblingsSince(absolute: string, since: number): Promise<RotatedSibling[]> {
  const directory = path.dirname(absolute);
  const base = path.basename(absolute);
  let names: string[];
  try {
    names = await readdir(directory);
  } catch {
    return [];
  }
  const candidates = names.filter((name) => isRotatedName(name, base)).map((name) => path.join(directory, name));
  const found: RotatedSibling[] = [];
  // A few at a time: a directory of many rotated files must not hold up the reads sharing libuv's pool.
  for (let from = 0; from < candidates.length; from += STATS_AT_ONCE) {
    const batch = candidates.slice(from, from + STATS_AT_ONCE);
    const stats = await Promise.all(batch.map((candidate) => stat(candidate).catch(() => undefined)));
    stats.forEach((entry, index) => {
      if (entry !== undefined && entry.isFile() && entry.mtimeMs >= since) found.push({ absolute: batch[index]!, stats: entry });
    });
  }
  return found.sort((a, b) => a.stats.mtimeMs - b.stats.mtimeMs);
}

/**
 * The paths `absolute` is a rotated name of (`app.log.1` → `app.log`; `app.log-2026.11.24` →
 * `app.log` and `app.log-2026.11`): the inverse of the naming rule above, longest base last.
 */
export function rotatedBasesOf(absolute: string): string[] {
  const directory = path.dirname(absolute);
  const name = path.basename(absolute);
  const bases: string[] = [];
  for (let at = 1; at < name.length - 1; at++) {
    const base = name.slice(0, at);
    if (isRotatedName(name, base)) bases.push(path.join(directory, base));
  }
  return bases;
}

function isRotatedName(name: string, base: string): boolean {
  return name.length > base.length + 1
    && name.startsWith(base)
    && ROTATED_NAME_SEPARATORS.includes(name[base.length]!)
    && isDigitCode(name.charCodeAt(base.length + 1))
    && !COMPRESSED_SUFFIX.test(name);
}

function isDigitCode(code: number): boolean {
  return code >= 48 && code <= 57;
}

/**
 * The first bytes of the files (and of every content a truncated file had) read so far, per log
 * (the path followed, as shown): logs of several hosts often begin with the same bytes (one
 * message, one second), and a generation of one is not a copy of another's. The latest few per
 * log, since only a log's recent generations can be mistaken for skipped ones; and only so many
 * logs, the least recently added to forgotten first.
 */
export class SeenHeads {
  private readonly byLog = new Map<string, string[]>();

  add(log: string, head: Buffer): void {
    if (head.length === 0) return;
    const key = head.toString('latin1');
    const heads = this.byLog.get(log) ?? [];
    this.byLog.delete(log);
    this.byLog.set(log, heads);
    if (heads.includes(key)) return;
    heads.push(key);
    if (heads.length > HEADS_PER_LOG) heads.shift();
    if (this.byLog.size > MAX_LOGS) this.byLog.delete(this.byLog.keys().next().value!);
  }

  has(log: string, head: Buffer): boolean {
    return head.length > 0 && (this.byLog.get(log)?.includes(head.toString('latin1')) ?? false);
  }

  /** The first bytes remembered for `log`, as latin1 text. */
  of(log: string): readonly string[] {
    return this.byLog.get(log) ?? [];
  }
}
