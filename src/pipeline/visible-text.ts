/**
 * Text from logs made harmless for terminals and HTML text: every character a terminal could
 * act on becomes a visible escape (`\x1b`, `\r`, `\u202e`), so a hostile line is shown, not obeyed.
 *
 * Escaping the introducer of an escape sequence is enough to defuse the whole sequence: CSI
 * (`ESC [` or U+009B), OSC (`ESC ]` or U+009D, ended by BEL or ST), DCS/SOS/PM/APC (`ESC P/X/^/_`
 * or U+0090/0098/009E/009F) all begin with ESC or a C1 character, and their terminators BEL, ESC
 * and U+009C are escaped too. What remains of the sequence is plain printable text, and stays
 * visible so a reader can see what the line tried to do (RELIABILITY.md §4.3).
 */

export interface VisibleTextOptions {
  /** Keep `\n` as a line break (detail views of stack traces); `\r\n` then becomes `\n`. */
  multiline?: boolean;
}

/** C0 except TAB, DEL, C1, line/paragraph separators, bidi embeddings/overrides/isolates. */
const UNSAFE = /[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
/** The same, with `\n` allowed. */
const UNSAFE_BESIDES_NEWLINE = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

const NAMED_ESCAPES = new Map<number, string>([[0x0a, '\\n'], [0x0d, '\\r'], [0x08, '\\b']]);

/** `s` with unsafe characters replaced by visible escapes; `s` itself when it has none. */
export function visibleText(s: string, options: VisibleTextOptions = {}): string {
  const multiline = options.multiline === true;
  if (!(multiline ? UNSAFE_BESIDES_NEWLINE : UNSAFE).test(s)) return s;
  let out = '';
  let safeFrom = 0;
  for (let i = 0; i < s.length; i++) {
    const code = s.charCodeAt(i);
    if (!isUnsafe(code, multiline)) continue;
    out += s.slice(safeFrom, i);
    safeFrom = i + 1;
    if (multiline && code === 0x0d && s.charCodeAt(i + 1) === 0x0a) continue; // CRLF: the `\n` that follows is the break
    out += escapeOf(code);
  }
  return out + s.slice(safeFrom);
}

function isUnsafe(code: number, multiline: boolean): boolean {
  if (code < 0x20) return code !== 0x09 && !(multiline && code === 0x0a);
  if (code < 0x7f) return false;
  return code <= 0x9f || code === 0x2028 || code === 0x2029
    || (code >= 0x202a && code <= 0x202e) || (code >= 0x2066 && code <= 0x2069);
}

function escapeOf(code: number): string {
  const named = NAMED_ESCAPES.get(code);
  if (named !== undefined) return named;
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}
