/** Level words of the common log formats → the normalized `Level`. */
import type { Level } from '../record.js';

const WORDS: ReadonlyArray<readonly [Level, readonly string[]]> = [
  ['fatal', ['fatal', 'emerg', 'emergency', 'alert', 'crit', 'critical', 'panic']],
  ['error', ['error', 'err', 'severe', 'dpanic']],
  ['warning', ['warning', 'warn']],
  ['notice', ['notice', 'deprecated']],
  ['info', ['info', 'information', 'informational']],
  ['debug', ['debug', 'dbg', 'verbose', 'trace', 'fine', 'finer', 'finest',
    'trace1', 'trace2', 'trace3', 'trace4', 'trace5', 'trace6', 'trace7', 'trace8']],
];

/** Lower, UPPER and Capitalized spellings up front, so the usual case costs one lookup. */
const LEVEL_BY_WORD = new Map<string, Level>();
for (const [level, words] of WORDS) {
  for (const word of words) {
    LEVEL_BY_WORD.set(word, level);
    LEVEL_BY_WORD.set(word.toUpperCase(), level);
    LEVEL_BY_WORD.set(word[0]!.toUpperCase() + word.slice(1), level);
  }
}

const LONGEST_WORD = 16;

/** `ERROR`, `warn`, `Crit`, `trace3` … → Level; `undefined` for anything else. */
export function normalizeLevel(word: string): Level | undefined {
  const exact = LEVEL_BY_WORD.get(word);
  if (exact !== undefined || word.length > LONGEST_WORD) return exact;
  return LEVEL_BY_WORD.get(word.toLowerCase());
}

/** Syslog severity (PRI mod 8) → Level: 0-2 emerg/alert/crit, 3 err, 4 warning, 5 notice, 6 info, 7 debug. */
const SYSLOG_SEVERITY: readonly Level[] = ['fatal', 'fatal', 'fatal', 'error', 'warning', 'notice', 'info', 'debug'];

export function levelFromSyslogPriority(priority: number): Level {
  return SYSLOG_SEVERITY[priority & 7]!;
}

/** pino/bunyan numeric levels: 60 fatal, 50 error, 40 warn, 30 info, 20 debug, 10 trace. */
export function levelFromNumber(value: number): Level | undefined {
  if (!Number.isFinite(value)) return undefined;
  if (value >= 60) return 'fatal';
  if (value >= 50) return 'error';
  if (value >= 40) return 'warning';
  if (value >= 30) return 'info';
  return value >= 0 ? 'debug' : undefined;
}

/** PHP's error-type labels as they appear after `PHP ` and before `:`. */
const PHP_LABELS = new Map<string, Level>([
  ['Fatal error', 'fatal'], ['Parse error', 'fatal'], ['Core error', 'fatal'], ['Compile error', 'fatal'],
  ['Recoverable fatal error', 'fatal'], ['Catchable fatal error', 'fatal'],
  ['Warning', 'warning'], ['Core Warning', 'warning'], ['Compile Warning', 'warning'],
  ['Notice', 'notice'], ['Deprecated', 'notice'], ['Strict Standards', 'notice'],
  ['Unknown error', 'error'],
]);

const LONGEST_PHP_LABEL = 24;

/** The labels by length, so a line's label is compared in place: a slice per line was garbage on the hot path. */
const PHP_LABELS_BY_LENGTH: (readonly [string, Level])[][] = [];
for (const entry of PHP_LABELS) (PHP_LABELS_BY_LENGTH[entry[0].length] ??= []).push(entry);

function phpLabelLevel(text: string, start: number, end: number): Level | undefined {
  const candidates = PHP_LABELS_BY_LENGTH[end - start];
  if (candidates === undefined) return undefined;
  for (const [label, level] of candidates) if (text.startsWith(label, start)) return level;
  return undefined;
}

/**
 * For text starting at `start` with `PHP <label>:`, the level and where the message after the
 * label begins; `undefined` when there is no known label there (`PHP Stack trace:`, free text).
 * The answer is a reused object: read it before the next call.
 */
export function readPhpLabel(text: string, start: number): Readonly<PhpLabel> | undefined {
  if (!text.startsWith('PHP ', start)) return undefined;
  const colon = text.indexOf(':', start + 4);
  if (colon < 0 || colon - start - 4 > LONGEST_PHP_LABEL) return undefined;
  const level = phpLabelLevel(text, start + 4, colon);
  if (level === undefined) return undefined;
  phpLabelRead.level = level;
  phpLabelRead.messageStart = skipSpaces(text, colon + 1);
  return phpLabelRead;
}

interface PhpLabel {
  level: Level;
  messageStart: number;
}

/**
 * `readPhpLabel`'s answer, one object reused: valid until its next call (every caller reads it at
 * once). It runs on every PHP line, and a fresh object per line was garbage on the hot path.
 */
const phpLabelRead: PhpLabel = { level: 'error', messageStart: 0 };

export function skipSpaces(text: string, from: number): number {
  let i = from;
  while (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9) i++;
  return i;
}

/**
 * A level token right after a header's time: `ERROR`, `[warn]`, `ERROR:`, and Monolog/Laravel's
 * `production.ERROR:`. Returns the level and where the message
 * starts, or `undefined` when the token is not a level word.
 */
export function readLevelToken(text: string, start: number): { level: Level; messageStart: number } | undefined {
  let end = text.indexOf(' ', start);
  if (end < 0) end = text.length;
  if (end - start > 48) return undefined;
  let from = start;
  let to = end;
  if (text.charCodeAt(from) === 91 /* [ */) from++;
  while (to > from && isTokenTrailer(text.charCodeAt(to - 1))) to--;
  const dot = text.lastIndexOf('.', to - 1);
  if (dot >= from) from = dot + 1;
  if (to <= from) return undefined;
  const level = normalizeLevel(text.slice(from, to));
  if (level === undefined) return undefined;
  return { level, messageStart: skipSeparators(text, end) };
}

/** Header fields looked through for a level after the first (`UTC [1234] ERROR:`, `- app.db - ERROR -`). */
const LEVEL_FIELDS_SCANNED = 5;

/**
 * A level written as a header field a few tokens after the time, where the formats that do not
 * put it first have it: logback's `[main] ERROR …`, Python's `- name - ERROR - …`, PostgreSQL's
 * `UTC [1234] ERROR:  …`. Only an UPPER-case level word, bare or in `[]`, `()` or `<>`, perhaps
 * with a `:` after it, counts: `Cache info updated` is a message, not an info line. The message
 * is left as it is (only the level is read), so signatures are the same with or without it.
 */
export function findLevelField(text: string, start: number): Level | undefined {
  let from = start;
  for (let token = 0; token < LEVEL_FIELDS_SCANNED && from < text.length; token++) {
    let end = text.indexOf(' ', from);
    if (end < 0) end = text.length;
    const level = upperLevelWord(text, from, end);
    if (level !== undefined) return level;
    from = skipSpaces(text, end);
  }
  return undefined;
}

function upperLevelWord(text: string, start: number, end: number): Level | undefined {
  let from = start;
  let to = end;
  if (isOpening(text.charCodeAt(from))) from++;
  while (to > from && (isClosing(text.charCodeAt(to - 1)) || text.charCodeAt(to - 1) === 58 /* : */)) to--;
  if (to - from < 3 || to - from > LONGEST_WORD) return undefined;
  for (let i = from; i < to; i++) if (!isUpper(text.charCodeAt(i))) return undefined;
  return LEVEL_BY_WORD.get(text.slice(from, to));
}

function isOpening(code: number): boolean {
  return code === 91 /* [ */ || code === 40 /* ( */ || code === 60 /* < */;
}

function isClosing(code: number): boolean {
  return code === 93 /* ] */ || code === 41 /* ) */ || code === 62 /* > */;
}

function isUpper(code: number): boolean {
  return code >= 65 && code <= 90;
}

function isTokenTrailer(code: number): boolean {
  return code === 93 /* ] */ || code === 58 /* : */ || code === 44 /* , */;
}

/** Spaces, and a ` - ` or `: ` or `| ` separator between a level and its message. */
function skipSeparators(text: string, from: number): number {
  let i = skipSpaces(text, from);
  const code = text.charCodeAt(i);
  if ((code === 45 /* - */ || code === 58 /* : */ || code === 124 /* | */) && text.charCodeAt(i + 1) === 32) {
    i = skipSpaces(text, i + 1);
  }
  return i;
}

/**
 * The level a line of no known format states at its very start, where programs writing to stderr
 * put it: a level word in UPPER case, in brackets, or with a colon (`ERROR boom`, `[warn] x`,
 * `panic: …`, `Warning: …`), or `Fatal error:` (PHP without its `PHP ` prefix, Go). A plain word
 * (`critical section entered`, `info about x`) is message text.
 */
export function levelAtStart(line: string): Level | undefined {
  if (/^fatal error:/i.test(line)) return 'fatal';
  const token = readLevelToken(line, 0);
  if (token === undefined) return undefined;
  let end = line.indexOf(' ');
  if (end < 0) end = line.length;
  const raw = line.slice(0, end);
  const marked = raw.startsWith('[') || raw.endsWith(']') || raw.endsWith(':') || raw === raw.toUpperCase();
  return marked ? token.level : undefined;
}

/** Words that mark a syslog message without PRI as a problem; weaker words (info) are not trusted in free text. */
const PROBLEM_WORDS = new Map<string, Level>([
  ['fatal', 'fatal'], ['panic', 'fatal'], ['emerg', 'fatal'], ['emergency', 'fatal'], ['crit', 'fatal'],
  ['critical', 'fatal'], ['alert', 'fatal'], ['error', 'error'], ['err', 'error'],
  ['warning', 'warning'], ['warn', 'warning'],
]);

const WORDS_SCANNED = 12;

/**
 * The level a free-text message states: a level word or `PHP <label>:` at its start, else the
 * first problem word among its first dozen words (`connection error`), else undefined.
 */
export function levelFromWords(message: string): Level | undefined {
  const php = readPhpLabel(message, 0);
  if (php !== undefined) return php.level;
  const leading = readLevelToken(message, 0);
  if (leading !== undefined) return leading.level;
  let words = 0;
  let i = 0;
  while (i < message.length && words < WORDS_SCANNED) {
    while (i < message.length && !isLetter(message.charCodeAt(i))) i++;
    const start = i;
    while (i < message.length && isLetter(message.charCodeAt(i))) i++;
    if (i === start) break;
    words++;
    if (i - start >= 3 && i - start <= 9) {
      const level = PROBLEM_WORDS.get(message.slice(start, i).toLowerCase());
      if (level !== undefined) return level;
    }
  }
  return undefined;
}

function isLetter(code: number): boolean {
  return (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
}
