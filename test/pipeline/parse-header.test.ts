import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isTimeZone, lineTime, normalizeLevel, parseHeader } from '../../src/pipeline/parse-header.js';
import { startsWithStamp } from '../../src/pipeline/formats/time.js';
import type { Level } from '../../src/pipeline/record.js';

const REFERENCE = Date.parse('2026-11-24T02:00:00Z');
const at = (iso: string): number => Date.parse(iso);

interface Row {
  line: string;
  at: number | undefined;
  level: Level | undefined;
  message: string;
  host?: string;
}

function checkRows(rows: Row[], localZone?: string): void {
  for (const row of rows) {
    const parsed = localZone === undefined ? parseHeader(row.line, REFERENCE) : parseHeader(row.line, REFERENCE, localZone);
    const { messageStart, ...header } = parsed;
    expect(header, row.line).toEqual({ at: row.at, level: row.level, message: row.message, host: row.host });
    // Where the message is the rest of the line, the parser says where it starts (the fingerprint reads it in place).
    if (messageStart !== undefined) expect(row.line.slice(messageStart), row.line).toBe(row.message);
  }
}

describe('messageStart', () => {
  it('is where the message starts in every format that takes the rest of the line, and undefined for a JSON field', () => {
    expect(parseHeader('[23-Nov-2026 14:03:11 UTC] PHP Warning:  boom', REFERENCE).messageStart).toBe(41);
    expect(parseHeader('no header at all', REFERENCE).messageStart).toBe(0);
    expect(parseHeader('{"message":"boom","level":"error"}', REFERENCE).messageStart).toBeUndefined();
    expect(parseHeader('{"level":"error"}', REFERENCE).messageStart).toBe(0);
  });
});

describe('PHP error log', () => {
  it('reads time, zone, label and message', () => {
    checkRows([
      { line: '[23-Nov-2026 14:03:11 UTC] PHP Fatal error:  Uncaught Exception: boom in /var/www/a.php:3',
        at: at('2026-11-23T14:03:11Z'), level: 'fatal', message: 'Uncaught Exception: boom in /var/www/a.php:3' },
      { line: '[23-Nov-2026 14:03:11 UTC] PHP Parse error:  syntax error, unexpected \'}\' in /a.php on line 9',
        at: at('2026-11-23T14:03:11Z'), level: 'fatal', message: 'syntax error, unexpected \'}\' in /a.php on line 9' },
      { line: '[23-Nov-2026 14:03:12 UTC] PHP Warning:  Undefined array key "listing_id" in /a.php on line 12',
        at: at('2026-11-23T14:03:12Z'), level: 'warning', message: 'Undefined array key "listing_id" in /a.php on line 12' },
      { line: '[23-Nov-2026 14:03:12 UTC] PHP Notice:  Undefined index: listing_id in /a.php on line 4',
        at: at('2026-11-23T14:03:12Z'), level: 'notice', message: 'Undefined index: listing_id in /a.php on line 4' },
      { line: '[23-Nov-2026 14:03:12 UTC] PHP Deprecated:  Creation of dynamic property Foo::$x is deprecated',
        at: at('2026-11-23T14:03:12Z'), level: 'notice', message: 'Creation of dynamic property Foo::$x is deprecated' },
      { line: '[23-Nov-2026 14:03:12 UTC] cache miss for key user:42',
        at: at('2026-11-23T14:03:12Z'), level: undefined, message: 'cache miss for key user:42' },
      { line: '[23-Nov-2026 14:03:12 UTC] PHP Stack trace:',
        at: at('2026-11-23T14:03:12Z'), level: undefined, message: 'PHP Stack trace:' },
    ]);
  });

  it('converts named zones with daylight saving, offsets and abbreviations', () => {
    checkRows([
      { line: '[23-Nov-2026 14:03:11 Europe/Berlin] PHP Warning:  x', at: at('2026-11-23T13:03:11Z'), level: 'warning', message: 'x' },
      { line: '[23-Jul-2026 14:03:11 Europe/Berlin] PHP Warning:  x', at: at('2026-07-23T12:03:11Z'), level: 'warning', message: 'x' },
      { line: '[23-Nov-2026 14:03:11 America/New_York] PHP Warning:  x', at: at('2026-11-23T19:03:11Z'), level: 'warning', message: 'x' },
      { line: '[23-Jun-2026 14:03:11 America/New_York] PHP Warning:  x', at: at('2026-06-23T18:03:11Z'), level: 'warning', message: 'x' },
      { line: '[23-Nov-2026 14:03:11 +05:30] PHP Warning:  x', at: at('2026-11-23T08:33:11Z'), level: 'warning', message: 'x' },
      { line: '[23-Nov-2026 14:03:11 CEST] PHP Warning:  x', at: at('2026-11-23T12:03:11Z'), level: 'warning', message: 'x' },
      { line: '[23-Nov-2026 14:03:11 Mars/Olympus] PHP Warning:  x', at: undefined, level: 'warning', message: 'x' },
    ]);
  });

  it('keeps a cached second from leaking into a line with another zone', () => {
    const utc = parseHeader('[23-Nov-2026 14:03:11 UTC] PHP Notice:  a', REFERENCE);
    const berlin = parseHeader('[23-Nov-2026 14:03:11 Europe/Berlin] PHP Notice:  a', REFERENCE);
    const utcAgain = parseHeader('[23-Nov-2026 14:03:11 UTC] PHP Notice:  b', REFERENCE);
    expect(utc.at! - berlin.at!).toBe(3_600_000);
    expect(utcAgain.at).toBe(utc.at);
  });

  it('reads php-fpm lines (no zone: the local zone) with their level', () => {
    checkRows([
      { line: '[24-Nov-2026 01:05:25] WARNING: [pool www] child 123 exited on signal 11 (SIGSEGV)',
        at: at('2026-11-24T01:05:25Z'), level: 'warning', message: '[pool www] child 123 exited on signal 11 (SIGSEGV)' },
    ]);
    checkRows([
      { line: '[24-Nov-2026 01:05:25] NOTICE: fpm is running, pid 7',
        at: at('2026-11-24T00:05:25Z'), level: 'notice', message: 'fpm is running, pid 7' },
    ], 'Europe/Berlin');
  });

  it('reads PHP CLI lines on stderr, which have no date', () => {
    checkRows([
      { line: 'PHP Fatal error:  Allowed memory size of 134217728 bytes exhausted', at: undefined, level: 'fatal', message: 'Allowed memory size of 134217728 bytes exhausted' },
      { line: 'PHP Notice:  Undefined variable: firstName_ in php shell code on line 1', at: undefined, level: 'notice', message: 'Undefined variable: firstName_ in php shell code on line 1' },
    ]);
  });

  it('reads Monolog/Laravel bracketed ISO lines', () => {
    checkRows([
      { line: '[2026-11-24 01:05:25] production.ERROR: SQLSTATE[23000]: Integrity constraint violation {"exception":"[object]"}',
        at: at('2026-11-24T01:05:25Z'), level: 'error', message: 'SQLSTATE[23000]: Integrity constraint violation {"exception":"[object]"}' },
      { line: '[2026-11-24T01:05:25.123456+01:00] app.WARNING: slow query [] []',
        at: at('2026-11-24T00:05:25.123Z'), level: 'warning', message: 'slow query [] []' },
    ]);
  });
});

describe('Apache error log', () => {
  it('reads 2.4 and 2.2 lines, module:level, and drops pid/client fields', () => {
    checkRows([
      { line: '[Tue Nov 24 01:05:25.123456 2026] [php:error] [pid 123:tid 456] [client 10.0.0.1:5678] PHP Fatal error:  boom',
        at: at('2026-11-24T01:05:25.123Z'), level: 'error', message: 'PHP Fatal error:  boom' },
      { line: '[Tue Nov 24 01:05:25 2026] [error] [client 1.2.3.4] File does not exist: /var/www/favicon.ico',
        at: at('2026-11-24T01:05:25Z'), level: 'error', message: 'File does not exist: /var/www/favicon.ico' },
      { line: '[Tue Nov 24 01:05:25.000001 2026] [core:crit] [pid 9] AH00102: server reached MaxRequestWorkers',
        at: at('2026-11-24T01:05:25Z'), level: 'fatal', message: 'AH00102: server reached MaxRequestWorkers' },
      { line: '[Tue Nov 24 01:05:25.5 2026] [mpm_event:notice] [pid 1:tid 2] AH00489: resuming normal operations',
        at: at('2026-11-24T01:05:25.5Z'), level: 'notice', message: 'AH00489: resuming normal operations' },
      { line: '[Tue Nov 24 01:05:25 2026] [ssl:warn] [pid 1] AH01909: certificate does not match',
        at: at('2026-11-24T01:05:25Z'), level: 'warning', message: 'AH01909: certificate does not match' },
      { line: '[Tue Nov  4 01:05:25 2026] [rewrite:trace3] [pid 1] applying pattern',
        at: at('2026-11-04T01:05:25Z'), level: 'debug', message: 'applying pattern' },
      { line: '[Tue Nov 24 01:05:25 2026] [authz_core:alert] [pid 1] denied', at: at('2026-11-24T01:05:25Z'), level: 'fatal', message: 'denied' },
    ]);
  });
});

describe('nginx error log', () => {
  it('reads time, level and the message after pid#tid and *connection', () => {
    checkRows([
      { line: '2026/11/24 01:05:25 [error] 123#0: *1 open() "/var/www/x" failed (2: No such file or directory), client: 10.0.0.1, server: _',
        at: at('2026-11-24T01:05:25Z'), level: 'error', message: 'open() "/var/www/x" failed (2: No such file or directory), client: 10.0.0.1, server: _' },
      { line: '2026/11/24 01:05:26 [warn] 7#7: 1024 worker_connections are not enough',
        at: at('2026-11-24T01:05:26Z'), level: 'warning', message: '1024 worker_connections are not enough' },
      { line: '2026/11/24 01:05:26 [emerg] 7#7: bind() to 0.0.0.0:80 failed (98: Address already in use)',
        at: at('2026-11-24T01:05:26Z'), level: 'fatal', message: 'bind() to 0.0.0.0:80 failed (98: Address already in use)' },
      { line: '2026/11/24 01:05:26 [crit] 7#7: *99 SSL_do_handshake() failed',
        at: at('2026-11-24T01:05:26Z'), level: 'fatal', message: 'SSL_do_handshake() failed' },
    ]);
    expect(parseHeader('2026/11/24 01:05:25 [error] 1#0: x', REFERENCE, 'America/New_York').at).toBe(at('2026-11-24T06:05:25Z'));
  });
});

describe('syslog', () => {
  it('reads RFC 3164 with and without PRI', () => {
    checkRows([
      { line: '<34>Nov 24 01:05:25 web-3 php-fpm[123]: child exited', at: at('2026-11-24T01:05:25Z'), level: 'fatal', message: 'child exited', host: 'web-3' },
      { line: '<11>Nov 24 01:05:25 web-3 app: disk full', at: at('2026-11-24T01:05:25Z'), level: 'error', message: 'disk full', host: 'web-3' },
      { line: '<14>Nov  4 01:05:25 db-1 cron[9]: job done', at: at('2026-11-04T01:05:25Z'), level: 'info', message: 'job done', host: 'db-1' },
      { line: 'Nov 24 01:05:25 web-3 php-fpm[123]: PHP Warning:  Division by zero in /a.php on line 3',
        at: at('2026-11-24T01:05:25Z'), level: 'warning', message: 'PHP Warning:  Division by zero in /a.php on line 3', host: 'web-3' },
      { line: 'Nov 24 01:05:25 web-3 kernel: Out of memory: Killed process 4242 (php-fpm)',
        at: at('2026-11-24T01:05:25Z'), level: undefined, message: 'Out of memory: Killed process 4242 (php-fpm)', host: 'web-3' },
      { line: 'Nov 24 01:05:25 web-3 app[1]: upstream connection error after 3 tries',
        at: at('2026-11-24T01:05:25Z'), level: 'error', message: 'upstream connection error after 3 tries', host: 'web-3' },
      { line: 'Nov 24 01:05:25 sshd[77]: Accepted publickey', at: at('2026-11-24T01:05:25Z'), level: undefined, message: 'Accepted publickey' },
      { line: '<13>no header at all', at: undefined, level: 'notice', message: 'no header at all' },
    ]);
  });

  it('reads RFC 5424 with structured data and NILVALUEs', () => {
    checkRows([
      { line: '<34>1 2026-11-24T01:05:25.003Z web-3 app 123 ID47 [exampleSDID@32473 iut="3" eventSource="App\\]x"] db down',
        at: at('2026-11-24T01:05:25.003Z'), level: 'fatal', message: 'db down', host: 'web-3' },
      { line: '<165>1 2026-11-24T01:05:25+01:00 web-4 - - - - \uFEFFlow disk', at: at('2026-11-24T00:05:25Z'), level: 'notice', message: 'low disk', host: 'web-4' },
      { line: '<11>1 - - app - - [a x="1"][b y="2"] no time', at: undefined, level: 'error', message: 'no time' },
      { line: '<12>1 2026-11-24T01:05:25Z web-5 app 1 - -', at: at('2026-11-24T01:05:25Z'), level: 'warning', message: '', host: 'web-5' },
    ]);
  });

  it('infers the missing year: nearest the reference, never more than a day after it', () => {
    const newYear = Date.parse('2027-01-01T00:10:00Z');
    expect(parseHeader('Dec 31 23:59:50 h app: x', newYear).at).toBe(at('2026-12-31T23:59:50Z'));
    expect(parseHeader('Jan  1 00:09:00 h app: x', newYear).at).toBe(at('2027-01-01T00:09:00Z'));
    const lateDecember = Date.parse('2026-12-31T23:59:00Z');
    expect(parseHeader('Jan  1 00:00:30 h app: x', lateDecember).at).toBe(at('2027-01-01T00:00:30Z'));
    const midYear = Date.parse('2026-06-15T12:00:00Z');
    expect(parseHeader('Jun 17 12:00:00 h app: x', midYear).at).toBe(at('2025-06-17T12:00:00Z'));
    expect(parseHeader('Jun 16 11:00:00 h app: x', midYear).at).toBe(at('2026-06-16T11:00:00Z'));
    expect(parseHeader('Feb 29 10:00:00 h app: x', Date.parse('2028-03-01T00:00:00Z')).at).toBe(at('2028-02-29T10:00:00Z'));
    expect(parseHeader('Feb 29 10:00:00 h app: x', Date.parse('2026-03-01T00:00:00Z')).at).toBeUndefined();
  });
});

describe('ISO-8601-prefixed lines', () => {
  it('reads zones, fractions and the level word after the time', () => {
    checkRows([
      { line: '2026-11-24T01:05:25Z ERROR payment failed', at: at('2026-11-24T01:05:25Z'), level: 'error', message: 'payment failed' },
      { line: '2026-11-24 01:05:25,123 ERROR [main] c.e.Checkout - boom', at: at('2026-11-24T01:05:25.123Z'), level: 'error', message: '[main] c.e.Checkout - boom' },
      { line: '2026-11-24 01:05:25.123+01:00 [warn] slow', at: at('2026-11-24T00:05:25.123Z'), level: 'warning', message: 'slow' },
      { line: '2026-11-24T01:05:25.123456789-0500 critical: gone', at: at('2026-11-24T06:05:25.123Z'), level: 'fatal', message: 'gone' },
      { line: '2026-11-24T01:05:25+02 Fatal - stop', at: at('2026-11-23T23:05:25Z'), level: 'fatal', message: 'stop' },
      { line: '2026-11-24 01:05:25 NOTICE x', at: at('2026-11-24T01:05:25Z'), level: 'notice', message: 'x' },
      { line: '2026-11-24 01:05:25 info x', at: at('2026-11-24T01:05:25Z'), level: 'info', message: 'x' },
      { line: '2026-11-24 01:05:25 [DEBUG] x', at: at('2026-11-24T01:05:25Z'), level: 'debug', message: 'x' },
      { line: '2026-11-24 01:05:25 TRACE x', at: at('2026-11-24T01:05:25Z'), level: 'debug', message: 'x' },
      { line: '2026-11-24 01:05:25 ERR x', at: at('2026-11-24T01:05:25Z'), level: 'error', message: 'x' },
      { line: '2026-11-24 01:05:25 WARNING: x', at: at('2026-11-24T01:05:25Z'), level: 'warning', message: 'x' },
      { line: '2026-11-24 01:05:25 something happened', at: at('2026-11-24T01:05:25Z'), level: undefined, message: 'something happened' },
      { line: '2026-11-24T01:05:25Z', at: at('2026-11-24T01:05:25Z'), level: undefined, message: '' },
    ]);
    expect(parseHeader('2026-11-24 01:05:25 ERROR x', REFERENCE, 'Europe/Berlin').at).toBe(at('2026-11-24T00:05:25Z'));
  });

  it('reads a level written as a header field a few tokens in (logback, Python logging, PostgreSQL), leaving the message as it is', () => {
    const t = at('2026-11-24T01:05:25.123Z');
    checkRows([
      { line: '2026-11-24 01:05:25.123 [main] ERROR c.e.Checkout - boom', at: t, level: 'error', message: '[main] ERROR c.e.Checkout - boom' },
      { line: '2026-11-24 01:05:25,123 - shop.db - INFO - connected', at: t, level: 'info', message: '- shop.db - INFO - connected' },
      { line: '2026-11-24 01:05:25,123 - shop.db - CRITICAL - gone', at: t, level: 'fatal', message: '- shop.db - CRITICAL - gone' },
      { line: '2026-11-24 01:05:25.123 UTC [1234] ERROR:  duplicate key', at: t, level: 'error', message: 'UTC [1234] ERROR:  duplicate key' },
      { line: '2026-11-24 01:05:25.123 UTC [1234] user@db <WARNING> x', at: t, level: 'warning', message: 'UTC [1234] user@db <WARNING> x' },
      // Not a level field: lower-case words are message words, and a level too far in is message text.
      { line: '2026-11-24 01:05:25.123 Cache info updated', at: t, level: undefined, message: 'Cache info updated' },
      { line: '2026-11-24 01:05:25.123 worker error: boom', at: t, level: undefined, message: 'worker error: boom' },
      { line: '2026-11-24 01:05:25.123 a b c d e ERROR', at: t, level: undefined, message: 'a b c d e ERROR' },
      { line: '2026-11-24 01:05:25.123 GET /api/ERROR 500', at: t, level: undefined, message: 'GET /api/ERROR 500' },
    ]);
  });

  it('is not fooled by a date-like start that is not a time', () => {
    checkRows([
      { line: '2026-11-24 was a Tuesday', at: undefined, level: undefined, message: '2026-11-24 was a Tuesday' },
      { line: '2026-11-24T01:05:25Zulu', at: undefined, level: undefined, message: '2026-11-24T01:05:25Zulu' },
    ]);
  });
});

describe('JSON lines', () => {
  it('reads the usual field names and time encodings', () => {
    checkRows([
      { line: '{"ts":"2026-11-24T01:05:25.5Z","level":"error","msg":"boom","host":"web-1"}', at: at('2026-11-24T01:05:25.500Z'), level: 'error', message: 'boom', host: 'web-1' },
      { line: '{"time":1795482325123,"level":50,"msg":"pino","hostname":"web-2"}', at: 1795482325123, level: 'error', message: 'pino', host: 'web-2' },
      { line: '{"timestamp":1795482325,"severity":"WARNING","message":"gcp"}', at: 1795482325000, level: 'warning', message: 'gcp' },
      { line: '{"@timestamp":"2026-11-24T01:05:25+01:00","log.level":"crit","message":"ecs","host":{"name":"web-3"}}', at: at('2026-11-24T00:05:25Z'), level: 'fatal', message: 'ecs', host: 'web-3' },
      { line: '{"ts":"1795482325.25","lvl":"dbug","msg":"epoch string"}', at: 1795482325250, level: undefined, message: 'epoch string' },
      { line: '{"level":60,"msg":"no time"}', at: undefined, level: 'fatal', message: 'no time' },
      { line: '{"ts":"yesterday","level":"info"}', at: undefined, level: 'info', message: '{"ts":"yesterday","level":"info"}' },
      { line: '{"ts":1e300,"msg":"absurd"}', at: undefined, level: undefined, message: 'absurd' },
    ]);
  });

  it('treats invalid JSON and non-objects as the unknown format', () => {
    checkRows([
      { line: '{"ts": 1795482325, "level": "error", "msg": "cut', at: undefined, level: undefined, message: '{"ts": 1795482325, "level": "error", "msg": "cut' },
      { line: '{not json}', at: undefined, level: undefined, message: '{not json}' },
    ]);
  });
});

describe("Ruby's Logger (Rails)", () => {
  it('reads time (in the local zone), level, program name and message', () => {
    checkRows([
      { line: 'E, [2026-11-24T01:05:25.123456 #1234] ERROR -- : boom', at: at('2026-11-24T01:05:25.123Z'), level: 'error', message: 'boom' },
      { line: 'I, [2026-11-24T01:05:25.123456 #1234]  INFO -- app: Started GET "/" for 127.0.0.1', at: at('2026-11-24T01:05:25.123Z'), level: 'info', message: 'Started GET "/" for 127.0.0.1' },
      { line: 'F, [2026-11-24T01:05:25.000001 #7] FATAL -- : [3f2a] ActiveRecord::RecordNotFound (x):', at: at('2026-11-24T01:05:25Z'), level: 'fatal', message: '[3f2a] ActiveRecord::RecordNotFound (x):' },
      { line: 'A, [2026-11-24T01:05:25.000001 #7]   ANY -- : anything', at: at('2026-11-24T01:05:25Z'), level: undefined, message: 'anything' },
    ]);
    expect(parseHeader('W, [2026-11-24T02:05:25.000000 #7]  WARN -- : x', REFERENCE, 'Europe/Berlin').at).toBe(at('2026-11-24T01:05:25Z'));
  });

  it('leaves lines that only start like it alone', () => {
    for (const line of ['E, [not a time] ERROR -- : x', 'E, [2026-11-24T01:05:25.1 ERROR -- : x', 'E, [2026-11-24T01:05:25.1 #12] ERROR no separator']) {
      expect(parseHeader(line, REFERENCE).message, line).toBe(line);
    }
  });
});

describe('logfmt lines', () => {
  it('reads time, level, message and host; the pairs beyond them stay in the message as written', () => {
    checkRows([
      { line: 'time="2026-11-24T01:05:25Z" level=error msg="upstream \\"db\\" failed" err=EOF attempt=3', at: at('2026-11-24T01:05:25Z'), level: 'error', message: 'upstream "db" failed err=EOF attempt=3' },
      { line: 'ts=2026-11-24T01:05:25.123Z caller=main.go:10 lvl=warn msg=slow', at: at('2026-11-24T01:05:25.123Z'), level: 'warning', message: 'slow caller=main.go:10' },
      { line: 'ts=1795482325.5 level=info msg="line one\\nline two" host=web-1', at: at('2026-11-24T01:05:25.500Z'), level: 'info', message: 'line one\nline two', host: 'web-1' },
      { line: 'level=fatal err="disk full" path=/var/lib', at: undefined, level: 'fatal', message: 'err="disk full" path=/var/lib' },
      { line: 'time=2026-11-24T02:05:25+01:00 level=ERROR msg=', at: at('2026-11-24T01:05:25Z'), level: 'error', message: '' },
    ]);
  });

  it('leaves free text with an = in it alone', () => {
    for (const line of ['user=bob logged in', 'a=1 b=2', 'msg="unterminated', 'level=error msg="x"y', 'host=web-1']) {
      checkRows([{ line, at: undefined, level: undefined, message: line }]);
    }
  });
});

describe('unknown formats and bad dates', () => {
  it('keeps the whole line as the message', () => {
    checkRows([
      { line: 'Segmentation fault (core dumped)', at: undefined, level: undefined, message: 'Segmentation fault (core dumped)' },
      { line: 'ERROR something', at: undefined, level: 'error', message: 'ERROR something' },
      { line: 'PHP is great', at: undefined, level: undefined, message: 'PHP is great' },
      { line: '', at: undefined, level: undefined, message: '' },
      { line: '[', at: undefined, level: undefined, message: '[' },
      { line: '[just brackets]', at: undefined, level: undefined, message: '[just brackets]' },
    ]);
  });

  it('reads a level stated at the start of a line of no known format (stderr), leaving the message whole', () => {
    const rows: Array<[string, Level | undefined]> = [
      ['panic: runtime error: index out of range', 'fatal'],
      ['fatal error: concurrent map writes', 'fatal'],
      ['Fatal error: Uncaught Exception: boom in /x.php:3', 'fatal'],
      ['Warning: Undefined variable $x in /x.php on line 2', 'warning'],
      ['Error: connect ECONNREFUSED 127.0.0.1:5432', 'error'],
      ['[warn] disk almost full', 'warning'],
      ['DEBUG cache warmed', 'debug'],
      ['critical section entered', undefined],
      ['info about the run', undefined],
      ['Errors were found', undefined],
    ];
    for (const [line, level] of rows) checkRows([{ line, at: undefined, level, message: line }]);
  });

  it('gives no time, never NaN, for dates that do not exist', () => {
    for (const line of [
      '[31-Feb-2026 14:03:11 UTC] PHP Warning:  x',
      '[29-Feb-2026 14:03:11 UTC] PHP Warning:  x',
      '[23-Nov-2026 24:03:11 UTC] PHP Warning:  x',
      '2026-02-30T01:05:25Z ERROR x',
      '2026-13-01 01:05:25 ERROR x',
      '2026/11/31 01:05:25 [error] 1#0: x',
      '[Tue Nov 31 01:05:25 2026] [error] x',
      'Apr 31 01:05:25 h app: x',
      '{"ts":"2026-02-29T00:00:00Z","msg":"x"}',
    ]) {
      expect(parseHeader(line, REFERENCE).at, line).toBeUndefined();
    }
    expect(parseHeader('[29-Feb-2028 14:03:11 UTC] PHP Warning:  x', REFERENCE).at).toBe(at('2028-02-29T14:03:11Z'));
  });

  it('reads a time inside the repeated autumn hour and the skipped spring hour without NaN', () => {
    expect(parseHeader('2026-10-25 02:30:00 ERROR x', REFERENCE, 'Europe/Berlin').at).toBe(at('2026-10-25T01:30:00Z'));
    expect(parseHeader('2026-03-29 02:30:00 ERROR x', REFERENCE, 'Europe/Berlin').at).toBe(at('2026-03-29T01:30:00Z'));
  });
});

describe('lineTime, normalizeLevel, isTimeZone', () => {
  it('lineTime gives the parsed time or undefined', () => {
    expect(lineTime('2026/11/24 01:05:25 [error] 1#0: x', REFERENCE)).toBe(at('2026-11-24T01:05:25Z'));
    expect(lineTime('no time here', REFERENCE)).toBeUndefined();
  });

  it("lineTime reads an envelope as a record gets it: the time inside first, else the envelope's", () => {
    const journal = (message: string) => JSON.stringify({ __REALTIME_TIMESTAMP: '1795482325123456', MESSAGE: message });
    expect(lineTime(journal('worker exited'), REFERENCE)).toBe(at('2026-11-24T01:05:25.123Z'));
    expect(lineTime(journal('[24-Nov-2026 00:00:00 UTC] PHP Warning:  x'), REFERENCE)).toBe(at('2026-11-24T00:00:00Z'));
    expect(lineTime('2026-11-24T01:05:25Z stderr F plain text', REFERENCE)).toBe(at('2026-11-24T01:05:25Z'));
  });

  it('normalizeLevel maps every level word in any case', () => {
    const table: Array<[string, Level | undefined]> = [
      ['ERROR', 'error'], ['Err', 'error'], ['eRrOr', 'error'], ['FATAL', 'fatal'], ['CRITICAL', 'fatal'], ['crit', 'fatal'],
      ['emerg', 'fatal'], ['alert', 'fatal'], ['WARN', 'warning'], ['warning', 'warning'], ['NOTICE', 'notice'],
      ['INFO', 'info'], ['debug', 'debug'], ['TRACE', 'debug'], ['trace8', 'debug'], ['verbose', 'debug'],
      ['errors', undefined], ['', undefined], ['x'.repeat(100), undefined],
    ];
    for (const [word, level] of table) expect(normalizeLevel(word), word).toBe(level);
  });

  it('isTimeZone accepts IANA names, offsets and abbreviations only', () => {
    expect(isTimeZone('Europe/Berlin')).toBe(true);
    expect(isTimeZone('+05:30')).toBe(true);
    expect(isTimeZone('CEST')).toBe(true);
    expect(isTimeZone('Mars/Olympus')).toBe(false);
    expect(isTimeZone('+99:00')).toBe(false);
  });
});

describe('robustness', () => {
  const prefixes = ['', '[', '[23-Nov-2026 ', '[Tue Nov 24 ', '2026/11/24 ', '2026-11-24T', '<34>', '<34>1 ', 'Nov 24 ', '{"ts":', '{'];

  it('never throws and never yields NaN on arbitrary input', () => {
    fc.assert(
      fc.property(fc.constantFrom(...prefixes), fc.string({ unit: 'binary', maxLength: 80 }), fc.integer({ min: -8.64e15, max: 8.64e15 }),
        (prefix, rest, reference) => {
          const parsed = parseHeader(prefix + rest, reference);
          expect(Number.isNaN(parsed.at)).toBe(false);
          expect(typeof parsed.message).toBe('string');
        }),
      { numRuns: 1000 },
    );
  });

  it('reads a mutated real line as well-formed or as unknown, never throwing', () => {
    const real = '[23-Nov-2026 14:03:11 Europe/Berlin] PHP Fatal error:  Uncaught Exception: boom';
    fc.assert(
      fc.property(fc.nat(real.length - 1), fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }), (index, char) => {
        const parsed = parseHeader(real.slice(0, index) + char + real.slice(index + 1), REFERENCE);
        expect(parsed.at === undefined || Number.isFinite(parsed.at)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('startsWithStamp', () => {
  it('is startsWith at any position, prefix and text (a repeat of the prefix earlier in the text does not count)', () => {
    const text = fc.string({ unit: fc.constantFrom('[', ']', '2', '3', ' ', ':', '-', 'a') , maxLength: 24 });
    fc.assert(fc.property(text, text, fc.nat(30), (line, prefix, at) => {
      expect(startsWithStamp(line, prefix, at)).toBe(line.startsWith(prefix, at));
    }), { numRuns: 3000 });
    expect(startsWithStamp('[12][12]', '[12]', 4)).toBe(true);
    expect(startsWithStamp('[12][13]', '[12]', 4)).toBe(false);
  });
});
