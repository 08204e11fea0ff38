/**
 * A memo in front of the masker, keyed by a line's shape: its characters with every run of
 * digits reduced to the run's length and class. Lines of one error differ mostly in their
 * numbers (`Duplicate entry '6106208' …`, `… Db.php:187`), and the masker's decisions about a
 * digit run depend on the characters around it, on the run's length and on three properties of
 * its value only:
 * - whether it is a telling literal (2147483647…): such a run is part of the shape as its very
 *   digits (the masker may keep it, or not: `Db.php:255` is a line number), and a line the masker
 *   finds a telling value in is never memoised;
 * - for three digits, whether it can be an HTTP status (100–599), for four, a MySQL error
 *   number (1000–4999): the class;
 * - a digit right before `x` (`0x7f` is hex, `1x7f` is not).
 * So lines of one shape get one template, and their masked values sit at the same offsets.
 *
 * A learnt shape is a pattern (a sticky RegExp: its characters, each digit run as digits of the
 * run's length and class, never a telling literal's, and a telling literal's run as its digits)
 * found by a probe of the line's length and a few of its characters. A hit costs the probe, one
 * pattern test (V8 runs a hot pattern as machine code, several times faster than any
 * per-character loop in JavaScript) and a slice per value, where masking costs several passes and
 * a string per masked word.
 *
 * Digits the template keeps (`HTTP/1.1 503`, `status 500`, `web12`) vary the template, so such
 * runs key the shape's variants by their digits; so do runs right before an `x`. Each shape is
 * learnt from a masked line whose value offsets are found in it, and only after the masker, run
 * once more on the line with every masked run's digits changed (same length and class), gives the
 * same template and the values at the same offsets: a shape that fails the check (a value the
 * masker rewrote, a value found at a wrong place) is remembered, by a hash of its shape, as one
 * the memo does not answer for. Bounded, cleared when full.
 */
import { NO_TELLING, scanLine } from './mask.js';
import { isTellingDigits, TELLING_DIGITS_BY_LENGTH } from './telling.js';
import { TWO_LANE_HASH } from './two-lane-hash.js';
import type { Telling } from './model.js';

/** Module constants, not imported bindings: see two-lane-hash.ts. */
const { LANE_A, LANE_B, SEED_A, SEED_B } = TWO_LANE_HASH;

/** Digit runs per line the memo follows; a line with more is masked every time. */
const MAX_RUNS = 64;
/** Templates per shape that differ only in kept digits (`HTTP/1.1 503`, `… 502`, …). */
const MAX_VARIANTS = 64;
/**
 * Shapes tried per probe key. Shapes that differ only in their runs' classes share a key (a line
 * with a 3- and a 4-digit run has four), so a key can hold a few dozen; the most used come first.
 */
const MAX_CANDIDATES = 64;

/** Above every UTF-16 code unit: a digit run's token never equals a character's. */
const RUN_TOKEN = 0x10000;
/** Above every run token (a run is shorter than a line, at most 64 KiB): a telling run hashes its digits as these. */
const TELLING_DIGIT_TOKEN = 0x40000;

/** What a masked line says about itself, as `learn` needs it (copied out before the masker runs again). */
export interface MaskedFacts {
  values: string[];
  telling: Telling[];
  /** The masker's template hash lanes (`ScannedLine.key`/`check`). */
  key: number;
  check: number;
}

interface ShapeEntry<T> {
  /** Its shape hash: `key` in `entries`, and `check`. */
  key: number;
  check: number;
  /**
   * Matches exactly the texts of this shape (sticky, anchored at the end); undefined for a shape
   * the memo does not answer for (its check failed).
   */
  pattern: RegExp | undefined;
  /** Where recall finds it: its probe key. */
  probe: number;
  /** Value i is the text's [spans[2i], spans[2i + 1]) (offsets from the text's start). */
  spans: Int32Array;
  /** Digit runs whose digits are in the template, as spans like `spans`: their digits key `variants`. */
  keptSpans: Int32Array;
  variants: Map<string, T>;
}

export class ShapeMemo<T> {
  /** Every shape learnt or refused, by its shape hash: `learn` finds a line's shape here. */
  private readonly entries = new Map<number, ShapeEntry<T>>();
  /** Shapes that answer, by probe key (a few of the text's characters and its length): `recall` tries their patterns. */
  private readonly probes = new Map<number, ShapeEntry<T>[]>();
  /**
   * Shapes missed once (key → check): a shape is learnt on its second miss, so a stream of lines
   * that never repeat a shape (a flood of distinct messages) costs one small entry each, not a
   * checked entry and a second masking.
   */
  private readonly seenOnce = new Map<number, number>();
  /** The line last shaped by `shape`: its digit runs and its shape hash. */
  private runCount = 0;
  private readonly runStarts = new Int32Array(MAX_RUNS);
  private readonly runEnds = new Int32Array(MAX_RUNS);
  /** 1 where the run is a telling literal's digits: the shape holds those digits, not a class. */
  private readonly runIsTelling = new Uint8Array(MAX_RUNS);
  private key = 0;
  private check = 0;
  /** The values of the last hit. */
  private hitValues: string[] = [];

  constructor(private readonly cap: number) {}

  /**
   * The memoised answer for the text `line[from…]` (one line, no `\n`), its values then in
   * `values`; undefined on a miss, after which the caller masks the text and calls `learn`.
   */
  recall(line: string, from: number): T | undefined {
    const candidates = this.probes.get(probeKey(line, from));
    if (candidates === undefined) return undefined;
    for (let i = 0; i < candidates.length; i++) {
      const entry = candidates[i]!;
      const pattern = entry.pattern!;
      pattern.lastIndex = from;
      if (!pattern.test(line)) continue;
      // Swapped one place forward on each hit: the shapes most used come to be tried first.
      if (i > 0) {
        candidates[i] = candidates[i - 1]!;
        candidates[i - 1] = entry;
      }
      const target = entry.variants.get(keptDigits(line, from, entry.keptSpans));
      if (target !== undefined) this.hitValues = sliceSpans(line, from, entry.spans);
      return target;
    }
    return undefined;
  }

  /** The masked values of the last hit: a new array, the caller's to keep. */
  get values(): string[] {
    return this.hitValues;
  }

  /** The telling values of every hit: none (a line with a telling run is never memoised). */
  get telling(): Telling[] {
    return NO_TELLING;
  }

  /** Learns the answer for the text `recall` just missed, masked by the caller into `facts`. */
  learn(line: string, from: number, facts: MaskedFacts, target: T): void {
    if (facts.telling.length > 0 || !this.shape(line, from)) return;
    let entry = this.entries.get(this.key);
    if (entry === undefined || entry.check !== this.check) {
      entry = this.admit(line, from, facts);
      if (entry === undefined) return;
    } else if (entry.pattern !== undefined && !sameValues(facts.values, sliceSpans(line, from, entry.spans))) {
      // Same shape, values elsewhere: the shape's check missed a case; stop answering for it.
      this.refuse(entry);
    }
    if (entry.pattern === undefined) return;
    if (entry.variants.size >= MAX_VARIANTS) entry.variants.clear();
    entry.variants.set(keptDigits(line, from, entry.keptSpans), target);
  }

  /** A new shape: noted on its first miss, checked and entered on its second. */
  private admit(line: string, from: number, facts: MaskedFacts): ShapeEntry<T> | undefined {
    if (this.seenOnce.get(this.key) !== this.check) {
      if (this.seenOnce.size >= this.cap) this.seenOnce.clear();
      this.seenOnce.set(this.key, this.check);
      return undefined;
    }
    this.seenOnce.delete(this.key);
    if (this.entries.size >= this.cap) {
      this.entries.clear();
      this.probes.clear();
    }
    const entry = this.newEntry(line, from, facts);
    this.entries.set(this.key, entry);
    if (entry.pattern !== undefined) this.addProbe(entry);
    return entry;
  }

  private addProbe(entry: ShapeEntry<T>): void {
    let candidates = this.probes.get(entry.probe);
    if (candidates === undefined) this.probes.set(entry.probe, (candidates = []));
    // The least used shape makes room, and is forgotten so that it can be learnt again.
    if (candidates.length >= MAX_CANDIDATES) this.entries.delete(candidates.pop()!.key);
    candidates.push(entry);
  }

  private refuse(entry: ShapeEntry<T>): void {
    entry.pattern = undefined;
    const candidates = this.probes.get(entry.probe);
    const at = candidates?.indexOf(entry) ?? -1;
    if (at >= 0) candidates!.splice(at, 1);
  }

  /** Hashes the text's shape and records its digit runs; false when it must not be memoised. */
  private shape(line: string, from: number): boolean {
    let a = SEED_A;
    let b = SEED_B;
    let runs = 0;
    let runStart = -1;
    const n = line.length;
    // Every digit hashes as `0`, so a run's length is in the hash; its class is added where it
    // ends. Per character only the start and end of a run take a branch.
    for (let i = from; i <= n; i++) {
      const c = i < n ? line.charCodeAt(i) : 0;
      const digit = c - 48 >>> 0 < 10;
      if (digit) {
        if (runStart < 0) runStart = i;
      } else if (runStart >= 0) {
        if (runs === MAX_RUNS) return false;
        const telling = isTellingDigits(line, runStart, i);
        this.runStarts[runs] = runStart;
        this.runEnds[runs] = i;
        this.runIsTelling[runs++] = telling ? 1 : 0;
        if (telling) {
          for (let k = runStart; k < i; k++) {
            a = Math.imul(a ^ (TELLING_DIGIT_TOKEN + line.charCodeAt(k)), LANE_A);
            b = Math.imul(b ^ (TELLING_DIGIT_TOKEN + line.charCodeAt(k)), LANE_B);
          }
        } else {
          const token = RUN_TOKEN + runClass(line, runStart, i);
          a = Math.imul(a ^ token, LANE_A);
          b = Math.imul(b ^ token, LANE_B);
        }
        runStart = -1;
      }
      const unit = digit ? 48 : c;
      a = Math.imul(a ^ unit, LANE_A);
      b = Math.imul(b ^ unit, LANE_B);
    }
    this.runCount = runs;
    this.key = a >>> 0;
    this.check = (b >>> 0) * 0x10000 + ((n - from) & 0xffff);
    return true;
  }

  /** An entry for the shape of the text just masked, answering only if its check passes. */
  private newEntry(line: string, from: number, facts: MaskedFacts): ShapeEntry<T> {
    const refused: ShapeEntry<T> = { key: this.key, check: this.check, pattern: undefined, probe: 0, spans: new Int32Array(0), keptSpans: new Int32Array(0), variants: new Map() };
    const spans = locateValues(line, from, facts.values);
    if (spans === undefined) return refused;
    const kept: number[] = [];
    const changed: number[] = [];
    for (let r = 0; r < this.runCount; r++) {
      const start = this.runStarts[r]!;
      const end = this.runEnds[r]!;
      const inside = spanHolding(spans, start - from, end - from);
      if (inside === 'straddles') return refused;
      // The pattern holds a telling run's digits: they neither vary nor key variants.
      if (this.runIsTelling[r] === 1) continue;
      const beforeX = (line.charCodeAt(end) | 32) === 120;
      if (inside === 'outside' || beforeX) kept.push(start - from, end - from);
      else changed.push(r);
    }
    if (!this.checkWithChangedDigits(line, from, facts, spans, changed)) return refused;
    return { key: this.key, check: this.check, pattern: this.shapePattern(line, from), probe: probeKey(line, from), spans, keptSpans: Int32Array.from(kept), variants: new Map() };
  }

  /**
   * A pattern matching exactly the texts of the shape just hashed: its characters, each digit run
   * as digits of the same length and class, never a telling literal's (a telling literal's run as
   * its very digits). V8 compiles a pattern to machine code once it is used often, so checking a
   * line costs a few nanoseconds per character less than hashing it in a loop (and no hash can
   * collide).
   */
  private shapePattern(line: string, from: number): RegExp {
    let source = '';
    let copied = from;
    for (let r = 0; r < this.runCount; r++) {
      const start = this.runStarts[r]!;
      const end = this.runEnds[r]!;
      const run = this.runIsTelling[r] === 1 ? line.slice(start, end) : runPattern(line, start, end);
      source += escapePattern(line.slice(copied, start)) + run;
      copied = end;
    }
    return new RegExp(`${source}${escapePattern(line.slice(copied))}$`, 'y');
  }

  /** Masks the text again with the digits of `changed` runs changed: same template, values at the same offsets? */
  private checkWithChangedDigits(line: string, from: number, facts: MaskedFacts, spans: Int32Array, changed: number[]): boolean {
    let text = '';
    let copied = from;
    for (const r of changed) {
      const start = this.runStarts[r]!;
      const end = this.runEnds[r]!;
      const digits = changedDigits(line, start, end);
      if (digits === undefined) return false;
      text += line.slice(copied, start) + digits;
      copied = end;
    }
    text += line.slice(copied);
    const again = scanLine(text);
    return again.key === facts.key && again.check === facts.check && again.tellingValues.length === 0 && sameValues(again.maskedValues, sliceSpans(text, 0, spans));
  }
}

/**
 * Where `recall` looks for a text's shape: its length and eight characters at fixed fractions of
 * it, digits as `0`. Texts of one shape have one length and their digits at the same offsets, so
 * they share the key; shapes that share it are told apart by their patterns.
 */
function probeKey(line: string, from: number): number {
  const length = line.length - from;
  let key = Math.imul(SEED_A ^ length, LANE_A);
  for (let k = 0; k < 8; k++) {
    let c = line.charCodeAt(from + ((length * k) >> 3));
    if (c - 48 >>> 0 < 10) c = 48;
    key = Math.imul(key ^ c, LANE_B);
  }
  return key >>> 0;
}

/** The digits of the kept runs, joined: which of the shape's variants a text is. */
function keptDigits(line: string, from: number, keptSpans: Int32Array): string {
  if (keptSpans.length === 0) return '';
  let digits = '';
  for (let s = 0; s < keptSpans.length; s += 2) digits += `${line.slice(from + keptSpans[s]!, from + keptSpans[s + 1]!)}/`;
  return digits;
}

/** A digit run in a shape's pattern: its length, its class's first digits, and not a telling literal. */
function runPattern(line: string, start: number, end: number): string {
  const length = end - start;
  const first = line.charCodeAt(start) - 48;
  const telling = TELLING_DIGITS_BY_LENGTH.get(length);
  const notTelling = telling === undefined ? '' : `(?!${telling.join('|')})`;
  if (length === 3) return `${notTelling}${first >= 1 && first <= 5 ? '[1-5]' : '[06-9]'}\\d{2}`;
  if (length === 4) return `${notTelling}${first >= 1 && first <= 4 ? '[1-4]' : '[05-9]'}\\d{3}`;
  return `${notTelling}\\d{${length}}`;
}

function escapePattern(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&');
}

/**
 * A run's length and, for three and four digits, whether its value is in the range the masker
 * keeps as an HTTP status (100–599) or a MySQL error number (1000–4999): the first digit decides.
 */
function runClass(line: string, start: number, end: number): number {
  const length = end - start;
  const first = line.charCodeAt(start) - 48;
  const inRange = (length === 3 && first >= 1 && first <= 5) || (length === 4 && first >= 1 && first <= 4);
  return length * 2 + (inRange ? 1 : 0);
}

/** The run's digits changed, each one, keeping its length, its class and off the telling literals; undefined if no such change. */
function changedDigits(line: string, start: number, end: number): string | undefined {
  const length = end - start;
  const first = line.charCodeAt(start) - 48;
  // The first digit moves within its class's set (for lengths with a class), the others to the next digit.
  const firstSet = length === 3 ? (first >= 1 && first <= 5 ? [1, 2, 3, 4, 5] : [0, 6, 7, 8, 9]) : length === 4 ? (first >= 1 && first <= 4 ? [1, 2, 3, 4] : [0, 5, 6, 7, 8, 9]) : [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
  for (let attempt = 1; attempt < firstSet.length; attempt++) {
    let digits = String(firstSet[(firstSet.indexOf(first) + attempt) % firstSet.length]);
    for (let k = start + 1; k < end; k++) digits += String((line.charCodeAt(k) - 48 + attempt) % 10);
    if (!isTellingDigits(digits, 0, digits.length)) return digits;
  }
  return undefined;
}

/** Offsets (from `from`) of each value, found in order; undefined when one is not in the text as it is. */
function locateValues(line: string, from: number, values: string[]): Int32Array | undefined {
  const spans = new Int32Array(values.length * 2);
  let cursor = from;
  for (let v = 0; v < values.length; v++) {
    const at = line.indexOf(values[v]!, cursor);
    if (at < 0) return undefined;
    spans[2 * v] = at - from;
    spans[2 * v + 1] = at + values[v]!.length - from;
    cursor = at + values[v]!.length;
  }
  return spans;
}

/** Whether [start, end) lies inside one span, outside all, or across a span's edge. */
function spanHolding(spans: Int32Array, start: number, end: number): 'inside' | 'outside' | 'straddles' {
  for (let s = 0; s < spans.length; s += 2) {
    if (end <= spans[s]! || start >= spans[s + 1]!) continue;
    return start >= spans[s]! && end <= spans[s + 1]! ? 'inside' : 'straddles';
  }
  return 'outside';
}

function sliceSpans(line: string, from: number, spans: Int32Array): string[] {
  const values = new Array<string>(spans.length / 2);
  for (let v = 0; v < values.length; v++) values[v] = line.slice(from + spans[2 * v]!, from + spans[2 * v + 1]!);
  return values;
}

function sameValues(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
