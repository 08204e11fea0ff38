import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { maskLine, scanLine, scanLineFrom } from '../../src/detect/mask.js';
import { createFingerprinter } from '../../src/detect/fingerprint.js';

/** input → template, values: one row per mask kind and per judgement call in mask.ts. */
const TABLE: [input: string, template: string, values: string[]][] = [
  ['retry 3 of 5', 'retry <NUM> of <NUM>', ['3', '5']],
  ['offset -42 and ratio 0.75', 'offset <NUM> and ratio <NUM>', ['-42', '0.75']],
  ['took 12ms', 'took <DUR>', ['12ms']],
  ['waited 3.5s then 1h30m', 'waited <DUR> then <DUR>', ['3.5s', '1h30m']],
  ['retry in 30 seconds', 'retry in <DUR>', ['30 seconds']],
  ['buffer 64KB full', 'buffer <SIZE> full', ['64KB']],
  ['size 5.2 KB, free 93.0 B', 'size <SIZE>, free <SIZE>', ['5.2 KB', '93.0 B']],
  // The same quantity restated in another unit is one value, so both forms share a template.
  ['1190 bytes (1.16 KB) sent, 0 bytes received', '<SIZE> sent, <SIZE> received', ['1190 bytes (1.16 KB)', '0 bytes']],
  ['waited 1500 ms (1.5 seconds)', 'waited <DUR>', ['1500 ms (1.5 seconds)']],
  ['size (2 KB) and 5 MB, (7 KB)', 'size (<SIZE>) and <SIZE>, (<SIZE>)', ['2 KB', '5 MB', '7 KB']],
  ['read 5 MB (4 ms)', 'read <SIZE> (<DUR>)', ['5 MB', '4 ms']],
  ['bad pointer 0x7ffd1234', 'bad pointer <HEX>', ['0x7ffd1234']],
  ['commit a3f9c0e1d2b4 failed', 'commit <HEX> failed', ['a3f9c0e1d2b4']],
  ['mac 00:1a:2b:3c:4d:5e', 'mac <HEX>', ['00:1a:2b:3c:4d:5e']],
  ['request 3f2504e0-4f89-11d3-9a0c-0305e82c3301 failed', 'request <UUID> failed', ['3f2504e0-4f89-11d3-9a0c-0305e82c3301']],
  ['connect to 10.0.0.12:3306 refused', 'connect to <IP> refused', ['10.0.0.12:3306']],
  ['from 10.1.2.3:50010:Got exception', 'from <IP>:Got exception', ['10.1.2.3:50010']],
  ['client [10.0.0.127] denied', 'client [<IP>] denied', ['10.0.0.127']],
  ['peer fe80::1ff:fe23:4567:890a down', 'peer <IP> down', ['fe80::1ff:fe23:4567:890a']],
  ['mail to bob.smith@example.com bounced', 'mail to <EMAIL> bounced', ['bob.smith@example.com']],
  [
    'GET https://api.example.com/v1/users/42?id=7&name=bob failed',
    'GET https://api.example.com/v1/users/<NUM>?id=<NUM>&name=<*> failed',
    ['42', '7', 'bob'],
  ],
  ['file /var/data/12345/part-0007.log missing', 'file /var/data/<NUM>/part-<NUM>.log missing', ['12345', '0007']],
  [
    'at 2026-11-23T14:03:11Z and 23-Nov-2026 14:03:11',
    'at <DATE> and <DATE> <TIME>',
    ['2026-11-23T14:03:11Z', '23-Nov-2026', '14:03:11'],
  ],
  ["Duplicate entry 'John Smith' for key 'users_name_unique'", "Duplicate entry '<STR>' for key 'users_name_unique'", ['John Smith']],
  ['mode=fast user_id=42 flag=true', 'mode=<*> user_id=<NUM> flag=<*>', ['fast', '42', 'true']],
  ['session closed for user root', 'session closed for user <*>', ['root']],
  ['job_1445144423722_0020 blk_-1608999687919862906', 'job_<NUM>_<NUM> blk_<NUM>', ['1445144423722', '0020', '-1608999687919862906']],
  ['"GET /v2/abc123def4567890/servers HTTP/1.1" 200', '"GET /v2/<HEX>/servers HTTP/1.1" 200', ['abc123def4567890']],
];

describe('maskLine', () => {
  it.each(TABLE)('%s', (input, template, values) => {
    const masked = maskLine(input);
    expect(masked.template).toBe(template);
    expect(masked.values).toEqual(values);
  });

  it('keeps identifiers literal, quoted or not', () => {
    expect(maskLine('Undefined index: listing_id').template).toBe('Undefined index: listing_id');
    expect(maskLine("Undefined index: 'listing_id'").template).toBe("Undefined index: 'listing_id'");
    expect(maskLine('ssh2 handshake over utf8').template).toBe('ssh2 handshake over utf8');
  });

  it('collapses runs of white space', () => {
    expect(maskLine('  a \t b   c ').template).toBe('a b c');
    expect(maskLine('a\t42  "x y" 7 KB').template).toBe('a <NUM> "<STR>" <SIZE>');
  });

  it('answers each line on its own, whatever the line before it was', () => {
    const lines = ["say 'a b' 5 KB then 128 ms", 'x'.repeat(5000) + ' 12', 'user root 3', "it's 'quoted' and 'more words' here"];
    const alone = lines.map((line) => maskLine(line));
    expect([...lines].reverse().map((line) => maskLine(line)).reverse()).toEqual(alone);
    expect(alone[0]!.template).toBe("say '<STR>' <SIZE> then <DUR>");
  });

  it('masks a word of thousands of key=value pairs (no recursion per pair)', () => {
    const masked = maskLine('x ' + 'k=1,'.repeat(20_000) + 'end=2');
    expect(masked.template.startsWith('x k=<NUM>,k=<NUM>,')).toBe(true);
    expect(masked.template.endsWith(',end=<NUM>')).toBe(true);
    expect(masked.values).toHaveLength(20_001);
    const quoted = maskLine('k=' + '"'.repeat(40_000) + 'v' + '"'.repeat(40_000) + ',b=1');
    expect(quoted.template).toBe('k=' + '"'.repeat(40_000) + '<*>' + '"'.repeat(40_000) + ',b=<NUM>');
    expect(maskLine("set flag='\"on\"',mode=\"'x'\",z=1").template).toBe("set flag='\"<*>\"',mode=\"'<*>'\",z=<NUM>");
  });

  it('closes a run of many opening quotes at the first quote that ends a word', () => {
    const line = Array.from({ length: 2000 }, (_, i) => `'w${i}`).join(' ') + " end' tail";
    const masked = maskLine(line);
    expect(masked.template).toBe("'<STR>' tail");
    expect(masked.values).toHaveLength(1);
  });

  describe('telling values', () => {
    it('keeps 2147483647 literal and explains it', () => {
      const masked = maskLine('INSERT failed: id 2147483647 out of range');
      expect(masked.template).toBe('INSERT failed: id 2147483647 out of range');
      expect(masked.values).toEqual([]);
      expect(masked.telling).toEqual([
        { value: '2147483647', name: 'INT32_MAX', meaning: 'INT32_MAX: signed 32-bit overflow' },
      ]);
    });

    it('masks 2147483646, which is just a number', () => {
      const masked = maskLine('id 2147483646 ok');
      expect(masked.template).toBe('id <NUM> ok');
      expect(masked.telling).toEqual([]);
    });

    it('keeps negatives and boundaries inside key=value and brackets', () => {
      const masked = maskLine('got -2147483648, [65535] and id=4294967295');
      expect(masked.template).toBe('got -2147483648, [65535] and id=4294967295');
      expect(masked.telling.map((t) => t.name)).toEqual(['INT32_MIN', 'UINT16_MAX', 'UINT32_MAX']);
    });

    it('does not read address octets or quantities as telling', () => {
      expect(maskLine('from 10.0.127.255 port 22').telling).toEqual([]);
      const lease = maskLine('lease for 128 seconds');
      expect(lease.template).toBe('lease for <DUR>');
      expect(lease.telling).toEqual([]);
      const bracketed = maskLine('buffer (256 MB) full');
      expect(bracketed.template).toBe('buffer (<SIZE>) full');
      expect(bracketed.values).toEqual(['256 MB']);
      expect(bracketed.telling).toEqual([]);
    });

    it.each([
      ['a line number', 'in /app/a.php on line 128', 'in /app/a.php on line <NUM>'],
      ['a column', 'unexpected token at col 255', 'unexpected token at col <NUM>'],
      ['a source file position', 'in /app/Db.php:255 boom', 'in /app/Db.php:<NUM> boom'],
      ['a name suffix', 'node-128 is down', 'node-<NUM> is down'],
      ['an underscore name suffix', 'queue_32767 is full', 'queue_<NUM> is full'],
      ['a version', 'client 1.2.255 rejected', 'client <NUM>.<NUM>.<NUM> rejected'],
      ['a range bound', 'nodes:node-[1-127] idle', 'nodes:node-[<NUM>-<NUM>] idle'],
      ['a small boundary after a time word', 'Times: total = 40, boot = -127, init = 32768', 'Times: total = <NUM>, boot = <NUM>, init = <NUM>'],
    ])('is not telling in %s', (_what, input, template) => {
      const masked = maskLine(input);
      expect(masked.template).toBe(template);
      expect(masked.telling).toEqual([]);
    });

    it.each([
      ['after a colon that is not a source position', 'got id:2147483647 back', 'got id:2147483647 back'],
      ['as a port', 'connect db3.internal:65535 refused', 'connect db3.internal:65535 refused'],
      ['before a time word', 'id 127 took 5', 'id 127 took <NUM>'],
      ['at 32 bits, even after a time word', 'request took 5 for id 2147483647', 'request took <NUM> for id 2147483647'],
    ])('stays telling %s', (_what, input, template) => {
      const masked = maskLine(input);
      expect(masked.template).toBe(template);
      expect(masked.telling).toHaveLength(1);
    });
  });

  describe('numbers that name the kind of error stay literal', () => {
    it.each([
      ['HTTP/1.1 500 Internal Server Error', 'HTTP/1.1 500 Internal Server Error'],
      ['upstream returned 502', 'upstream returned 502'],
      ['returned 5 rows', 'returned <NUM> rows'],
      ['status=503 after 20ms', 'status=503 after <DUR>'],
      ['status: 200 len: 1893', 'status: 200 len: <NUM>'],
      ['exit code 137', 'exit code 137'],
      ['errno=13 EACCES', 'errno=13 EACCES'],
      ['SQLSTATE[23000]: Integrity constraint violation: 1062 Duplicate entry', 'SQLSTATE[23000]: Integrity constraint violation: 1062 Duplicate entry'],
      ['Error 1264 in query', 'Error 1264 in query'],
      ['killed by signal 9', 'killed by signal 9'],
    ])('%s', (input, template) => {
      expect(maskLine(input).template).toBe(template);
    });

    it('gives an HTTP 500 and a 404 different templates', () => {
      expect(maskLine('GET /a HTTP/1.1 500').template).not.toBe(maskLine('GET /a HTTP/1.1 404').template);
    });
  });
});

/** Everything a scan answers, copied out (the masker is reused by the next scan). */
function scanned(run: () => ReturnType<typeof scanLine>) {
  const s = run();
  return { key: s.key, check: s.check, template: s.template(), values: s.maskedValues, telling: s.tellingValues };
}

/** Headers and messages that exercise what reads around the message: time words, SQLSTATE, quotes, first-word hints. */
const HEADERS = ['', '[23-Nov-2026 00:00:00 UTC] PHP Warning:  ', 'xtook', 'host ', 'status', 'SQLSTATE '];
const MESSAGES = [
  'took 255 ms then boot = -127',
  'Times: total = 40, boot = -127',
  'status 500 on line 128',
  'retry 3 of 5 user root from 10.1.2.3:8080',
  "Duplicate entry '6106208' for key 'listings.PRIMARY' in /a/Db.php:120",
  '2147483647 rows',
  '[1062] error',
  'SQLSTATE[23000]: 1062 Duplicate',
  '',
];

describe('scanLineFrom', () => {
  it('answers exactly what scanLine answers for the text cut at the same place', () => {
    for (const header of HEADERS) {
      for (const message of MESSAGES) {
        const line = header + message;
        expect(scanned(() => scanLineFrom(line, header.length))).toEqual(scanned(() => scanLine(message)));
      }
    }
  });

  it('agrees with scanLine on arbitrary lines cut anywhere', () => {
    const word = fc.constantFrom('took', 'time', 'user', 'line', 'status', 'SQLSTATE', '128', '255', '-127', '"a b"', "'x'", '1.2.3.4', 'KB', 'x=1', 'a:65535');
    const text = fc.array(fc.oneof(word, fc.string({ maxLength: 6 })), { maxLength: 12 }).map((w) => w.join(' '));
    fc.assert(
      fc.property(text, fc.nat(), (line, at) => {
        const from = line.length === 0 ? 0 : at % (line.length + 1);
        expect(scanned(() => scanLineFrom(line, from))).toEqual(scanned(() => scanLine(line.slice(from))));
      }),
      { numRuns: 500 },
    );
  });
});

describe('Fingerprinter.signFrom', () => {
  it('signs as sign() does on the slice, also when the rest is not its own first line', () => {
    for (const line of ['[x] took 255 ms', '[x] a 1\r', '[x] first 2\nsecond 3', '[x] ']) {
      const bySlice = createFingerprinter().sign(line.slice(4));
      expect(createFingerprinter().signFrom(line, 4)).toEqual(bySlice);
    }
  });
});
