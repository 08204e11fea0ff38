import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { visibleText } from '../../src/pipeline/visible-text.js';

/** Every character a terminal could act on (RELIABILITY.md §4.3), as one class. */
const UNSAFE = /[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

describe('visibleText', () => {
  it('returns the very same string when nothing needs escaping', () => {
    const clean = 'PHP Fatal error:\tUncaught Exception: déjà vu 💥 in /var/www/a.php:3';
    expect(visibleText(clean)).toBe(clean);
    expect(visibleText('')).toBe('');
  });

  it('escapes every kind of escape sequence by escaping its introducer and terminator', () => {
    const table: Array<[string, string]> = [
      ['\x1b[2J\x1b[H', '\\x1b[2J\\x1b[H'], // CSI: clear screen, home
      ['\x1b[31mred\x1b[0m', '\\x1b[31mred\\x1b[0m'],
      ['\x1b]0;pwned\x07', '\\x1b]0;pwned\\x07'], // OSC window title ended by BEL
      ['\x1b]52;c;aGk=\x1b\\', '\\x1b]52;c;aGk=\\x1b\\'], // OSC 52 clipboard ended by ST
      ['\x1b]8;;http://evil/\x1b\\link\x1b]8;;\x1b\\', '\\x1b]8;;http://evil/\\x1b\\link\\x1b]8;;\\x1b\\'], // OSC 8 hyperlink
      ['\x1bP+q544e\x1b\\', '\\x1bP+q544e\\x1b\\'], // DCS
      ['\x1b_apc\x1b\\', '\\x1b_apc\\x1b\\'], // APC
      ['\x1b^pm\x1b\\', '\\x1b^pm\\x1b\\'], // PM
      ['\x1bXsos\x1b\\', '\\x1bXsos\\x1b\\'], // SOS
      ['\u009b2J', '\\x9b2J'], // 8-bit CSI
      ['\u009d0;t\u009c', '\\x9d0;t\\x9c'], // 8-bit OSC and ST
      ['\u0090q\u009c', '\\x90q\\x9c'], // 8-bit DCS
    ];
    for (const [input, shown] of table) expect(visibleText(input), JSON.stringify(input)).toBe(shown);
  });

  it('escapes C0 controls except TAB, DEL and all of C1', () => {
    expect(visibleText('a\x00b\x01c\x07d\x0be\x0cf\x1fg\x7fh')).toBe('a\\x00b\\x01c\\x07d\\x0be\\x0cf\\x1fg\\x7fh');
    expect(visibleText('tab\tstays')).toBe('tab\tstays');
    for (let code = 0x80; code <= 0x9f; code++) {
      expect(visibleText(String.fromCharCode(code))).toBe(`\\x${code.toString(16)}`);
    }
  });

  it('escapes carriage return, backspace and newline by name', () => {
    expect(visibleText('ok\rFAKE')).toBe('ok\\rFAKE');
    expect(visibleText('abc\b\b\bxyz')).toBe('abc\\b\\b\\bxyz');
    expect(visibleText('one\ntwo')).toBe('one\\ntwo');
    expect(visibleText('one\r\ntwo')).toBe('one\\r\\ntwo');
  });

  it('keeps newlines when multi-line text is allowed, but not a lone carriage return', () => {
    expect(visibleText('one\ntwo', { multiline: true })).toBe('one\ntwo');
    expect(visibleText('one\r\ntwo', { multiline: true })).toBe('one\ntwo');
    expect(visibleText('one\rtwo\n\x1b[2J', { multiline: true })).toBe('one\\rtwo\n\\x1b[2J');
    const clean = 'Stack trace:\n#0 {main}';
    expect(visibleText(clean, { multiline: true })).toBe(clean);
  });

  it('escapes line and paragraph separators and bidi controls', () => {
    expect(visibleText('a\u2028b\u2029c')).toBe('a\\u2028b\\u2029c');
    expect(visibleText('user \u202eexe.txt')).toBe('user \\u202eexe.txt');
    for (const code of [0x202a, 0x202b, 0x202c, 0x202d, 0x202e, 0x2066, 0x2067, 0x2068, 0x2069]) {
      expect(visibleText(String.fromCharCode(code))).toBe(`\\u${code.toString(16)}`);
    }
    expect(visibleText('\u200f\u061c')).toBe('\u200f\u061c'); // marks, not embeddings: left alone
  });

  it('leaves no unsafe character in any output, and clean text unchanged', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 60 }), fc.boolean(), (text, multiline) => {
        const shown = visibleText(text, { multiline });
        const check = multiline ? shown.replaceAll('\n', '') : shown;
        expect(UNSAFE.test(check)).toBe(false);
        if (!UNSAFE.test(text)) expect(shown).toBe(text);
      }),
      { numRuns: 1000 },
    );
  });
});
