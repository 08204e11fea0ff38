/**
 * The masker: one left-to-right pass over a message's first line that replaces what varies
 * between occurrences of the same error (numbers, ids, addresses, times, data) with placeholders
 * and keeps what names the error (words, identifiers, telling values, status codes).
 *
 * Hot path: a word without digits, `=`, `@` or an opening quote is copied as it is — hashed while
 * it is scanned and added to a run of copied words, with no substring made — so a line of a known
 * template is one pass over its characters and its template string is never built (`scanLine`).
 * Only the other words go through the classifiers below: hand-written character checks, not
 * regexes. Every step is linear in the line (closing-quote searches are shared across a line).
 *
 * Judgement calls, documented here because they shape every template:
 * - A quoted run of several words ('can continue previous list') is data → `<STR>`, unless it
 *   opens with an upper-case command (`"GET /a HTTP/1.1"`): then GET and POST stay apart. A quoted
 *   single word ('listing_id') is usually an identifier → kept, with its digits masked as usual.
 * - The word after `user`, `username`, `host`, `hostname` or `table` is a name that varies → `<*>`.
 * - Letters followed by digits (`ssh2`, `utf8`, `web12`) stay literal: they are more often names
 *   than values, and the catalog merges host-like words that really vary.
 * - The value of `key=value` is masked whatever it is (`mode=fast` → `mode=<*>`) unless the key
 *   names the error kind (`status=500`) or the value is telling.
 * - Integers after a word naming the error kind stay literal: `status`, `code`, `errno`, `exit`,
 *   `SQLSTATE`, `error`, `signal`, `rc` (any integer); `HTTP/1.1`, `returned` (100–599 only, so
 *   "returned 5 rows" is still masked); and in a line mentioning SQLSTATE, four-digit integers
 *   1000–4999 (MySQL error numbers such as 1062, 1264).
 * - A number followed by a unit word is one size or duration (`5.2 KB` → `<SIZE>`), even at a type
 *   boundary (`128 seconds`); the same quantity restated in parentheses right after it in another
 *   unit (`1190 bytes (1.16 KB)`) is part of that value, so both forms share a template.
 * - A type-boundary integer is telling (see telling.ts) except where it cannot be a counter or an
 *   id: a position (`line 128`, `col 255`, `Db.php:255`), part of a name, version or range
 *   (`node-128`, `1.2.255`, `[1-127]`), and — for 8- and 16-bit boundaries only — after a time word
 *   in the same line (`Times: total = 40, boot = -127`). `id:2147483647` and `host:65535` stay.
 */
import type { Telling } from './model.js';
import { tellingFor } from './telling.js';
import { TWO_LANE_HASH } from './two-lane-hash.js';

/** Module constants, not imported bindings: see two-lane-hash.ts. */
const { LANE_A, LANE_B, SEED_A, SEED_B } = TWO_LANE_HASH;

/** The masked first line: template, the masked values in template order, telling values. */
export interface MaskedLine {
  template: string;
  values: string[];
  telling: Telling[];
}


export const NUM = '<NUM>';
export const HEX = '<HEX>';
export const UUID = '<UUID>';
export const IP = '<IP>';
export const EMAIL = '<EMAIL>';
export const DATE = '<DATE>';
export const TIME = '<TIME>';
export const DUR = '<DUR>';
export const SIZE = '<SIZE>';
export const STR = '<STR>';
/** Any other variable part: `key=value` values, ids that start with digits, merged words. */
export const ANY = '<*>';

/** Every placeholder a template may contain; the catalog relies on this list to map values. */
export const PLACEHOLDERS: readonly string[] = [NUM, HEX, UUID, IP, EMAIL, DATE, TIME, DUR, SIZE, STR, ANY];

/** What the first scan of a word found: only digits, some digits or `=`/`@`, or neither. */
const enum WordShape {
  Plain,
  Integer,
  Mixed,
}

/**
 * How a preceding word qualifies the integer after it: `any` and `http` keep error kinds literal;
 * `label` says the integer is a position or part of a name — `line 128`, `a.php:255`,
 * `node-128`, `1.2.255`, `[1-127]` — so it is masked even at a type boundary: no counter or id
 * overflows there.
 */
type KindHint = 'any' | 'http' | 'label' | undefined;

/** Words after which an integer is a position in a file, never a counter. */
const POSITION_WORDS: readonly string[] = ['line', 'lineno', 'col', 'column'];

/** Source-file extensions: in `Db.php:128` the number after the colon is a line. */
const SOURCE_EXTENSIONS: ReadonlySet<string> = new Set([
  'php', 'inc', 'js', 'mjs', 'cjs', 'ts', 'tsx', 'jsx', 'py', 'rb', 'java', 'kt', 'scala', 'go', 'rs', 'c', 'h', 'cc', 'cpp', 'hpp', 'cs', 'pl', 'swift',
]);

/**
 * Words after which a line's numbers are times (`Times: total = 40, boot = -127`, `took 255`):
 * there an 8- or 16-bit boundary is an everyday magnitude, not an overflow. Matched lazily, once
 * per line, only when such a boundary shows up; word boundaries keep `lifetime` out.
 */
const TIME_WORDS = /\b(?:time|times|timing|timings|took|elapsed|duration|latency|uptime)\b/gi;

/** Where the first time word of `line[from…]` starts in `line`, or -1, as if the text were cut at `from`. */
function timeWordFrom(line: string, from: number): number {
  // Cut, `\b` holds at the text's start; in place it does not when a word character precedes it.
  const cut = from > 0 && isWordChar(line.charCodeAt(from - 1));
  const text = cut ? line.slice(from) : line;
  TIME_WORDS.lastIndex = cut ? 0 : from;
  const match = TIME_WORDS.exec(text);
  if (match === null) return -1;
  return cut ? match.index + from : match.index;
}

const isWordChar = (c: number): boolean => isAlnum(c) || c === 95;

/** Longest telling literal a time word can excuse: `-65536` (8- and 16-bit boundaries only). */
const MAX_TIME_COINCIDENCE_LENGTH = 6;

/** Words after which any integer names the error kind, not an instance. */
const KIND_WORDS: readonly string[] = [
  'status', 'code', 'errno', 'exit', 'sqlstate', 'error', 'err', 'signal', 'rc', 'exitcode', 'exit_code',
  'statuscode', 'status_code', 'http_status', 'httpstatus', 'response_code', 'http_code',
];

/**
 * Lower-case words matched against a stretch of a line, ignoring ASCII case, without copying
 * it: the masker asks about the word before every integer and every plain word, so a slice and
 * `toLowerCase` each time would be most of its garbage.
 */
class WordTable<T> {
  private readonly byLength: { word: string; value: T }[][] = [];

  constructor(entries: readonly (readonly [string, T])[]) {
    for (const [word, value] of entries) (this.byLength[word.length] ??= []).push({ word, value });
  }

  get(text: string, from: number, to: number): T | undefined {
    const candidates = this.byLength[to - from];
    if (candidates === undefined) return undefined;
    for (const { word, value } of candidates) if (startsWithIgnoringCase(text, from, word)) return value;
    return undefined;
  }
}

/** Whether `line[start, end)` is `user`, `host`, `table`…: a word whose next word is a name that varies. */
function namesValue(line: string, start: number, end: number): boolean {
  const length = end - start;
  if (length < 4 || length > 8) return false;
  const first = line.charCodeAt(start) | 32;
  return (first === 117 || first === 104 || first === 116) && VALUE_NAMING_WORDS.get(line, start, end) === true; // u, h, t
}

/** Whether `text` at `from` reads `lower` (lower case), ignoring ASCII case. */
function startsWithIgnoringCase(text: string, from: number, lower: string): boolean {
  for (let k = 0; k < lower.length; k++) {
    const c = text.charCodeAt(from + k);
    if ((c >= 65 && c <= 90 ? c + 32 : c) !== lower.charCodeAt(k)) return false;
  }
  return true;
}

/** The hint each qualifying word gives the integer after it. */
const HINT_WORDS = new WordTable<KindHint>([
  ...KIND_WORDS.map((w) => [w, 'any'] as const),
  ...POSITION_WORDS.map((w) => [w, 'label'] as const),
  ['returned', 'http'],
  ['http', 'http'],
]);

const DURATION_UNITS: ReadonlySet<string> = new Set([
  'ns', 'us', 'µs', 'ms', 's', 'sec', 'secs', 'second', 'seconds', 'm', 'min', 'mins', 'minute', 'minutes',
  'h', 'hr', 'hrs', 'hour', 'hours', 'd', 'day', 'days',
]);

const SIZE_UNITS: ReadonlySet<string> = new Set([
  'b', 'B', 'k', 'K', 'kb', 'kB', 'KB', 'KiB', 'M', 'mb', 'MB', 'MiB', 'G', 'gb', 'GB', 'GiB', 'T', 'TB', 'TiB',
  'bytes',
]);

/** Unit words that, right after a number, make it a size or a duration (`5.2 KB`, `12 ms`). */
const SIZE_WORDS: ReadonlySet<string> = new Set(['B', 'KB', 'kB', 'KiB', 'MB', 'MiB', 'GB', 'GiB', 'TB', 'bytes']);
const DURATION_WORDS: ReadonlySet<string> = new Set([
  'ns', 'us', 'ms', 'msecs', 'sec', 'secs', 'second', 'seconds', 'min', 'mins', 'minute', 'minutes', 'hours', 'days',
]);

/** Words whose next word is a name that varies (`user root`, `host db3`, `table listings`). */
const VALUE_NAMING_WORDS = new WordTable<true>(['user', 'username', 'host', 'hostname', 'table'].map((w) => [w, true] as const));

const isDigit = (c: number): boolean => c >= 48 && c <= 57;
const isLetter = (c: number): boolean => (c | 32) >= 97 && (c | 32) <= 122;
const isAlnum = (c: number): boolean => isDigit(c) || isLetter(c);
const isHexDigit = (c: number): boolean => isDigit(c) || ((c | 32) >= 97 && (c | 32) <= 102);

/** Characters that open a word around its core: ( [ { < " ' / */
const isOpener = (c: number): boolean => c === 40 || c === 91 || c === 123 || c === 60 || c === 34 || c === 39 || c === 47;
/** Characters that close a word after its core: ) ] } > " ' , ; . : ! ? */
const isCloser = (c: number): boolean =>
  c === 41 || c === 93 || c === 125 || c === 62 || c === 34 || c === 39 || c === 44 || c === 59 || c === 46 || c === 58 || c === 33 || c === 63;
/** Inside a composite word, these stay within one atom: letters, digits, . - _ : + % and non-ASCII. */
const isAtomChar = (c: number): boolean =>
  isAlnum(c) || c === 46 || c === 45 || c === 95 || c === 58 || c === 43 || c === 37 || c > 127;
/** An atom that matched nothing whole is split again at these: . - _ : + */
const isPieceBreak = (c: number): boolean => c === 46 || c === 45 || c === 95 || c === 58 || c === 43;

/**
 * Masks one message's first line. Pure: same line, same result. One masker is reused (its state
 * is reset on every call and nothing of it escapes) so the hot path allocates only the result.
 */
export function maskLine(line: string): MaskedLine {
  return SCRATCH.run(line, 0).result();
}

/**
 * A masked line whose template is not built yet, known by a 64-bit hash of the template's
 * characters (`key` and `check`, two 32-bit multiplicative lanes) and its length. A cache keyed
 * that way builds the string (`template`) only on a miss; most lines repeat a known template, so
 * most never build one. Not an id: ids hash the built template (see fingerprint.ts).
 */
export interface ScannedLine {
  /** The first hash lane, an unsigned 32-bit integer. */
  readonly key: number;
  /** The second lane with the template's length folded in. */
  readonly check: number;
  template(): string;
  readonly maskedValues: string[];
  readonly tellingValues: Telling[];
}

/**
 * Masks one message's first line without building its template. The answer is valid until the
 * next call (the masker is reused); its values and telling arrays are the caller's to keep.
 */
export function scanLine(line: string): ScannedLine {
  return SCRATCH.run(line, 0);
}

/**
 * `scanLine(line.slice(from))` without the slice: the same template, hash, values and telling
 * values. A message is usually the rest of its line after the header, and reading characters of
 * that flat line is about a third cheaper than reading them through a sliced string.
 */
export function scanLineFrom(line: string, from: number): ScannedLine {
  return SCRATCH.run(line, from);
}

/**
 * The telling values of the many lines that have none: one shared, frozen array instead of a new
 * one per line (a consumer that tried to add to it would throw, not corrupt other lines).
 */
export const NO_TELLING = Object.freeze([]) as readonly Telling[] as Telling[];

/** Pieces the reused masker keeps room for between lines: ordinary lines need a few dozen. */
const MAX_KEPT_PIECES = 1024;


/**
 * The template as it is built: piece i is the line range [starts[i], ends[i]) or, when
 * starts[i] is -1, the string texts[i]. Words copied as they are extend the previous range, so a
 * line that is mostly literal is a handful of pieces. A hash of the template's characters is
 * kept as pieces are added (the masker hashes copied words while it scans them), so a cache can
 * find the template without the string being built.
 */
class TemplatePieces {
  protected line = '';
  private readonly starts: number[] = [];
  private readonly ends: number[] = [];
  private readonly texts: string[] = [];
  protected count = 0;
  /** Characters in the template so far. */
  protected length = 0;
  protected hashA = 0;
  protected hashB = 0;
  /** The state before the last word emitted by `emitWord`, so a unit word can rewrite that word. */
  private markCount = 0;
  private markEnd = 0;
  private markLength = 0;
  private markA = 0;
  private markB = 0;

  protected resetPieces(line: string): void {
    this.line = line;
    // The piece arrays live as long as the process: let a huge line's pieces go with the line.
    if (this.starts.length > MAX_KEPT_PIECES) this.starts.length = this.ends.length = this.texts.length = 0;
    this.count = 0;
    this.length = 0;
    this.hashA = SEED_A;
    this.hashB = SEED_B;
  }

  /** Appends the line's characters [start, end). */
  protected literal(start: number, end: number): void {
    this.hashRange(this.line, start, end);
    this.extendOrPush(start, end);
  }

  protected text(value: string): void {
    this.hashRange(value, 0, value.length);
    this.push(-1, 0, value);
  }

  /** Appends the line's characters [start, end), which the caller has hashed already. */
  protected pushHashed(start: number, end: number): void {
    this.length += end - start;
    this.extendOrPush(start, end);
  }

  /** Appends a separating space the caller has hashed already. */
  protected pushHashedSpace(): void {
    this.length++;
    this.push(-1, 0, ' ');
  }

  /** The single space before a word that starts at `start`: the line's own space when it is one. */
  protected separator(start: number): void {
    if (this.count === 0) return;
    if (this.line.charCodeAt(start - 1) === 32) this.literal(start - 1, start);
    else this.text(' ');
  }

  protected mark(): void {
    this.markCount = this.count;
    this.markEnd = this.count > 0 ? this.ends[this.count - 1]! : 0;
    this.markLength = this.length;
    this.markA = this.hashA;
    this.markB = this.hashB;
  }

  /** Back to the state `mark` saved: the last word and its separator are gone. */
  protected rewind(): void {
    this.count = this.markCount;
    if (this.count > 0) this.ends[this.count - 1] = this.markEnd;
    this.length = this.markLength;
    this.hashA = this.markA;
    this.hashB = this.markB;
  }

  private extendOrPush(start: number, end: number): void {
    const last = this.count - 1;
    if (last >= 0 && this.starts[last]! >= 0 && this.ends[last] === start) this.ends[last] = end;
    else this.push(start, end, '');
  }

  private push(start: number, end: number, text: string): void {
    const i = this.count++;
    this.starts[i] = start;
    this.ends[i] = end;
    this.texts[i] = text;
  }

  private hashRange(source: string, from: number, to: number): void {
    this.length += to - from;
    let a = this.hashA;
    let b = this.hashB;
    for (let k = from; k < to; k++) {
      const c = source.charCodeAt(k);
      a = Math.imul(a ^ c, LANE_A);
      b = Math.imul(b ^ c, LANE_B);
    }
    this.hashA = a;
    this.hashB = b;
  }

  /** The first hash lane: the cache's map key (a small integer V8 keeps unboxed). */
  get key(): number {
    return this.hashA >>> 0;
  }

  /** The second hash lane and the template's length: with `key`, 64 bits and a length to agree on. */
  get check(): number {
    return (this.hashB >>> 0) * 0x10000 + (this.length & 0xffff);
  }

  template(): string {
    let out = '';
    for (let i = 0; i < this.count; i++) {
      const start = this.starts[i]!;
      out += start >= 0 ? this.line.slice(start, this.ends[i]) : this.texts[i];
    }
    return out;
  }
}

/**
 * The line's masked values: scratch reused across lines, copied out at its exact size. A fresh
 * array per line gets room for 17 values on its first push (and `length = 0` gives that room up
 * too), which was most of the masker's garbage.
 */
class ValueList {
  private readonly items: string[] = [];
  private count = 0;

  reset(): void {
    // Kept for the process's life: let a huge line's values go with the line.
    if (this.items.length > MAX_KEPT_PIECES) this.items.length = 0;
    this.count = 0;
  }

  push(value: string): void {
    this.items[this.count++] = value;
  }

  pop(): string {
    return this.items[--this.count]!;
  }

  appendToLast(text: string): void {
    this.items[this.count - 1] += text;
  }

  copy(): string[] {
    return this.items.slice(0, this.count);
  }
}

class LineMasker extends TemplatePieces {
  private readonly values = new ValueList();
  private telling: Telling[] = NO_TELLING;
  private previousStart = 0;
  private previousEnd = 0;
  /** Where the masked text starts in `line`; nothing before it is read. */
  private from = 0;
  private sqlLine: boolean | undefined;
  /** Where the line's first time word starts (-1: none), found on first need. */
  private timeWordAt: number | undefined;
  /** Start of the word `emitWord` is masking. */
  private wordStart = 0;
  /** How the last emitted word ended: a unit word after `<NUM>` or a telling literal folds into it. */
  private lastWordEnd: 'num' | 'telling' | 'other' = 'other';
  /** What the last word emitted by `emitWord` became in the template (for a unit folding into it). */
  private lastMasked = '';
  /** The last quantity folded (`1190 bytes`): its placeholder and where its unit word ended, or -1. */
  private lastFoldPlaceholder = '';
  private lastFoldEnd = -1;
  /** Per quote character (34, 39): the last search for a closing quote, so each line is searched once. */
  private readonly closeSearch = { 34: { from: -1, found: -1 }, 39: { from: -1, found: -1 } };

  /** Masks `line[from…]`; the masker then answers `key`, `check` and `template` for it. */
  run(line: string, from: number): this {
    this.resetPieces(line);
    this.values.reset();
    this.telling = NO_TELLING;
    this.from = from;
    // A previous word that ends at `from` is none (`previousWordHint`).
    this.previousStart = from;
    this.previousEnd = from;
    this.sqlLine = undefined;
    this.timeWordAt = undefined;
    this.lastWordEnd = 'other';
    this.lastFoldEnd = -1;
    this.closeSearch[34].from = this.closeSearch[39].from = -1;
    const n = line.length;
    // The hot loop keeps its state in locals and writes it back only around the slow path.
    let a = this.hashA;
    let b = this.hashB;
    let previousStart = from;
    let previousEnd = from;
    let namesNext = false;
    // Words copied as they are since the last piece: the line range [copiedFrom, copiedTo), hashed, not yet a piece.
    let copiedFrom = -1;
    let copiedTo = -1;
    let i = from;
    while (i < n) {
      while (i < n && line.charCodeAt(i) <= 32) i++;
      if (i >= n) break;
      const started = copiedFrom >= 0 || this.count > 0;
      // The word is hashed as it is scanned, as if it were copied as it is (it usually is).
      let wordA = a;
      let wordB = b;
      if (started) {
        wordA = Math.imul(wordA ^ 32, LANE_A);
        wordB = Math.imul(wordB ^ 32, LANE_B);
      }
      let j = i;
      let digits = 0;
      let special = false;
      while (j < n) {
        const c = line.charCodeAt(j);
        if (c <= 32) break;
        wordA = Math.imul(wordA ^ c, LANE_A);
        wordB = Math.imul(wordB ^ c, LANE_B);
        if (isDigit(c)) digits++;
        else if (c === 61 || c === 64) special = true;
        j++;
      }
      const first = line.charCodeAt(i);
      if (digits === 0 && !special && !namesNext && this.lastWordEnd === 'other' && first !== 34 && first !== 39) {
        // Most words: no digits, no quote, nothing before them that changes their meaning.
        a = wordA;
        b = wordB;
        if (copiedFrom >= 0 && copiedTo === i - 1 && line.charCodeAt(i - 1) === 32) {
          copiedTo = j;
        } else {
          if (copiedFrom >= 0) this.pushHashed(copiedFrom, copiedTo);
          if (started && line.charCodeAt(i - 1) !== 32) {
            this.pushHashedSpace();
            copiedFrom = i;
          } else {
            copiedFrom = started ? i - 1 : i;
          }
          copiedTo = j;
        }
        namesNext = namesValue(line, i, j);
        previousStart = i;
        previousEnd = j;
        i = j;
        continue;
      }
      if (copiedFrom >= 0) this.pushHashed(copiedFrom, copiedTo);
      copiedFrom = -1;
      this.hashA = a;
      this.hashB = b;
      this.previousStart = previousStart;
      this.previousEnd = previousEnd;
      const shape = digits === j - i ? WordShape.Integer : digits > 0 || special ? WordShape.Mixed : WordShape.Plain;
      i = this.foldUnitWord(i, j) ? j : this.emitWord(i, j, shape);
      a = this.hashA;
      b = this.hashB;
      previousStart = this.previousStart;
      previousEnd = this.previousEnd;
      namesNext = namesValue(line, previousStart, previousEnd);
    }
    if (copiedFrom >= 0) this.pushHashed(copiedFrom, copiedTo);
    this.hashA = a;
    this.hashB = b;
    return this;
  }

  result(): MaskedLine {
    return { template: this.template(), values: this.values.copy(), telling: this.telling };
  }

  /** The masked values of the line last masked: a new array each time, the caller's to keep. */
  get maskedValues(): string[] {
    return this.values.copy();
  }

  /** The telling values of the line last masked. */
  get tellingValues(): Telling[] {
    return this.telling;
  }

  /** Appends one word's template; returns where the next word starts (after a quoted run, later). */
  private emitWord(start: number, end: number, shape: WordShape): number {
    const line = this.line;
    this.wordStart = start;
    this.mark();
    this.separator(start);
    const first = line.charCodeAt(start);
    const quotedEnd = first === 34 || first === 39 ? this.quotedSpanEnd(start, end) : -1;
    this.lastWordEnd = 'other';
    if (quotedEnd > 0) {
      end = this.emitQuotedSpan(start, quotedEnd);
    } else if (this.previousWordNamesValue()) {
      this.text(this.maskNamedValue(line.slice(start, end)));
    } else if (shape === WordShape.Integer) {
      // The commonest variable word, a bare integer, skips the classifier chain.
      const tellingBefore = this.telling.length;
      const masked = this.integer(line.slice(start, end), this.previousWordHint());
      if (masked === NUM) this.text(NUM);
      else this.literal(start, end);
      this.lastMasked = masked;
      this.lastWordEnd = masked === NUM ? 'num' : this.telling.length > tellingBefore ? 'telling' : 'other';
    } else if (shape === WordShape.Mixed) {
      const tellingBefore = this.telling.length;
      const masked = this.maskWord(line.slice(start, end));
      this.text(masked);
      this.lastMasked = masked;
      if (masked.endsWith(NUM)) this.lastWordEnd = 'num';
      else if (this.telling.length > tellingBefore && endsWithOpenedValue(masked, this.telling[tellingBefore]!.value)) this.lastWordEnd = 'telling';
    } else {
      this.literal(start, end);
    }
    this.previousStart = start;
    this.previousEnd = end;
    return end;
  }

  /**
   * `5.2 KB`, `12 ms`: a unit word right after a masked number turns that number into one
   * `<SIZE>`/`<DUR>` value, so `93.0 B` and `5.2 KB` share a template.
   */
  private foldUnitWord(start: number, end: number): boolean {
    if (this.lastWordEnd === 'other' || this.previousEnd !== start - 1) return false;
    const afterTelling = this.lastWordEnd === 'telling';
    let unitEnd = end;
    while (unitEnd > start && isCloser(this.line.charCodeAt(unitEnd - 1))) unitEnd--;
    if (unitEnd - start > 7) return false;
    const unit = this.line.slice(start, unitEnd);
    const placeholder = SIZE_WORDS.has(unit) ? SIZE : DURATION_WORDS.has(unit) ? DUR : undefined;
    if (placeholder === undefined) return false;
    // A quantity (`128 seconds`, `256 MB`) is not a counter at a type boundary.
    const number = afterTelling ? this.telling.pop()!.value : this.values.pop();
    const prefix = this.lastMasked.slice(0, -(afterTelling ? number.length : NUM.length));
    this.rewind();
    if (this.restatesLastFold(placeholder, prefix, unitEnd, end)) {
      // `1190 bytes (1.16 KB)`: the same quantity again in another unit is part of the first value.
      this.values.appendToLast(` (${number} ${unit})`);
      this.lastFoldEnd = -1;
    } else {
      this.separator(this.previousStart);
      this.text(prefix + placeholder);
      this.literal(unitEnd, end);
      this.values.push(`${number} ${unit}`);
      this.lastFoldPlaceholder = placeholder;
      this.lastFoldEnd = unitEnd === end ? end : -1;
    }
    this.lastWordEnd = 'other';
    this.previousStart = start;
    this.previousEnd = end;
    return true;
  }

  /** Whether the quantity being folded is `(number unit)` right after a quantity of the same kind. */
  private restatesLastFold(placeholder: string, prefix: string, unitEnd: number, end: number): boolean {
    return (
      this.lastFoldEnd >= 0 &&
      this.lastFoldEnd === this.previousStart - 1 &&
      this.lastFoldPlaceholder === placeholder &&
      prefix === '(' &&
      end === unitEnd + 1 &&
      this.line.charCodeAt(unitEnd) === 41
    );
  }

  private previousWordNamesValue(): boolean {
    return namesValue(this.line, this.previousStart, this.previousEnd);
  }

  /** The word after `user`, `host`, `table`: a name that varies, masked whole inside its punctuation. */
  private maskNamedValue(word: string): string {
    return insidePunctuation(word, this.maskName);
  }

  private readonly maskName = (core: string): string => this.mask(core, ANY);

  /**
   * Where a quoted run that spans several words closes (the index of the closing quote), or -1
   * when the quote closes inside the first word or never closes as a quote.
   */
  private quotedSpanEnd(start: number, wordEnd: number): number {
    const quote = this.line.charCodeAt(start);
    const quoteChar = quote === 34 ? '"' : "'";
    const inWord = this.line.indexOf(quoteChar, start + 1);
    if (inWord >= 0 && inWord < wordEnd) return -1;
    if (startsWithCommand(this.line, start + 1, wordEnd)) return -1;
    return this.closingQuoteFrom(quote === 34 ? 34 : 39, wordEnd);
  }

  /**
   * The first quote at or after `from` that is not followed by a letter or digit, or -1.
   * Searches start further right each time within a line, so the last answer is reused while it
   * still lies ahead: a line full of opening quotes costs one pass, not one pass per quote.
   */
  private closingQuoteFrom(quote: 34 | 39, from: number): number {
    const memo = this.closeSearch[quote];
    if (memo.from >= 0 && memo.from <= from && (memo.found < 0 || memo.found >= from)) return memo.found;
    const quoteChar = quote === 34 ? '"' : "'";
    let k = this.line.indexOf(quoteChar, from);
    while (k >= 0) {
      const after = k + 1 < this.line.length ? this.line.charCodeAt(k + 1) : 32;
      if (!isAlnum(after)) break;
      k = this.line.indexOf(quoteChar, k + 1);
    }
    memo.from = from;
    memo.found = k;
    return k;
  }

  /** Emits `'<STR>'` plus whatever follows the closing quote in its word; returns the word's end. */
  private emitQuotedSpan(start: number, close: number): number {
    const line = this.line;
    let end = close + 1;
    while (end < line.length && line.charCodeAt(end) > 32) end++;
    this.values.push(line.slice(start + 1, close));
    this.literal(start, start + 1);
    this.text(STR);
    this.literal(close, end);
    return end;
  }

  private maskWord(word: string): string {
    return insidePunctuation(word, this.maskWordCore);
  }

  /** `(110)`, `[2002]`, `12,`: a bracketed or punctuated integer needs no classifier chain. */
  private readonly maskWordCore = (core: string): string =>
    isDigitRun(core) ? this.integer(core, this.previousWordHint()) : this.maskCore(core, this.previousWordHint());

  private previousWordHint(): KindHint {
    if (this.previousEnd === this.from) return undefined;
    return kindHintOf(this.line, this.previousStart, this.previousEnd);
  }

  /** A word's core: whole-value classes first, then key=value, URLs, and composite words. */
  private maskCore(core: string, hint: KindHint): string {
    const whole = this.classify(core, hint);
    if (whole !== undefined) return whole;
    const eq = keyValueSplit(core);
    if (eq > 0) return this.maskKeyValue(core, eq);
    const scheme = core.indexOf('://');
    if (scheme > 0) return this.maskUrl(core, scheme);
    return this.maskComposite(core, hint);
  }

  /** The placeholder (or kept literal) for a string that is one value as a whole, else undefined. */
  private classify(s: string, hint: KindHint): string | undefined {
    const first = s.charCodeAt(0);
    if (isDigit(first) || ((first === 45 || first === 43) && s.length > 1 && isDigit(s.charCodeAt(1)))) {
      const kind = numberKind(s);
      if (kind === 'int') return this.integer(s, hint);
      if (kind !== undefined) return this.numeric(s, kind, hint);
      if (isIpv4(s)) return this.mask(s, IP);
      if (isDate(s)) return this.mask(s, DATE);
      if (isTime(s, 0) === s.length) return this.mask(s, TIME);
      if (first === 48 && (s.charCodeAt(1) | 32) === 120 && isHexRun(s, 2)) return this.mask(s, HEX);
    }
    if (isUuid(s)) return this.mask(s, UUID);
    if (s.length >= 8 && isHexRun(s, 0) && hasDigit(s)) return this.mask(s, HEX);
    if (isColonHex(s)) return this.mask(s, s.length === 17 && isMac(s) ? HEX : IP);
    if (isEmail(s)) return this.mask(s, EMAIL);
    return undefined;
  }

  private integer(s: string, hint: KindHint): string {
    const telling = hint === 'label' ? undefined : tellingFor(s);
    if (telling !== undefined && !this.isTimeCoincidence(s)) {
      if (this.telling === NO_TELLING) this.telling = [];
      this.telling.push(telling);
      return s;
    }
    if (hint === 'any' || (hint === 'http' && isHttpStatus(s)) || (this.isSqlLine() && isMysqlErrorNumber(s))) return s;
    return this.mask(s, NUM);
  }

  private numeric(s: string, kind: Exclude<NumberKind, 'int'>, hint: KindHint): string {
    if (kind === 'dur') return this.mask(s, DUR);
    if (kind === 'size') return this.mask(s, SIZE);
    // A version after HTTP/ (HTTP/1.1) names the protocol, not an instance.
    if (hint === 'http') return s;
    return this.mask(s, NUM);
  }

  private mask(value: string, placeholder: string): string {
    this.values.push(value);
    return placeholder;
  }

  /** Whether a telling literal is small enough, and follows a time word, to be a time by chance. */
  private isTimeCoincidence(literal: string): boolean {
    if (literal.length > MAX_TIME_COINCIDENCE_LENGTH) return false;
    this.timeWordAt ??= timeWordFrom(this.line, this.from);
    return this.timeWordAt >= 0 && this.timeWordAt < this.wordStart;
  }

  private isSqlLine(): boolean {
    this.sqlLine ??= this.line.includes('SQLSTATE', this.from);
    return this.sqlLine;
  }

  /** `key=value[,key=value…]`: the key stays, the value is masked unless the key names the kind. */
  private maskKeyValue(core: string, eq: number): string {
    // A loop, not recursion: one word may hold thousands of pairs (`a=1,b=2,…`).
    let out = '';
    let pair = core;
    for (;;) {
      const key = pair.slice(0, eq);
      const rest = pair.slice(eq + 1);
      const end = valueEnd(rest);
      out += key + '=' + this.maskValue(rest.slice(0, end), kindHintOf(key, 0, key.length));
      if (end >= rest.length) return out;
      out += rest[end]!;
      // What follows the separator is masked as a word of its own: another pair, or anything else.
      // (No whole value contains `=`, so a pair needs no classifying first.)
      pair = rest.slice(end + 1);
      eq = keyValueSplit(pair);
      if (eq <= 0) return out + this.maskCore(pair, undefined);
    }
  }


  /** A value, inside however many pairs of matching quotes wrap it (peeled in a loop, not by recursion). */
  private maskValue(value: string, hint: KindHint): string {
    let s = 0;
    let e = value.length;
    for (let q = value.charCodeAt(s); e - s >= 2 && (q === 34 || q === 39) && value.charCodeAt(e - 1) === q; q = value.charCodeAt(s)) {
      s++;
      e--;
    }
    const inner = value.slice(s, e);
    const masked = inner.length === 0 ? inner : this.classify(inner, hint) ?? this.mask(inner, ANY);
    return value.slice(0, s) + masked + value.slice(e);
  }

  /** scheme://host/path?query#fragment: the path keeps its words, query values are masked. */
  private maskUrl(core: string, scheme: number): string {
    const query = core.indexOf('?', scheme);
    const base = query < 0 ? core : core.slice(0, query);
    let out = core.slice(0, scheme + 3) + this.maskComposite(base.slice(scheme + 3), undefined);
    if (query < 0) return out;
    const fragment = core.indexOf('#', query);
    const paramsEnd = fragment < 0 ? core.length : fragment;
    out += '?';
    for (let from = query + 1; from <= paramsEnd; ) {
      let to = core.indexOf('&', from);
      if (to < 0 || to > paramsEnd) to = paramsEnd;
      out += this.maskQueryParam(core.slice(from, to)) + (to < paramsEnd ? '&' : '');
      from = to + 1;
    }
    if (fragment >= 0) out += '#' + this.mask(core.slice(fragment + 1), ANY);
    return out;
  }

  private maskQueryParam(param: string): string {
    const eq = param.indexOf('=');
    if (eq < 0) return param;
    return param.slice(0, eq + 1) + this.maskValue(param.slice(eq + 1), undefined);
  }

  /**
   * A word that is not one value: split into atoms at punctuation, classify each atom whole,
   * and split an unclassified atom once more at . - _ : + so `job_1445_0020` → `job_<NUM>_<NUM>`.
   * The word before an integer (`SQLSTATE[23000]`, `code:500`) qualifies it as in a sentence.
   */
  private maskComposite(core: string, hint: KindHint): string {
    let out = '';
    let previousWord: KindHint = hint;
    // Atoms without digits and the punctuation between them stay as they are: they are copied as
    // one run, sliced once (`/var/www/html/lib/` before `Db.php:187`), not atom by atom.
    let copiedFrom = 0;
    let i = 0;
    const n = core.length;
    while (i < n) {
      let j = i;
      let digits = false;
      while (j < n && isAtomChar(core.charCodeAt(j))) {
        if (isDigit(core.charCodeAt(j))) digits = true;
        j++;
      }
      if (j > i) {
        if (digits) {
          out += core.slice(copiedFrom, i) + this.maskAtom(core.slice(i, j), previousWord);
          copiedFrom = j;
        }
        previousWord = kindHintOf(core, i, j);
      }
      i = j + 1;
    }
    return copiedFrom === 0 ? core : out + core.slice(copiedFrom);
  }

  /** An atom whole if it is one value; else an address at its start (`10.1.2.3:50010:Got`), then pieces. */
  private maskAtom(atom: string, hint: KindHint): string {
    const whole = this.classify(atom, hint);
    if (whole !== undefined) return whole;
    const ipEnd = ipv4PrefixEnd(atom);
    if (ipEnd > 0 && ipEnd < atom.length) {
      const rest = atom.slice(ipEnd);
      return this.mask(atom.slice(0, ipEnd), IP) + (hasDigit(rest) ? this.maskPieces(rest, undefined) : rest);
    }
    return this.maskPieces(atom, hint);
  }

  private maskPieces(atom: string, hint: KindHint): string {
    let out = '';
    let previousWord = hint;
    let i = 0;
    const n = atom.length;
    while (i < n) {
      let j = i;
      // A minus that opens a piece is a sign (`blk_-123` → `blk_<NUM>`), not a separator.
      if (atom.charCodeAt(j) === 45 && isDigit(atom.charCodeAt(j + 1))) j++;
      while (j < n && !isPieceBreak(atom.charCodeAt(j))) j++;
      if (j > i) {
        const piece = atom.slice(i, j);
        out += isDigit(piece.charCodeAt(piece.charCodeAt(0) === 45 ? 1 : 0)) ? this.maskPiece(piece, previousWord) : piece;
        previousWord = kindHintOf(piece, 0, piece.length) ?? labelHint(atom, i, j);
      }
      if (j < n) out += atom[j];
      i = j + 1;
    }
    return out;
  }

  /** A digit-led piece of an atom: a number if it is one, else an id (`3rd`, `5a3`) → `<*>`. */
  private maskPiece(piece: string, hint: KindHint): string {
    return this.classify(piece, hint) ?? this.mask(piece, ANY);
  }
}

/** `word` with its core — inside its opening and closing punctuation — replaced by `maskCore(core)`. */
function insidePunctuation(word: string, maskCore: (core: string) => string): string {
  let s = 0;
  let e = word.length;
  while (s < e && isOpener(word.charCodeAt(s))) s++;
  while (e > s && isCloser(word.charCodeAt(e - 1))) e--;
  if (s === e) return word;
  const core = s === 0 && e === word.length ? word : word.slice(s, e);
  return word.slice(0, s) + maskCore(core) + word.slice(e);
}

/**
 * Whether a quoted run opens with an upper-case command word (`"GET /a HTTP/1.1"`, `"SELECT …"`):
 * then its words are structure, masked one by one, rather than one `<STR>` of data.
 */
function startsWithCommand(line: string, from: number, to: number): boolean {
  if (to - from < 3) return false;
  for (let i = from; i < to; i++) {
    const c = line.charCodeAt(i);
    if (c < 65 || c > 90) return false;
  }
  return true;
}

/**
 * `label` when the piece `atom[start, end)` makes the number after it part of a name or a
 * position: joined by `-` `_` `.` (`node-128`, `1.2.255`, `1-127`), or a source file's
 * extension before `:` (`Db.php:128`). `id:2147483647` and `host:65535` stay as they are.
 */
function labelHint(atom: string, start: number, end: number): KindHint {
  const joiner = atom.charCodeAt(end);
  if (joiner === 45 || joiner === 95 || joiner === 46) return 'label';
  if (joiner !== 58 || start === 0 || atom.charCodeAt(start - 1) !== 46) return undefined;
  return SOURCE_EXTENSIONS.has(atom.slice(start, end).toLowerCase()) ? 'label' : undefined;
}

/** Whether `masked` is `value` after nothing but opening punctuation (`(128`, `[255`). */
function endsWithOpenedValue(masked: string, value: string): boolean {
  if (!masked.endsWith(value)) return false;
  for (let i = 0; i < masked.length - value.length; i++) if (!isOpener(masked.charCodeAt(i))) return false;
  return true;
}

/** The hint that the word `word[from, to)` gives the integer after it. */
function kindHintOf(word: string, from: number, to: number): KindHint {
  let s = from;
  let e = to;
  while (s < e && !isAlnum(word.charCodeAt(s))) s++;
  while (e > s && !isAlnum(word.charCodeAt(e - 1))) e--;
  const hint = HINT_WORDS.get(word, s, e);
  if (hint !== undefined) return hint;
  return e - s > 5 && startsWithIgnoringCase(word, s, 'http/') ? 'http' : undefined;
}

type NumberKind = 'int' | 'dec' | 'dur' | 'size' | 'pct';

/** int `-12`, dec `3.5`, dur `12ms`/`1h30m`, size `64KB`, pct `45%`; undefined for anything else. */
function numberKind(s: string): NumberKind | undefined {
  const n = s.length;
  let i = s.charCodeAt(0) === 45 || s.charCodeAt(0) === 43 ? 1 : 0;
  const digitsStart = i;
  while (i < n && isDigit(s.charCodeAt(i))) i++;
  if (i === digitsStart) return undefined;
  let kind: NumberKind = 'int';
  if (i < n && (s.charCodeAt(i) === 46 || s.charCodeAt(i) === 44)) {
    let j = i + 1;
    while (j < n && isDigit(s.charCodeAt(j))) j++;
    if (j === i + 1) return undefined;
    i = j;
    kind = 'dec';
  }
  if (i === n) return kind;
  const suffix = s.slice(i);
  if (suffix === '%') return 'pct';
  if (SIZE_UNITS.has(suffix)) return 'size';
  return isDurationTail(s, i) ? 'dur' : undefined;
}

/** From `i` (just after a number): a unit, optionally followed by more number+unit (`1h30m5s`). */
function isDurationTail(s: string, i: number): boolean {
  const n = s.length;
  while (i < n) {
    let j = i;
    while (j < n && !isDigit(s.charCodeAt(j)) && s.charCodeAt(j) !== 46) j++;
    if (!DURATION_UNITS.has(s.slice(i, j))) return false;
    if (j === n) return true;
    i = j;
    while (i < n && (isDigit(s.charCodeAt(i)) || s.charCodeAt(i) === 46)) i++;
    if (i === j || i === n) return false;
  }
  return true;
}

function isDigitRun(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (!isDigit(s.charCodeAt(i))) return false;
  return s.length > 0;
}

function hasDigit(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (isDigit(s.charCodeAt(i))) return true;
  return false;
}

function isHexRun(s: string, from: number): boolean {
  if (from >= s.length) return false;
  for (let i = from; i < s.length; i++) if (!isHexDigit(s.charCodeAt(i))) return false;
  return true;
}

function isUuid(s: string): boolean {
  if (s.length !== 36) return false;
  for (let i = 0; i < 36; i++) {
    const c = s.charCodeAt(i);
    if (i === 8 || i === 13 || i === 18 || i === 23 ? c !== 45 : !isHexDigit(c)) return false;
  }
  return true;
}

/** `a.b.c.d`, optionally `:port` or `/prefix`. */
function isIpv4(s: string): boolean {
  let i = 0;
  for (let group = 0; group < 4; group++) {
    const start = i;
    while (i < s.length && isDigit(s.charCodeAt(i))) i++;
    if (i === start || i - start > 3) return false;
    if (group < 3) {
      if (s.charCodeAt(i) !== 46) return false;
      i++;
    }
  }
  if (i === s.length) return true;
  const sep = s.charCodeAt(i);
  if (sep !== 58 && sep !== 47) return false;
  const digitsStart = ++i;
  while (i < s.length && isDigit(s.charCodeAt(i))) i++;
  return i > digitsStart && i === s.length;
}

/** End of an IPv4 address (with `:port`) at the start of `s`, or -1. */
function ipv4PrefixEnd(s: string): number {
  let i = 0;
  for (let group = 0; group < 4; group++) {
    const start = i;
    while (i < s.length && isDigit(s.charCodeAt(i))) i++;
    if (i === start || i - start > 3) return -1;
    if (group < 3) {
      if (s.charCodeAt(i) !== 46) return -1;
      i++;
    }
  }
  if (isDigit(s.charCodeAt(i))) return -1;
  if (s.charCodeAt(i) === 58 && isDigit(s.charCodeAt(i + 1))) {
    i++;
    while (i < s.length && isDigit(s.charCodeAt(i))) i++;
  }
  return i;
}

/** IPv6 (or MAC): hex groups of up to four separated by colons, with `::` or seven colons. */
function isColonHex(s: string): boolean {
  let colons = 0;
  let group = 0;
  let digits = false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 58) {
      colons++;
      group = 0;
    } else if (isHexDigit(c)) {
      if (++group > 4) return false;
      if (isDigit(c)) digits = true;
    } else if (c !== 46) {
      return false;
    }
  }
  return digits && colons >= 2 && (colons >= 5 || s.includes('::'));
}

function isMac(s: string): boolean {
  for (let i = 2; i < 17; i += 3) if (s.charCodeAt(i) !== 58) return false;
  return true;
}

/** `H:MM`, `HH:MM:SS`, with optional fraction and zone, starting at `i`; returns the end or -1. */
function isTime(s: string, i: number): number {
  const n = s.length;
  const start = i;
  while (i < n && isDigit(s.charCodeAt(i))) i++;
  if (i === start || i - start > 2) return -1;
  for (let part = 0; part < 2; part++) {
    if (s.charCodeAt(i) !== 58) {
      if (part === 0) return -1;
      break;
    }
    if (!isDigit(s.charCodeAt(i + 1)) || !isDigit(s.charCodeAt(i + 2))) return -1;
    i += 3;
  }
  if ((s.charCodeAt(i) === 46 || s.charCodeAt(i) === 44) && isDigit(s.charCodeAt(i + 1))) {
    i++;
    while (i < n && isDigit(s.charCodeAt(i))) i++;
  }
  return zoneEnd(s, i);
}

function zoneEnd(s: string, i: number): number {
  const c = s.charCodeAt(i);
  if (c === 90) return i + 1;
  if ((c === 43 || c === 45) && isDigit(s.charCodeAt(i + 1)) && isDigit(s.charCodeAt(i + 2))) {
    i += 3;
    if (s.charCodeAt(i) === 58) i++;
    while (i < s.length && isDigit(s.charCodeAt(i))) i++;
  }
  return i;
}

const MONTHS: ReadonlySet<string> = new Set(['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec']);

/** `2026-11-23`, `2026/11/23`, `23/11/2026`, `11-23-26`, `23-Nov-2026`, each with an optional `T`/`_`/`:` time. */
function isDate(s: string): boolean {
  const groups: string[] = [];
  let i = 0;
  let sep = -1;
  while (groups.length < 3) {
    const start = i;
    const inGroup = isDigit(s.charCodeAt(i)) ? isDigit : isLetter;
    while (i < s.length && inGroup(s.charCodeAt(i))) i++;
    if (i === start) return false;
    groups.push(s.slice(start, i));
    if (groups.length === 3) break;
    const c = s.charCodeAt(i);
    if ((c !== 45 && c !== 47) || (sep >= 0 && c !== sep)) return false;
    sep = c;
    i++;
  }
  if (!dateGroupsValid(groups[0]!, groups[1]!, groups[2]!)) return false;
  if (i === s.length) return true;
  const c = s.charCodeAt(i);
  if (c !== 84 && c !== 95 && c !== 58) return false;
  return isTime(s, i + 1) === s.length;
}

function dateGroupsValid(a: string, b: string, c: string): boolean {
  const digits = (g: string, min: number, max: number): boolean =>
    g.length >= min && g.length <= max && isDigit(g.charCodeAt(0));
  if (digits(a, 4, 4)) return digits(b, 1, 2) && digits(c, 1, 2);
  if (!digits(a, 1, 2)) return false;
  const monthOk = digits(b, 1, 2) || MONTHS.has(b.toLowerCase());
  return monthOk && (digits(c, 4, 4) || digits(c, 2, 2));
}

function isEmail(s: string): boolean {
  const at = s.indexOf('@');
  if (at <= 0 || at !== s.lastIndexOf('@')) return false;
  const dot = s.indexOf('.', at + 2);
  if (dot < 0 || dot === s.length - 1) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (!(isAlnum(c) || c === 46 || c === 45 || c === 95 || c === 43 || c === 64)) return false;
  }
  return true;
}

/** Where `=` follows a key (letters, digits, `_ . -`, first a letter) that starts at `from`: its offset from `from`; else -1. */
function keyValueSplit(core: string, from = 0): number {
  if (!isLetter(core.charCodeAt(from))) return -1;
  // Reads the key only, so asking at every separator of a long value stays linear.
  for (let i = from + 1; i < core.length; i++) {
    const c = core.charCodeAt(i);
    if (c === 61) return i - from;
    if (!(isAlnum(c) || c === 95 || c === 46 || c === 45)) return -1;
  }
  return -1;
}

/** Where a `key=value` value ends: at `,` `;` or `&` that starts another `key=`; else the end. */
function valueEnd(rest: string): number {
  for (let i = 0; i < rest.length; i++) {
    const c = rest.charCodeAt(i);
    if ((c === 44 || c === 59 || c === 38) && keyValueSplit(rest, i + 1) > 0) return i;
  }
  return rest.length;
}

function isHttpStatus(s: string): boolean {
  return s.length === 3 && s >= '100' && s <= '599';
}

function isMysqlErrorNumber(s: string): boolean {
  return s.length === 4 && s >= '1000' && s <= '4999';
}

/** The one masker `scanLine` reuses (see there). */
const SCRATCH = new LineMasker();
