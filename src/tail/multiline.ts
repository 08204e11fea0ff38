/**
 * Multi-line records: joins continuation lines (stack traces, tracebacks, wrapped messages) to the
 * record they belong to, per source. A record completes when the next one starts, when its
 * source has been quiet for a while (live mode), or at the end of input.
 *
 * The rule, as in Filebeat's `negate` multiline pattern: a record whose first line carries a
 * header (a date prefix, a syslog PRI, a JSON object) owns every following line that does not
 * carry one. Records without a header (stderr of a script, unknown formats) take only lines with
 * a recognised continuation shape. PHP's own trace lines carry a date prefix of their own
 * (`[23-Nov-2026 14:03:11 UTC] PHP   1. {main}() …`) and still continue the record before them.
 * A Go panic's goroutine dump (frames, `goroutine N [running]:`) continues the panic's record, and
 * so do the Logger-stamped backtrace lines of Rails' tagged logging.
 * A line in an envelope (Docker, CRI, the journal: formats/envelope.ts) is read for what it wraps,
 * and the envelope stamps it as a header would: it opens a record unless its shape continues one.
 */

import { readEnvelope } from '../pipeline/formats/envelope.js';
import { isRubyTraceLine, startsRubyLogger } from '../pipeline/formats/ruby.js';
import { readMonthName } from '../pipeline/formats/time.js';

/**
 * A record handed out by `flushIdle`/`flushAll`; `firstArrivedAt` is when its first line came,
 * `tags` and `index` what `pushEach` was given for that line (see `RecordSink`).
 */
export interface FlushedRecord<Tags = undefined> {
  source: string;
  lines: string[];
  firstArrivedAt: number;
  tags: Tags | undefined;
  index: number;
}

export interface MultilineOptions {
  /** A source quiet this long (ms) has its pending record flushed by `flushIdle`. */
  quietMs?: number;
  /** Lines kept per record; further continuation lines are counted in `droppedLines`. */
  maxLines?: number;
}

/** 1 s: long enough for a writer to finish a stack trace, short enough for a verdict to stay prompt. */
const DEFAULT_QUIET_MS = 1000;
/** 200 lines hold any useful stack trace; a runaway record must not hold memory without bound. */
const DEFAULT_MAX_LINES = 200;

/**
 * Receives each completed record: its first line, and its continuation lines when it has any
 * (`undefined` for the common one-line record, so that record costs no array); `tags` and
 * `index`: what the caller said of the batch its first line came in, and that line's place there
 * (the pipeline's pre-signed lines: presign.ts).
 */
export type RecordSink<Tags = undefined> = (first: string, continuation: string[] | undefined, firstArrivedAt: number, tags: Tags | undefined, index: number) => void;

/** A source's pending record and what decides its next line; reused from record to record (one less allocation per line). */
interface SourceState<Tags> {
  first: string;
  /** What `pushEach` was told of the first line's batch, and the line's index in it. */
  firstTags: Tags | undefined;
  firstIndex: number;
  /** Lines after the first, made on the first continuation line. */
  continuation: string[] | undefined;
  firstArrivedAt: number;
  /** When this source last sent a line: the quiet timer's start. */
  lastArrivedAt: number;
  /** The first line carries a header, so any line without one continues the record. */
  headed: boolean;
  /** Inside a Python traceback: its first unindented line is the exception that ends it. */
  inTraceback: boolean;
  /** Inside a Go panic's goroutine dump: its frames and `goroutine N […]:` headers continue it. */
  inGoTrace: boolean;
  /** The record's time as `flushStartedBy` was last told it (each judged second asks again otherwise). */
  time: number | undefined;
  /** The last line was an envelope's part of a longer line: the next line is its rest. */
  partOpen: boolean;
}

export class MultilineJoiner<Tags = undefined> {
  private readonly quietMs: number;
  private readonly maxLines: number;
  /** One entry per source with a record pending; removed when the record is flushed. */
  private readonly pending = new Map<string, SourceState<Tags>>();
  private dropped = 0;

  constructor(options: MultilineOptions = {}) {
    this.quietMs = options.quietMs ?? DEFAULT_QUIET_MS;
    this.maxLines = Math.max(1, options.maxLines ?? DEFAULT_MAX_LINES);
  }

  /** Continuation lines beyond `maxLines`, counted rather than kept. */
  get droppedLines(): number {
    return this.dropped;
  }

  /** Feeds one source's lines; returns the records completed by them (a record completes when the next starts). */
  push(source: string, lines: string[], arrivedAt: number): string[][] {
    const completed: string[][] = [];
    this.pushEach(source, lines, arrivedAt, (first, continuation) => completed.push(linesOf(first, continuation)));
    return completed;
  }

  /** `push`, handing each completed record to `sink` as it completes instead of collecting arrays. */
  pushEach(source: string, lines: string[], arrivedAt: number, sink: RecordSink<Tags>, tags?: Tags): void {
    if (lines.length === 0) return;
    const known = this.pending.get(source);
    let state = known;
    for (let index = 0; index < lines.length; index++) {
      const line = lines[index]!;
      // Lines are kept as read; what decides is the line the application wrote (formats/envelope.ts).
      const envelope = readEnvelope(line);
      const text = envelope?.text ?? line;
      if (state === undefined) {
        state = startRecord<Tags>(line, text, arrivedAt, envelope !== undefined);
        state.firstTags = tags;
        state.firstIndex = index;
      } else {
        const next = state.partOpen ? LineKind.Continues : nextLineKind(state, text, envelope !== undefined);
        if (next === LineKind.Continues) {
          this.append(state, line, text);
        } else {
          sink(state.first, state.continuation, state.firstArrivedAt, state.firstTags, state.firstIndex);
          restartRecord(state, line, text, arrivedAt, next === LineKind.StartsHeaded);
          state.firstTags = tags;
          state.firstIndex = index;
        }
      }
      state.partOpen = envelope?.partial === true;
    }
    state!.lastArrivedAt = arrivedAt;
    if (known === undefined) this.pending.set(source, state!);
  }

  /** Records whose source has been quiet for quietMs by `now` (call periodically in live mode). */
  flushIdle(now: number): Array<FlushedRecord<Tags>> {
    const quiet = [...this.pending].filter(([, state]) => now - state.lastArrivedAt >= this.quietMs);
    return quiet.map(([source]) => this.flushSource(source)!);
  }

  /**
   * Records whose time (`timeOf` their first line) is at or before `until`: live detection is
   * about to judge that second, and a record held for a continuation that has not come would be
   * counted after its second was judged (a replay counts it in time).
   */
  flushStartedBy(until: number, timeOf: (first: string, firstArrivedAt: number) => number): Array<FlushedRecord<Tags>> {
    const due = [...this.pending].filter(([, state]) => (state.time ??= timeOf(state.first, state.firstArrivedAt)) <= until);
    return due.map(([source]) => this.flushSource(source)!);
  }

  /** The record pending for `source`, if any: that source's input ended. */
  flushSource(source: string): FlushedRecord<Tags> | undefined {
    const state = this.pending.get(source);
    if (state === undefined) return undefined;
    this.pending.delete(source);
    return { source, lines: linesOf(state.first, state.continuation), firstArrivedAt: state.firstArrivedAt, tags: state.firstTags, index: state.firstIndex };
  }

  /** Everything pending (end of input). */
  flushAll(): Array<FlushedRecord<Tags>> {
    return [...this.pending.keys()].map((source) => this.flushSource(source)!);
  }

  private append(state: SourceState<Tags>, line: string, text: string): void {
    if (startsGoTrace(text)) state.inGoTrace = true;
    if (startsTraceback(text)) state.inTraceback = true;
    else if (state.inTraceback && !startsWithSpace(text) && text.length > 0) state.inTraceback = false;
    const kept = 1 + (state.continuation?.length ?? 0);
    if (kept >= this.maxLines) this.dropped++;
    else if (state.continuation === undefined) state.continuation = [line];
    else state.continuation.push(line);
  }
}

function linesOf(first: string, continuation: string[] | undefined): string[] {
  return continuation === undefined ? [first] : [first, ...continuation];
}

/** `text`: what the line says (`line` itself unless an envelope wraps it, which stamps it like a header). */
function startRecord<Tags>(line: string, text: string, arrivedAt: number, enveloped: boolean): SourceState<Tags> {
  return {
    first: line, firstTags: undefined, firstIndex: 0, continuation: undefined, firstArrivedAt: arrivedAt, lastArrivedAt: arrivedAt,
    headed: enveloped || startsHeader(text), inTraceback: startsTraceback(text), inGoTrace: startsGoTrace(text), time: undefined, partOpen: false,
  };
}

/** The source's state now holds a record that `line` (saying `text`) starts; `headed`: whether the text carries a header. */
function restartRecord<Tags>(state: SourceState<Tags>, line: string, text: string, arrivedAt: number, headed: boolean): void {
  state.first = line;
  state.continuation = undefined;
  state.firstArrivedAt = arrivedAt;
  state.headed = headed;
  state.inTraceback = startsTraceback(text);
  state.inGoTrace = startsGoTrace(text);
  state.time = undefined;
}

/** What a line is to the pending record; a line that starts a new one says whether it carries a header, so that is tested once. */
const enum LineKind {
  Continues,
  StartsHeaded,
  StartsUnheaded,
}

/**
 * Whether `line` belongs to the pending record rather than starting a new one. A line that came in
 * an envelope (`enveloped`) is stamped by it, as a header would: it opens a record unless its shape
 * continues one (a trace frame), whatever the record before it.
 */
function nextLineKind<Tags>(state: SourceState<Tags>, line: string, enveloped: boolean): LineKind {
  if (line.length === 0 || startsWithSpace(line)) return LineKind.Continues; // blank and indented lines never start a record
  if (isPhpTraceLine(line) || isRubyTraceLine(line)) return LineKind.Continues;
  if (state.inGoTrace && isGoTraceLine(line)) return LineKind.Continues;
  if (startsHeader(line)) return LineKind.StartsHeaded;
  if (state.inTraceback || hasContinuationShape(line)) return LineKind.Continues;
  if (enveloped) return LineKind.StartsHeaded;
  return state.headed ? LineKind.Continues : LineKind.StartsUnheaded;
}

function startsWithSpace(line: string): boolean {
  const code = line.charCodeAt(0);
  return code === 32 || code === 9;
}

function startsTraceback(line: string): boolean {
  return line.startsWith('Traceback (most recent call last):');
}

/** A Go panic or fatal error (`panic: …`, `fatal error: …`), or a goroutine dump's first line: a goroutine dump follows. */
function startsGoTrace(line: string): boolean {
  // One character rules out almost every line: this runs for each record and continuation line.
  const first = line.charCodeAt(0);
  if (first !== 112 /* p */ && first !== 102 /* f */ && first !== 103 /* g */) return false;
  return line.startsWith('panic: ') || line.startsWith('fatal error: ') || isGoroutineHeader(line);
}

/** `goroutine 18 [running]:`. */
function isGoroutineHeader(line: string): boolean {
  return line.startsWith('goroutine ') && isDigit(line.charCodeAt(10)) && line.endsWith(']:');
}

/**
 * Lines of a Go goroutine dump (their file lines are tab-indented and continue anyway): goroutine
 * headers, `created by …`, `[signal SIGSEGV: …]`, and frames, a function and its arguments
 * (`main.main()`, `net/http.(*conn).serve.func1()`, `panic({0x6b3e00?, 0xc00001c0a8?})`).
 */
function isGoTraceLine(line: string): boolean {
  if (isGoroutineHeader(line) || line.startsWith('created by ') || line.startsWith('[signal ')) return true;
  const open = line.indexOf('(');
  return open > 0 && line.endsWith(')') && line.lastIndexOf(' ', open) < 0;
}

/** Lines that continue a record even without a header before them (Java, Python, PHP on stderr). */
const CONTINUATION_PREFIXES = [
  'Stack trace:', 'Caused by: ', 'Suppressed: ', 'Traceback (most recent call last):',
  'During handling of the above exception', 'The above exception was the direct cause', '... ',
];

function hasContinuationShape(line: string): boolean {
  if (line.charCodeAt(0) === 35 /* # */ && isDigit(line.charCodeAt(1))) return true; // PHP `#0 /path…`
  return CONTINUATION_PREFIXES.some((prefix) => line.startsWith(prefix));
}

/** Bracketed fields skipped before looking for a PHP trace line (`[date] [level] [pid] [client]`). */
const MAX_BRACKET_FIELDS = 6;

/**
 * PHP trace lines, with or without the date (and Apache fields) PHP puts before each:
 * `PHP Stack trace:`, `PHP   1. {main}() …` (Xdebug), and the date-stamped forms of
 * `Stack trace:`, `#0 …` and `  thrown in …` that some setups write.
 */
function isPhpTraceLine(line: string): boolean {
  let p = 0;
  for (let field = 0; field < MAX_BRACKET_FIELDS && line.charCodeAt(p) === 91 /* [ */; field++) {
    const close = line.indexOf(']', p);
    if (close < 0) return false;
    p = close + 1;
    while (line.charCodeAt(p) === 32) p++;
  }
  // One character picks the one form that can follow: most lines are records, and each form
  // tested in turn cost a comparison per line.
  const first = line.charCodeAt(p);
  if (first === 80 /* P */) return line.startsWith('PHP ', p) && isPhpTraceBody(line, p + 4);
  if (p === 0) return false;
  if (first === 83 /* S */) return line.startsWith('Stack trace:', p);
  if (first === 116 /* t */) return line.startsWith('thrown in ', p);
  return first === 35 /* # */ && isDigit(line.charCodeAt(p + 1));
}

/** After `PHP `: `Stack trace:`, or an Xdebug frame (`  12. name() /path:line`). */
function isPhpTraceBody(line: string, start: number): boolean {
  if (line.charCodeAt(start) === 83 /* S */) return line.startsWith('Stack trace:', start);
  let p = start;
  while (line.charCodeAt(p) === 32) p++;
  const digits = p;
  while (isDigit(line.charCodeAt(p))) p++;
  return p > digits && line.charCodeAt(p) === 46 /* . */;
}

/**
 * A line that opens a record of its own: a date prefix (PHP, Monolog, Apache, ISO, nginx), a
 * syslog PRI or BSD month-day time, a JSON object, a PHP error label on stderr, or Ruby's Logger.
 */
function startsHeader(line: string): boolean {
  const first = line.charCodeAt(0);
  if (first === 91 /* [ */) return isDigit(line.charCodeAt(1)) ? isBracketedDate(line) : isApacheDate(line);
  if (isDigit(first)) return isNumericDate(line, 0);
  if (first === 60 /* < */) return isPriority(line);
  if (first === 123 /* { */) return true;
  if (line.startsWith('PHP ')) return isUpper(line.charCodeAt(4));
  return startsRubyLogger(line) || isMonthDayTime(line, 0);
}

/** `[23-Nov-2026` or `[2026-11-24`. */
function isBracketedDate(line: string): boolean {
  if (line.charCodeAt(3) === 45 /* - */) return isDigit(line.charCodeAt(2)) && isMonthName(line, 4) && line.charCodeAt(7) === 45;
  return isNumericDate(line, 1);
}

/** `[Tue Nov 24 `. */
function isApacheDate(line: string): boolean {
  return isUpper(line.charCodeAt(1)) && line.charCodeAt(4) === 32 && isMonthName(line, 5) && line.charCodeAt(8) === 32;
}

/** `2026-11-24` or `2026/11/24` at `start`. */
function isNumericDate(line: string, start: number): boolean {
  for (let i = start; i < start + 4; i++) if (!isDigit(line.charCodeAt(i))) return false;
  const separator = line.charCodeAt(start + 4);
  return (separator === 45 || separator === 47) && line.charCodeAt(start + 7) === separator
    && isDigit(line.charCodeAt(start + 5)) && isDigit(line.charCodeAt(start + 8));
}

/** `<34>`. */
function isPriority(line: string): boolean {
  const close = line.indexOf('>');
  if (close < 2 || close > 4) return false;
  for (let i = 1; i < close; i++) if (!isDigit(line.charCodeAt(i))) return false;
  return true;
}

/** `Nov 24 01:05:25` / `Nov  4 01:05:25`. */
function isMonthDayTime(line: string, start: number): boolean {
  return isMonthName(line, start) && line.charCodeAt(start + 3) === 32 && line.charCodeAt(start + 9) === 58
    && line.charCodeAt(start + 12) === 58;
}

/** Read from the characters in place (the header parser's reader): a slice per line was garbage. */
function isMonthName(line: string, start: number): boolean {
  return isUpper(line.charCodeAt(start)) && readMonthName(line, start) > 0;
}

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

function isUpper(code: number): boolean {
  return code >= 65 && code <= 90;
}
