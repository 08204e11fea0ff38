import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { scanLine } from '../../src/detect/mask.js';
import { ShapeMemo } from '../../src/detect/shape-memo.js';

/** The masker's answer for a line, copied out (the masker is reused). */
function masked(line: string) {
  const s = scanLine(line);
  return { template: s.template(), values: s.maskedValues, telling: s.tellingValues, key: s.key, check: s.check };
}

/** Asks the memo as the fingerprinter does: recall, else mask and learn. Returns what the memo answered, if it did. */
function ask(memo: ShapeMemo<string>, line: string, from = 0): { template: string; values: string[] } | undefined {
  const recalled = memo.recall(line, from);
  if (recalled !== undefined) return { template: recalled, values: memo.values };
  const facts = masked(line.slice(from));
  memo.learn(line, from, facts, facts.template);
  return undefined;
}

/** Teaches `teach` (a shape is learnt on its second miss), then asks for `line`. */
function learnt(memo: ShapeMemo<string>, teach: string, line: string) {
  ask(memo, teach);
  ask(memo, teach);
  return ask(memo, line);
}

describe('ShapeMemo', () => {
  it('answers a line that differs from a learnt one only in masked digits, values from the line', () => {
    const memo = new ShapeMemo<string>(100);
    const answer = learnt(memo, "Duplicate entry '6106208' for key 'listings.PRIMARY' in /a/Db.php on line 120", "Duplicate entry '9278399' for key 'listings.PRIMARY' in /a/Db.php on line 240");
    expect(answer).toEqual({ template: "Duplicate entry '<NUM>' for key 'listings.PRIMARY' in /a/Db.php on line <NUM>", values: ['9278399', '240'] });
  });

  it('learns a shape on its second miss: lines that never repeat a shape are not checked', () => {
    const memo = new ShapeMemo<string>(100);
    expect(ask(memo, 'retry 1 of 5')).toBeUndefined();
    expect(ask(memo, 'retry 2 of 5')).toBeUndefined();
    expect(ask(memo, 'retry 3 of 5')).toEqual({ template: 'retry <NUM> of <NUM>', values: ['3', '5'] });
  });

  it('answers text that starts inside a line (after a header)', () => {
    const memo = new ShapeMemo<string>(100);
    const header = '[23-Nov-2026 00:00:00 UTC] PHP Warning:  ';
    ask(memo, header + 'Server 10.1.2.3:11211 (tcp 11211) failed', header.length);
    ask(memo, header + 'Server 10.4.5.6:11211 (tcp 11211) failed', header.length);
    expect(ask(memo, header + 'Server 10.9.8.7:11211 (tcp 11211) failed', header.length)).toEqual({
      template: 'Server <IP> (tcp <NUM>) failed',
      values: ['10.9.8.7:11211', '11211'],
    });
  });

  it('never answers a line holding a telling value, whatever it learnt', () => {
    const memo = new ShapeMemo<string>(100);
    expect(learnt(memo, 'id 2147483646 overflow', 'id 2147483647 overflow')).toBeUndefined();
    expect(learnt(memo, 'got -129 back', 'got -128 back')).toBeUndefined();
    expect(ask(memo, 'id 2147483647 overflow')).toBeUndefined();
  });

  it('learns a run that is a telling literal\'s digits but masked (a line number 255) as a shape of its own', () => {
    const memo = new ShapeMemo<string>(100);
    const line = (n: string, id: string) => `Connection refused for ${id} in /a/Db.php:${n}`;
    expect(masked(line('255', '4411')).telling).toEqual([]);
    expect(learnt(memo, line('255', '4411'), line('255', '3822'))).toEqual({ template: masked(line('255', '3822')).template, values: ['3822', '255'] });
    // Its neighbours are other shapes: not answered from the 255 shape, nor it from theirs.
    expect(ask(memo, line('254', '3822'))).toBeUndefined();
    expect(learnt(memo, line('254', '1234'), line('253', '1234'))).toEqual({ template: masked(line('253', '1234')).template, values: ['1234', '253'] });
    expect(ask(memo, line('255', '2555'))).toEqual({ template: masked(line('255', '2555')).template, values: ['2555', '255'] });
    expect(ask(memo, line('256', '2555'))).toBeUndefined();
  });

  it('keys kept digits by their value: each status its own template', () => {
    const memo = new ShapeMemo<string>(100);
    expect(learnt(memo, 'HTTP/1.1 503 from 10.0.0.1', 'HTTP/1.1 502 from 10.0.0.2')).toBeUndefined();
    expect(ask(memo, 'HTTP/1.1 502 from 10.0.0.3')).toEqual({ template: 'HTTP/1.1 502 from <IP>', values: ['10.0.0.3'] });
    expect(ask(memo, 'HTTP/1.1 503 from 10.0.0.4')).toEqual({ template: 'HTTP/1.1 503 from <IP>', values: ['10.0.0.4'] });
  });

  it('tells apart values on either side of the ranges the masker keeps (HTTP statuses, MySQL errors)', () => {
    const memo = new ShapeMemo<string>(100);
    expect(learnt(memo, 'upstream returned 700 rows', 'upstream returned 404 rows')).toBeUndefined();
    expect(learnt(memo, 'SQLSTATE: error 5062 here', 'SQLSTATE: error 1062 here')).toBeUndefined();
  });

  it('reads the digit before x as part of the shape (0x7f is hex, 1x7f is not)', () => {
    const memo = new ShapeMemo<string>(100);
    expect(learnt(memo, 'bad value 1x7f', 'bad value 0x7f')).toBeUndefined();
    expect(ask(memo, 'bad value 0x7f')).toEqual({ template: 'bad value <HEX>', values: ['0x7f'] });
  });

  it('does not answer for a shape whose values the masker rewrites', () => {
    const memo = new ShapeMemo<string>(100);
    // The value is `5.2 KB`, with a space where the line has a tab.
    expect(learnt(memo, 'read 5.2\tKB then', 'read 7.3\tKB then')).toBeUndefined();
    expect(masked('read 7.3\tKB then').values).toEqual(['7.3 KB']);
  });

  it('does not answer for a shape where a value was found at the wrong place', () => {
    const memo = new ShapeMemo<string>(100);
    // The masked value `1` (the last word) is first found in `HTTP/1.1`, whose digits the template keeps.
    expect(masked('HTTP/1.1 returned 1')).toMatchObject({ template: 'HTTP/1.1 returned <NUM>', values: ['1'] });
    expect(learnt(memo, 'HTTP/1.1 returned 1', 'HTTP/2.1 returned 1')).toBeUndefined();
  });

  it('forgets everything when full, and answers again once it relearns', () => {
    const memo = new ShapeMemo<string>(2);
    for (const word of ['a', 'b']) for (let i = 0; i < 2; i++) ask(memo, `${word} ${i}`);
    expect(ask(memo, 'a 7')).toEqual({ template: 'a <NUM>', values: ['7'] });
    for (let i = 0; i < 2; i++) ask(memo, `c ${i}`);
    expect(ask(memo, 'a 2')).toBeUndefined();
    expect(ask(memo, 'a 3')).toBeUndefined();
    expect(ask(memo, 'a 4')).toEqual({ template: 'a <NUM>', values: ['4'] });
  });

  it('reads pattern syntax in a line as the characters they are', () => {
    const memo = new ShapeMemo<string>(100);
    const line = (n: number) => `a.b*c+d? (e) [f] {g} ^h$ i|j \\k /l ${n} done`;
    expect(learnt(memo, line(12), line(34))).toEqual({ template: masked(line(34)).template, values: ['34'] });
    // Each syntax character read as what it means in a pattern would match these too.
    for (const other of ['aXb*c+d? (e) [f] {g} ^h$ i|j \\k /l 56 done', 'a.bbbc+d? (e) [f] {g} ^h$ i|j \\k /l 56 done', 'a.b*c+d? (e) [f] {g} ^h$ i|j \\k /l 56 dona']) {
      expect(memo.recall(other, 0)).toBeUndefined();
    }
  });

  it('keeps apart many shapes that share a length and differ only in their runs\' classes', () => {
    const memo = new ShapeMemo<string>(1000);
    // 3-digit runs in and out of the HTTP-status range: 2^4 shapes of one length and one probe.
    const runs = ['100', '700'];
    const lines = runs.flatMap((a) => runs.flatMap((b) => runs.flatMap((c) => runs.map((d) => `got ${a} then ${b} and ${c} or ${d}`))));
    for (const line of lines) {
      ask(memo, line);
      ask(memo, line);
    }
    for (const line of lines) expect(ask(memo, line)).toEqual({ template: masked(line).template, values: masked(line).values });
  });

  it('answers exactly as the masker does on lines of tricky words, with their digits changed', () => {
    const word = fc.constantFrom(
      'took', 'time', 'user', 'line', 'status', 'code', 'returned', 'HTTP/1.1', 'SQLSTATE[23000]:', 'error', 'port', 'ms', 'KB', 'bytes',
      'seconds', '(1.16', 'KB)', 'id=', 'x=1,y=2', 'Db.php:120', 'node-12', '1.2.3', '[1-12]', '10.0.0.1:80', 'fe80::1:2', '2026-11-24',
      '14:06:07', '0x1f', '1x1f', 'a3f9c0e1d2b4', 'web12', "'6106208'", '"a b"', 'bob@example.com', 'https://a.io/v1?id=7&t=9', 'GET', '-12',
      '+7', '12,', '(110)', '5.2', '3rd', 'job_1445_0020', '00:1a:2b:3c:4d:5e',
    );
    const digits = fc.stringMatching(/^[0-9]{1,12}$/);
    const lineOf = fc.array(fc.oneof(word, digits, fc.constantFrom('127', '128', '255', '2147483647', '404', '1062', '599', '600', '999', '4999', '5000')), { minLength: 1, maxLength: 10 });
    const seeds = fc.array(fc.nat(), { minLength: 4, maxLength: 4 });
    let answered = 0;
    fc.assert(
      fc.property(lineOf, seeds, (words, variantSeeds) => {
        const memo = new ShapeMemo<string>(1000);
        const line = words.join(' ');
        for (const text of [line, ...variantSeeds.map((seed) => withDigitsChanged(line, seed)), line]) {
          const answer = ask(memo, text);
          if (answer === undefined) continue;
          answered++;
          const truth = masked(text);
          expect(truth.telling).toEqual([]);
          expect(answer).toEqual({ template: truth.template, values: truth.values });
        }
      }),
      { numRuns: 2000 },
    );
    // The comparison above must have happened, often (about 2 000 answers a run; the lines are random).
    expect(answered).toBeGreaterThan(1000);
  });
});

/** The line with each digit replaced by one drawn from `seed` (a small LCG): the same shape, other values. */
function withDigitsChanged(line: string, seed: number): string {
  let state = seed >>> 0;
  return line.replace(/[0-9]/g, () => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return String(state % 10);
  });
}
