/**
 * Hostile lines (issue 7.3, RELIABILITY.md B1/B2/B4): property-based tests of header parsing,
 * fingerprinting, escaping and line splitting on arbitrary input — never a throw, the same output
 * for the same input — and the 1 MiB adversarial shapes of bench/hostile.mjs run to completion
 * (their timing is a bench figure, not asserted here).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseHeader } from '../../src/pipeline/parse-header.js';
import { LEVELS } from '../../src/pipeline/record.js';
import { visibleText } from '../../src/pipeline/visible-text.js';
import { createFingerprinter, fingerprint } from '../../src/detect/fingerprint.js';
import { LineSplitter } from '../../src/tail/line-splitter.js';
import { execFile } from 'node:child_process';
import { CLI } from '../support/cli.js';

/** The built CLI with raw bytes on stdin (runCli takes text, which would re-encode them). */
function runCliWithBytes(args: string[], input: Buffer): Promise<{ code: number; stdout: string }> {
  return new Promise((resolve) => {
    const child = execFile(process.execPath, [CLI, ...args], { maxBuffer: 64 * 1024 * 1024 }, (error, stdout) => {
      resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : 1, stdout });
    });
    child.stdin?.end(input);
  });
}

const NOW = Date.parse('2026-11-24T01:00:00Z');
const HEADERS = [
  '',
  '[24-Nov-2026 01:00:00 UTC] PHP Warning:  ',
  '[24-Nov-2026 01:00:00 Europe/Berlin] PHP Fatal error:  ',
  '2026/11/24 01:00:00 [error] 7#0: *1 ',
  '[Tue Nov 24 01:00:00.123456 2026] [php:error] [pid 1] [client 10.0.0.1:5] ',
  '<27>Nov 24 01:00:00 web-1 php-fpm[9]: ',
  '<27>1 2026-11-24T01:00:00.000Z web-1 app 9 ID47 - ',
  '2026-11-24T01:00:00.000Z ERROR ',
  '[2026-11-24 01:00:00] production.ERROR: ',
  '{"level":"error","time":"2026-11-24T01:00:00Z","msg":"',
  'PHP Notice:  ',
  'Nov 24 01:00:00 web-1 app: ',
];
/** Characters that trouble parsers and terminals: controls, escapes, quotes, bidi, lone surrogates. */
const NASTY = ['\x00', '\x1b', '\x1b[2J', '\x1b]0;title\x07', '\x1b]52;c;Zm9v\x07', '\x9b', '\x7f', '\r', '\b', '\t', '"', '\\', '{', '[', ']', ':', '\u202e', '\u2028', '\ufeff', '\ud800', '\udfff', '\ufffd', 'é', '𝔘'];
const nastyText = fc.array(fc.oneof(fc.string({ unit: 'grapheme', maxLength: 8 }), fc.constantFrom(...NASTY), fc.integer().map(String)), { maxLength: 40 })
  .map((parts) => parts.join(''));
const hostileLine = fc.tuple(fc.constantFrom(...HEADERS), nastyText, fc.string({ unit: 'binary', maxLength: 60 })).map(([header, body, tail]) => header + body + tail);

/** Sink-unsafe characters: C0 except TAB, DEL, C1, line/paragraph separators, bidi controls. */
const UNSAFE = /[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

describe('hostile lines: header parsing', () => {
  it('never throws, returns the same for the same line, and a well-formed header', () => {
    fc.assert(fc.property(hostileLine, (line) => {
      const first = parseHeader(line, NOW);
      expect(parseHeader(line, NOW)).toEqual(first);
      expect(typeof first.message).toBe('string');
      expect(first.at === undefined || Number.isFinite(first.at)).toBe(true);
      expect(first.level === undefined || LEVELS.includes(first.level)).toBe(true);
      expect(first.host === undefined || typeof first.host === 'string').toBe(true);
    }), { numRuns: 3_000 });
  });

  it('a line it cannot read is the unknown format, the whole line as the message', () => {
    fc.assert(fc.property(nastyText.filter((s) => !/^[[0-9{<PA-Z]/.test(s)), (line) => {
      expect(parseHeader(line, NOW)).toEqual({ at: undefined, level: undefined, message: line, messageStart: 0, host: undefined });
    }), { numRuns: 1_000 });
  });
});

describe('hostile lines: fingerprinting', () => {
  it('never throws; the same messages give the same fingerprints in any fresh fingerprinter, and the pure function is stable', () => {
    fc.assert(fc.property(fc.array(hostileLine, { minLength: 1, maxLength: 20 }), (lines) => {
      // The catalog clusters online, so order matters to it; the same sequence must give the same answers.
      const first = createFingerprinter();
      const second = createFingerprinter();
      expect(lines.map((line) => second.sign(line))).toEqual(lines.map((line) => first.sign(line)));
      for (const line of lines) {
        const pure = fingerprint(line);
        expect(fingerprint(line)).toEqual(pure);
        expect(pure.id).toMatch(/^[0-9a-f]{8,}$/);
      }
    }), { numRuns: 500 });
  });

  it('templates carry no control, C1 or bidi characters (B1)', () => {
    fc.assert(fc.property(hostileLine, (line) => {
      expect(fingerprint(line).template).not.toMatch(UNSAFE);
    }), { numRuns: 1_000 });
  });
});

describe('hostile lines: escaping for display', () => {
  it('visibleText leaves nothing a terminal would act on, and is the identity on safe text', () => {
    fc.assert(fc.property(hostileLine, (line) => {
      const shown = visibleText(line);
      expect(shown).not.toMatch(UNSAFE);
      if (!UNSAFE.test(line)) expect(shown).toBe(line);
    }), { numRuns: 3_000 });
  });
});

describe('hostile lines: splitting bytes into lines', () => {
  const bytes = fc.array(fc.oneof(
    fc.uint8Array({ maxLength: 64 }),
    fc.constantFrom(...['\n', '\r\n', '\x00\x00\x00', '\xef\xbb\xbf', 'é', '\ud83d\ude00'].map((s) => Buffer.from(s, s.startsWith('\xef') ? 'latin1' : 'utf8'))),
  ), { maxLength: 30 }).map((parts) => Buffer.concat([Buffer.from('x'), ...parts.map((part) => Buffer.from(part))]));

  it('the same lines however the bytes are cut into reads (UTF-8 split across reads, NUL runs, CRLF, cap)', () => {
    fc.assert(fc.property(bytes, fc.array(fc.nat(), { maxLength: 6 }), (input, cutsRaw) => {
      const whole: string[] = [];
      const reference = new LineSplitter(16);
      reference.push(input, whole);
      reference.end(whole);
      const cuts = [...new Set(cutsRaw.map((cut) => (input.length === 0 ? 0 : cut % input.length)))].sort((a, b) => a - b);
      const pieces: string[] = [];
      const split = new LineSplitter(16);
      let from = 0;
      for (const cut of [...cuts, input.length]) {
        split.push(input.subarray(from, cut), pieces);
        from = cut;
      }
      split.end(pieces);
      expect(pieces).toEqual(whole);
      for (const line of whole) {
        expect(line.length).toBeLessThanOrEqual(16); // the cap in bytes; each byte decodes to at most one UTF-16 unit
      }
    }), { numRuns: 2_000 });
  });

  it('a BOM-led first line of exactly the cap gives the same line whole or cut after the first byte', () => {
    const input = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.alloc(16, 0x61), Buffer.from('\n')]);
    const whole: string[] = [];
    new LineSplitter(16).push(input, whole);
    const pieces: string[] = [];
    const split = new LineSplitter(16);
    split.push(input.subarray(0, 1), pieces);
    split.push(input.subarray(1), pieces);
    expect(pieces).toEqual(whole);
  });

  it('a 10 MiB line without a newline, then a normal one: one line cut at the cap, counted, then the normal line', () => {
    const splitter = new LineSplitter();
    const lines: string[] = [];
    const chunk = Buffer.alloc(256 * 1024, 0x61);
    for (let i = 0; i < 40; i++) splitter.push(chunk, lines);
    splitter.push(Buffer.from('\nafter\n'), lines);
    expect(lines.map((line) => line.length)).toEqual([65_536, 5]);
    expect(splitter.tally.truncated).toBe(1);
    expect(splitter.heldBytes).toBe(0);
  });
});

describe('hostile lines: 1 MiB adversarial shapes complete (timings in bench/hostile.mjs)', () => {
  const fill = (unit: string, size: number): string => unit.repeat(Math.ceil(size / unit.length)).slice(0, size);
  const MIB = 1024 * 1024;
  it.each([
    ['a…a!', fill('a', MIB) + '!'],
    ['quote-backslash', fill('"\\"', MIB)],
    ['numbers', fill('1 ', MIB)],
    ['key=value', fill('k=1 ', MIB)],
    ['dotted', fill('1.1.', MIB)],
    ['emails', fill('a@a.', MIB)],
    ['ANSI', fill('\x1b[31m', MIB)],
    ['OSC unterminated', '\x1b]0;' + fill('t', MIB)],
    ['NUL and C1', fill('\x00\x9b', MIB)],
  ])('%s', (_shape, body) => {
    for (const header of HEADERS) {
      const line = header + body;
      expect(parseHeader(line, NOW).message.length).toBeGreaterThan(0);
      expect(fingerprint(line).id).toMatch(/^[0-9a-f]+$/);
      expect(visibleText(line)).not.toMatch(UNSAFE);
    }
  });
});

describe('hostile lines through the CLI (B1, B4)', () => {
  it('escapes, NUL, invalid UTF-8 and random bytes on stdin: counted, and no raw ESC or 8-bit CSI on stdout', async () => {
    const hostile = [
      '[24-Nov-2026 01:00:00 UTC] PHP Warning:  title \x1b]0;pwned\x07 clear \x1b[2J\x1b[3J csi8 \x9b31m bell \x07 nul \x00 end',
      '[24-Nov-2026 01:00:01 UTC] PHP Warning:  clipboard \x1b]52;c;ZXZpbA==\x07 link \x1b]8;;http://evil\x1b\\x\x1b]8;;\x1b\\ dcs \x1bPq#0\x1b\\',
    ].join('\n');
    const random = Buffer.from(Array.from({ length: 200_000 }, (_, i) => (i * 2654435761) >>> 24));
    const input = Buffer.concat([Buffer.from(hostile + '\n'), Buffer.from([0xff, 0xfe, 0x0a]), random, Buffer.from('\n')]);
    const result = await runCliWithBytes(['watch', '-', '--json', '--no-listen'], input);
    expect(result.code).toBe(0);
    expect(result.stdout).not.toMatch(/[\x1b\x9b]/);
    const stats = result.stdout.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>).filter((event) => event['type'] === 'stats');
    expect(stats.at(-1)?.['lines']).toBeGreaterThan(3);
  });
});
