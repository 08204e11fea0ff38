import { describe, expect, it } from 'vitest';
import { MultilineJoiner, type FlushedRecord } from '../../src/tail/multiline.js';

/** A flushed record without what its first line's batch was tagged with (see the tags test). */
const plain = (records: FlushedRecord[]): Array<Omit<FlushedRecord, 'tags' | 'index'>> => records.map(({ source, lines, firstArrivedAt }) => ({ source, lines, firstArrivedAt }));

/** Feeds all lines as one batch of one source and returns every record, flushing the last. */
function records(lines: string[], options?: { maxLines?: number }): string[][] {
  const joiner = new MultilineJoiner(options);
  const done = joiner.push('php_errors.log', lines, 1000);
  return [...done, ...joiner.flushAll().map((record) => record.lines)];
}

const STAMP = '[23-Nov-2026 14:03:11 UTC]';

describe('PHP', () => {
  it('joins the xdebug-less form: Stack trace, #N frames and "thrown in"', () => {
    const fatal = [
      `${STAMP} PHP Fatal error:  Uncaught Exception: boom in /var/www/a.php:3`,
      'Stack trace:',
      '#0 /var/www/b.php(12): Listing->save()',
      '#1 {main}',
      '  thrown in /var/www/a.php on line 3',
    ];
    const next = `${STAMP} PHP Warning:  Undefined variable $x in /var/www/c.php on line 9`;
    expect(records([...fatal, next])).toEqual([fatal, [next]]);
  });

  it('joins Xdebug trace lines that carry their own date prefix', () => {
    const warning = [
      `${STAMP} PHP Warning:  Division by zero in /var/www/a.php on line 5`,
      `${STAMP} PHP Stack trace:`,
      `${STAMP} PHP   1. {main}() /var/www/index.php:0`,
      `${STAMP} PHP   2. require() /var/www/index.php:17`,
      `${STAMP} PHP  10. Listing->price() /var/www/a.php:5`,
    ];
    const next = `${STAMP} PHP Notice:  Undefined index: listing_id in /var/www/d.php on line 2`;
    expect(records([...warning, next])).toEqual([warning, [next]]);
  });

  it('joins both forms when PHP writes them one after the other, and date-stamped #N frames', () => {
    const fatal = [
      `${STAMP} PHP Fatal error:  Uncaught Exception: boom in /var/www/a.php:3`,
      'Stack trace:',
      '#0 {main}',
      '  thrown in /var/www/a.php on line 3',
      `${STAMP} PHP Stack trace:`,
      `${STAMP} PHP   1. {main}() /var/www/a.php:0`,
      `${STAMP} #0 /srv/e.php(3): boom()`,
    ];
    expect(records(fatal)).toEqual([fatal]);
  });

  it('joins date-stamped Stack trace and thrown-in lines, and only those forms, behind Apache fields too', () => {
    const fatal = [
      `${STAMP} PHP Fatal error:  Uncaught Exception: boom in /var/www/a.php:3`,
      `${STAMP} Stack trace:`,
      `${STAMP} #0 {main}`,
      `${STAMP} [pid 12] thrown in /var/www/a.php on line 3`,
    ];
    const next = [`${STAMP} PHP Warning:  Stack trace is not a trace line here`];
    const another = [`${STAMP} PHP 12 apples`];
    expect(records([...fatal, ...next, ...another])).toEqual([fatal, next, another]);
  });

  it('joins the rest of a multi-line Uncaught message, including chained "Next" exceptions', () => {
    const fatal = [
      `${STAMP} PHP Fatal error:  Uncaught PDOException: SQLSTATE[HY000]: General error: 1205 Lock wait timeout`,
      'exceeded; try restarting transaction in /var/www/db.php:40',
      'Stack trace:',
      '#0 /var/www/db.php(40): PDOStatement->execute()',
      '',
      'Next RuntimeException: save failed in /var/www/listing.php:12',
      'Stack trace:',
      '#0 {main}',
      '  thrown in /var/www/listing.php on line 12',
    ];
    expect(records([...fatal, `${STAMP} PHP Notice:  x`])).toEqual([fatal, [`${STAMP} PHP Notice:  x`]]);
  });

  it('joins CLI stderr output without dates', () => {
    const lines = [
      'PHP Fatal error:  Allowed memory size of 134217728 bytes exhausted in /a.php on line 86',
      'PHP Stack trace:',
      'PHP   1. {main}() /a.php:0',
      'PHP Warning:  next one in /b.php on line 1',
    ];
    expect(records(lines)).toEqual([lines.slice(0, 3), lines.slice(3)]);
  });

  it('joins PHP trace lines inside an Apache 2.2 error log', () => {
    const lines = [
      '[Wed Nov 27 09:30:11 2026] [error] [client 127.0.0.1] PHP Warning:  x in /a.php on line 3',
      '[Wed Nov 27 09:30:11 2026] [error] [client 127.0.0.1] PHP Stack trace:',
      '[Wed Nov 27 09:30:11 2026] [error] [client 127.0.0.1] PHP   1. {main}() /a.php:0',
      '[Wed Nov 27 09:30:12 2026] [error] [client 127.0.0.1] File does not exist: /favicon.ico',
    ];
    expect(records(lines)).toEqual([lines.slice(0, 3), lines.slice(3)]);
  });
});

describe('Java', () => {
  it('joins the exception line, \\tat frames, Caused by, Suppressed and "... N more"', () => {
    const error = [
      '2026-11-24 01:05:25,123 ERROR [main] c.e.Checkout - payment failed',
      'java.lang.IllegalStateException: charge declined',
      '\tat com.example.Checkout.pay(Checkout.java:42)',
      '\tat com.example.Main.main(Main.java:7)',
      '\tSuppressed: java.io.IOException: close failed',
      '\t\tat com.example.Conn.close(Conn.java:9)',
      'Caused by: java.sql.SQLException: Out of range value for column \'id\' at row 1',
      '\tat com.mysql.Driver.exec(Driver.java:1)',
      '\t... 12 more',
    ];
    const next = '2026-11-24 01:05:26,000 INFO [main] c.e.Checkout - retrying';
    expect(records([...error, next])).toEqual([error, [next]]);
  });

  it('joins a stack trace on stderr that has no header', () => {
    const lines = [
      'Exception in thread "main" java.lang.NullPointerException: boom',
      '\tat Main.main(Main.java:3)',
      'Caused by: java.lang.RuntimeException: inner',
      '\t... 1 more',
      'unrelated line',
    ];
    expect(records(lines)).toEqual([lines.slice(0, 4), lines.slice(4)]);
  });
});

describe('Python', () => {
  it('joins a traceback after a log line, including the final exception line', () => {
    const error = [
      '2026-11-24 01:05:25,123 ERROR app: request failed',
      'Traceback (most recent call last):',
      '  File "/srv/app.py", line 10, in handle',
      '    result = compute(x)',
      '  File "/srv/app.py", line 4, in compute',
      '    return 1 / x',
      'ZeroDivisionError: division by zero',
    ];
    const next = '2026-11-24 01:05:26,000 INFO app: ok';
    expect(records([...error, next])).toEqual([error, [next]]);
  });

  it('joins a bare traceback, ending it at its exception line, across chained exceptions', () => {
    const traceback = [
      'Traceback (most recent call last):',
      '  File "x.py", line 1, in <module>',
      'KeyError: \'listing_id\'',
      '',
      'During handling of the above exception, another exception occurred:',
      '',
      'Traceback (most recent call last):',
      '  File "x.py", line 3, in <module>',
      'ValueError: bad value',
    ];
    const after = 'worker restarted';
    expect(records([...traceback, after])).toEqual([traceback, [after]]);
  });
});

describe('Ruby', () => {
  it('joins the backtrace a Logger line carries on the lines after it', () => {
    const error = [
      'E, [2026-11-24T01:05:25.123456 #1234] ERROR -- : undefined method `name\' for nil (NoMethodError)',
      "app/models/listing.rb:12:in `title'",
      "app/controllers/listings_controller.rb:5:in `show'",
    ];
    const next = 'I, [2026-11-24T01:05:26.000001 #1234]  INFO -- : Completed 500';
    expect(records([...error, next])).toEqual([error, [next]]);
  });

  it("joins Rails' tagged backtrace, one Logger line per frame, but not a request's indented details", () => {
    const stamp = (level: string) => `${level[0]}, [2026-11-24T01:05:25.123456 #1234] ${level.padStart(5)} -- : [req-7]`;
    const error = [
      `${stamp('FATAL')} ActiveRecord::RecordNotFound (Couldn't find Listing with 'id'=42):`,
      `${stamp('FATAL')}   `,
      `${stamp('FATAL')} app/controllers/listings_controller.rb:5:in \`show'`,
      `${stamp('FATAL')} app/views/listings/show.html.erb:3`,
    ];
    const request = [`${stamp('INFO')} Started GET "/listings/42"`];
    const detail = [`${stamp('ERROR')}   PG::ConnectionBad: connection lost`];
    expect(records([...request, ...detail, ...error])).toEqual([request, detail, error]);
  });
});

describe('Go', () => {
  it('joins a panic and its goroutine dump, on stderr or after a log line', () => {
    const panic = [
      'panic: runtime error: index out of range [5] with length 3',
      '',
      'goroutine 18 [running]:',
      'net/http.(*conn).serve.func1()',
      '\t/usr/local/go/src/net/http/server.go:1868 +0xb9',
      'panic({0x6b3e00?, 0xc00001c0a8?})',
      '\t/usr/local/go/src/runtime/panic.go:920 +0x270',
      'main.handler(...)',
      '\t/app/main.go:20 +0x4f',
      'created by net/http.(*Server).Serve in goroutine 1',
      '\t/usr/local/go/src/net/http/server.go:3086 +0x5cb',
    ];
    const fatal = ['fatal error: concurrent map writes', '', 'goroutine 7 [running]:', 'main.worker(0xc000012345)', '\t/app/worker.go:31 +0x65'];
    const next = 'time=2026-11-24T10:00:01Z level=info msg=restarted';
    expect(records([...panic, ...fatal, next])).toEqual([panic, fatal, [next]]);
    // A frame-like line outside a goroutine dump is a line of its own.
    expect(records(['started', 'main.main()'])).toEqual([['started'], ['main.main()']]);
  });
});

describe('record boundaries', () => {
  it('joins any indented line and starts a record at every header or unknown line', () => {
    const lines = [
      '2026/11/24 01:05:25 [error] 1#0: *1 first',
      '    indented detail',
      '2026/11/24 01:05:25 [error] 1#0: *2 second',
      'plain line one',
      'plain line two',
      '\tindented under plain two',
    ];
    expect(records(lines)).toEqual([
      [lines[0], lines[1]],
      [lines[2], lines[3], lines[4], lines[5]],
    ]);
  });

  it('keeps lines of a header-less log as separate records', () => {
    const lines = ['disk almost full', 'disk full', 'Segmentation fault'];
    expect(records(lines)).toEqual(lines.map((line) => [line]));
  });

  it('starts a record at every header shape', () => {
    const lines = [
      '[23-Nov-2026 14:03:11 UTC] a',
      '[2026-11-24 01:05:25] production.ERROR: b',
      '[Tue Nov 24 01:05:25 2026] [error] c',
      '2026-11-24T01:05:25Z ERROR d',
      '2026/11/24 01:05:25 [error] e',
      '<34>Nov 24 01:05:25 web-3 app: f',
      'Nov 24 01:05:25 web-3 app: g',
      '{"msg":"h"}',
    ];
    expect(records(lines)).toEqual(lines.map((line) => [line]));
  });

  it('completes a record only when the next one starts, across batches', () => {
    const joiner = new MultilineJoiner();
    expect(joiner.push('a', [`${STAMP} PHP Fatal error:  x`, 'Stack trace:'], 1000)).toEqual([]);
    expect(joiner.push('a', ['#0 {main}'], 1100)).toEqual([]);
    expect(joiner.push('a', [`${STAMP} PHP Notice:  y`], 1200)).toEqual([[`${STAMP} PHP Fatal error:  x`, 'Stack trace:', '#0 {main}']]);
    expect(plain(joiner.flushAll())).toEqual([{ source: 'a', lines: [`${STAMP} PHP Notice:  y`], firstArrivedAt: 1200 }]);
    expect(plain(joiner.flushAll())).toEqual([]);
  });
});

describe('per-source isolation', () => {
  it('keeps interleaved lines of two sources apart', () => {
    const joiner = new MultilineJoiner();
    const done: string[][] = [];
    done.push(...joiner.push('web-1', [`${STAMP} PHP Fatal error:  one`], 1));
    done.push(...joiner.push('web-2', [`${STAMP} PHP Fatal error:  two`], 2));
    done.push(...joiner.push('web-1', ['Stack trace:', '#0 {main}'], 3));
    done.push(...joiner.push('web-2', ['Stack trace:'], 4));
    done.push(...joiner.push('web-1', [`${STAMP} PHP Notice:  three`], 5));
    done.push(...joiner.push('web-2', ['#0 /b.php(1): f()'], 6));
    expect(done).toEqual([[`${STAMP} PHP Fatal error:  one`, 'Stack trace:', '#0 {main}']]);
    expect(plain(joiner.flushAll())).toEqual([
      { source: 'web-1', lines: [`${STAMP} PHP Notice:  three`], firstArrivedAt: 5 },
      { source: 'web-2', lines: [`${STAMP} PHP Fatal error:  two`, 'Stack trace:', '#0 /b.php(1): f()'], firstArrivedAt: 2 },
    ]);
  });

  it('keeps one source\'s traceback state from leaking into another', () => {
    const joiner = new MultilineJoiner();
    joiner.push('py', ['Traceback (most recent call last):', '  File "x.py", line 1, in <module>'], 1);
    joiner.push('other', ['first plain'], 2);
    expect(joiner.push('other', ['ValueError: not a traceback here'], 3)).toEqual([['first plain']]);
    expect(joiner.push('py', ['ValueError: ends the traceback'], 4)).toEqual([]);
    expect(joiner.push('py', ['next plain'], 5)).toEqual([
      ['Traceback (most recent call last):', '  File "x.py", line 1, in <module>', 'ValueError: ends the traceback'],
    ]);
  });
});

describe('quiet flush', () => {
  it('flushes a record once its source has been quiet for quietMs, measured from its last line', () => {
    const joiner = new MultilineJoiner({ quietMs: 500 });
    joiner.push('a', [`${STAMP} PHP Fatal error:  x`], 1000);
    joiner.push('b', [`${STAMP} PHP Warning:  y`], 1000);
    joiner.push('a', ['Stack trace:'], 1400);
    expect(plain(joiner.flushIdle(1499))).toEqual([]);
    expect(plain(joiner.flushIdle(1500))).toEqual([{ source: 'b', lines: [`${STAMP} PHP Warning:  y`], firstArrivedAt: 1000 }]);
    expect(plain(joiner.flushIdle(1899))).toEqual([]);
    expect(plain(joiner.flushIdle(1900))).toEqual([{ source: 'a', lines: [`${STAMP} PHP Fatal error:  x`, 'Stack trace:'], firstArrivedAt: 1000 }]);
    expect(plain(joiner.flushAll())).toEqual([]);
  });

  it('flushes the records whose time has come (as their time is told), leaving later ones open', () => {
    const joiner = new MultilineJoiner();
    joiner.push('a', ['at 5', 'Stack trace:'], 100);
    joiner.push('b', ['at 7'], 100);
    const timeOf = (first: string): number => Number(first.slice(3));
    expect(plain(joiner.flushStartedBy(4, timeOf))).toEqual([]);
    expect(plain(joiner.flushStartedBy(6, timeOf))).toEqual([{ source: 'a', lines: ['at 5', 'Stack trace:'], firstArrivedAt: 100 }]);
    // A new record on the same source is asked its own time (not the one before it).
    expect(joiner.push('b', ['at 3'], 200)).toEqual([['at 7']]);
    expect(plain(joiner.flushStartedBy(6, timeOf))).toEqual([{ source: 'b', lines: ['at 3'], firstArrivedAt: 200 }]);
    expect(plain(joiner.flushAll())).toEqual([]);
  });

  it('uses a 1 s quiet time by default, and an empty batch does not reset it', () => {
    const joiner = new MultilineJoiner();
    joiner.push('a', ['x'], 0);
    joiner.push('a', [], 900);
    expect(plain(joiner.flushIdle(999))).toEqual([]);
    expect(joiner.flushIdle(1000)).toHaveLength(1);
  });
});

describe('maxLines', () => {
  it('keeps maxLines lines of a record and counts the rest', () => {
    const frames = Array.from({ length: 10 }, (_, i) => `#${i} /a.php(${i}): f()`);
    const joiner = new MultilineJoiner({ maxLines: 4 });
    const done = joiner.push('a', [`${STAMP} PHP Fatal error:  x`, 'Stack trace:', ...frames, `${STAMP} PHP Notice:  y`], 0);
    expect(done).toEqual([[`${STAMP} PHP Fatal error:  x`, 'Stack trace:', frames[0], frames[1]]]);
    expect(joiner.droppedLines).toBe(8);
    joiner.push('a', ['  more', '  more'], 1);
    expect(joiner.droppedLines).toBe(8);
  });

  it('defaults to 200 lines', () => {
    const joiner = new MultilineJoiner();
    joiner.push('a', ['head', ...Array.from({ length: 250 }, (_, i) => `\tat f${i}()`)], 0);
    expect(joiner.flushAll()[0]!.lines).toHaveLength(200);
    expect(joiner.droppedLines).toBe(51);
  });
});

describe('tags', () => {
  it('hands each record the tags of its first line\'s batch and that line\'s index there, also when flushed later', () => {
    const joiner = new MultilineJoiner<string>();
    const seen: Array<[string, string | undefined, number]> = [];
    const sink = (first: string, _continuation: string[] | undefined, _at: number, tags: string | undefined, index: number): void => {
      seen.push([first, tags, index]);
    };
    joiner.pushEach('a', ['x', `${STAMP} PHP Warning:  one`, `${STAMP} PHP Fatal error:  two`], 10, sink, 'batch-1');
    joiner.pushEach('a', ['Stack trace:', `${STAMP} PHP Notice:  three`], 20, sink, 'batch-2');
    expect(seen).toEqual([['x', 'batch-1', 0], [`${STAMP} PHP Warning:  one`, 'batch-1', 1], [`${STAMP} PHP Fatal error:  two`, 'batch-1', 2]]);
    expect(joiner.flushAll()).toEqual([{ source: 'a', lines: [`${STAMP} PHP Notice:  three`], firstArrivedAt: 20, tags: 'batch-2', index: 1 }]);
  });
});

describe('pushEach', () => {
  it('hands a one-line record no continuation array, and each record the arrival time of its first line', () => {
    const joiner = new MultilineJoiner();
    const seen: [string, string[] | undefined, number][] = [];
    const sink = (first: string, continuation: string[] | undefined, at: number): void => {
      seen.push([first, continuation === undefined ? undefined : [...continuation], at]);
    };
    joiner.pushEach('a', [`${STAMP} PHP Warning:  one`, `${STAMP} PHP Fatal error:  two`], 10, sink);
    joiner.pushEach('a', ['Stack trace:', '#0 {main}', `${STAMP} PHP Notice:  three`], 20, sink);
    expect(seen).toEqual([
      [`${STAMP} PHP Warning:  one`, undefined, 10],
      [`${STAMP} PHP Fatal error:  two`, ['Stack trace:', '#0 {main}'], 10],
    ]);
    expect(plain(joiner.flushAll())).toEqual([{ source: 'a', lines: [`${STAMP} PHP Notice:  three`], firstArrivedAt: 20 }]);
  });
});
