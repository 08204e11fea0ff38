/**
 * `--since`: where in a file the last N minutes begin, found by binary search over byte offsets
 * so a multi-gigabyte log is positioned with a few dozen small reads. Time comes from a caller's
 * `lineTime` (the header parser's extractor), so tail never imports the pipeline.
 */
import type { FileHandle } from 'node:fs/promises';

/** Extracts a line's event time in epoch ms, or undefined when the line carries none. */
export type LineTime = (line: string) => number | undefined;

const NEWLINE = 0x0a;
/** Below this span the search reads lines one by one: cheaper than more probes. */
const LINEAR_SCAN_BYTES = 64 * 1024;

interface TimedLine {
  start: number;
  /** Offset of the next line. */
  next: number;
  time: number;
}

/** One line as the search sees it: its bounds and its text cut at the cap. */
type LineVisitor = (start: number, next: number, text: string) => boolean;

/**
 * The offset of the first line whose time is ≥ `notBefore`, assuming times rise through the file
 * (lines without a time are stepped over). Returns `size` when every timed line is older, and 0
 * when no line has a time at all (the caller then reads everything rather than guess).
 */
export async function findSinceOffset(file: FileHandle, size: number, notBefore: number, lineTime: LineTime, maxLineBytes: number): Promise<number> {
  const reader = new LineReader(file, size, maxLineBytes);
  let low = 0; // a line start; timed lines before it are older than notBefore
  let high = size; // the answer is a line starting in [low, high), or `best`
  let best: number | undefined;
  let sawTime = false;
  while (high - low > LINEAR_SCAN_BYTES) {
    const middle = low + Math.floor((high - low) / 2);
    const probe = await reader.firstTimed(await reader.lineStartAtOrAfter(middle), high, lineTime);
    if (probe === undefined) {
      high = middle; // lines from `middle` to `high` carry no time
      continue;
    }
    sawTime = true;
    if (probe.time < notBefore) {
      low = probe.next;
    } else {
      best = probe.start;
      high = middle;
    }
  }
  let found: number | undefined;
  await reader.scan(low, high, (start, _next, text) => {
    const time = lineTime(text);
    if (time === undefined) return false;
    sawTime = true;
    if (time < notBefore) return false;
    found = start;
    return true;
  });
  if (found !== undefined) return found;
  if (best !== undefined) return best;
  return sawTime ? size : 0;
}

/** Reads whole lines at arbitrary offsets through small windows. */
class LineReader {
  private readonly window: Buffer;

  constructor(
    private readonly file: FileHandle,
    private readonly size: number,
    private readonly maxLineBytes: number,
  ) {
    this.window = Buffer.alloc(Math.max(64 * 1024, 2 * maxLineBytes));
  }

  /** The start of the first line that begins at or after `position`. */
  async lineStartAtOrAfter(position: number): Promise<number> {
    if (position <= 0) return 0;
    const newline = await this.nextNewline(position - 1);
    return newline < 0 ? this.size : newline + 1;
  }

  async firstTimed(from: number, limit: number, lineTime: LineTime): Promise<TimedLine | undefined> {
    let found: TimedLine | undefined;
    await this.scan(from, limit, (start, next, text) => {
      const time = lineTime(text);
      if (time === undefined) return false;
      found = { start, next, time };
      return true;
    });
    return found;
  }

  /** Visits lines starting in [from, limit) (`from` must be a line start) until the visitor returns true. */
  async scan(from: number, limit: number, visit: LineVisitor): Promise<void> {
    let lineStart = from;
    while (lineStart < limit && lineStart < this.size) {
      const { bytesRead } = await this.file.read(this.window, 0, this.window.length, lineStart);
      if (bytesRead === 0) return;
      const newline = this.window.indexOf(NEWLINE, 0);
      if (newline < 0 || newline >= bytesRead) {
        // An overlong line, or the unterminated last one: judge it by its first bytes.
        const text = this.text(0, Math.min(bytesRead, this.maxLineBytes)); // before nextNewline reuses the window
        const next = bytesRead < this.window.length ? lineStart + bytesRead : await this.lineStartAtOrAfter(lineStart + bytesRead);
        if (visit(lineStart, next, text)) return;
        lineStart = next;
        continue;
      }
      let position = 0;
      while (lineStart + position < limit) {
        const end = this.window.indexOf(NEWLINE, position);
        if (end < 0 || end >= bytesRead) break;
        if (visit(lineStart + position, lineStart + end + 1, this.text(position, Math.min(end, position + this.maxLineBytes)))) return;
        position = end + 1;
      }
      lineStart += position;
    }
  }

  private text(start: number, end: number): string {
    const trimmed = end > start && this.window[end - 1] === 0x0d ? end - 1 : end;
    return this.window.toString('utf8', start, trimmed);
  }

  /** Offset of the first newline at or after `position`, or -1 when there is none before EOF. */
  private async nextNewline(position: number): Promise<number> {
    let at = position;
    while (at < this.size) {
      const { bytesRead } = await this.file.read(this.window, 0, this.window.length, at);
      if (bytesRead === 0) return -1;
      const newline = this.window.indexOf(NEWLINE, 0);
      if (newline >= 0 && newline < bytesRead) return at + newline;
      at += bytesRead;
    }
    return -1;
  }
}
