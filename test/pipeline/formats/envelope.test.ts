import { describe, expect, it } from 'vitest';
import { envelopeText, readEnvelope } from '../../../src/pipeline/formats/envelope.js';

const at = (iso: string) => Date.parse(iso);
const docker = (log: string, time = '2026-11-24T10:00:00.123456789Z') => JSON.stringify({ log, stream: 'stderr', time });

describe('envelopes', () => {
  it("reads Docker json-file lines: the line inside, without its line end, at the runtime's time", () => {
    expect(readEnvelope(docker('PHP Fatal error:  boom in /x.php on line 3\n'))).toEqual({ text: 'PHP Fatal error:  boom in /x.php on line 3', at: at('2026-11-24T10:00:00.123Z'), partial: false });
    expect(readEnvelope(docker('windows line\r\n'))?.text).toBe('windows line');
    // A part of a line too long for the runtime has no line end: the text as it is, and the next line is its rest.
    expect(readEnvelope(docker('the first 16 KiB'))).toMatchObject({ text: 'the first 16 KiB', partial: true });
    expect(readEnvelope('{"log":"no time\\n"}')).toEqual({ text: 'no time', at: undefined, partial: false });
  });

  it('reads CRI lines (Kubernetes): full and partial, stdout and stderr, with or without text', () => {
    expect(readEnvelope('2026-11-24T10:00:00.123456789Z stderr F #0 /var/www/x.php(3): f()')).toEqual({ text: '#0 /var/www/x.php(3): f()', at: at('2026-11-24T10:00:00.123Z'), partial: false });
    expect(readEnvelope('2026-11-24T11:00:00+01:00 stdout P part one')).toEqual({ text: 'part one', at: at('2026-11-24T10:00:00Z'), partial: true });
    expect(readEnvelope('2026-11-24T10:00:00Z stdout F')).toEqual({ text: '', at: at('2026-11-24T10:00:00Z'), partial: false });
    expect(readEnvelope('2026-11-24T10:00:00Z stderr F:x tagged')).toEqual({ text: 'tagged', at: at('2026-11-24T10:00:00Z'), partial: false });
  });

  it("reads the journal's JSON entries: the message, its time in µs, PRIORITY as the level, the host", () => {
    const entry = { __CURSOR: 's=1;i=2', __REALTIME_TIMESTAMP: '1795482325123456', PRIORITY: '3', _HOSTNAME: 'web-1', SYSLOG_IDENTIFIER: 'php-fpm', MESSAGE: 'PHP Warning:  x in /y.php on line 2' };
    expect(readEnvelope(JSON.stringify(entry))).toEqual({ text: 'PHP Warning:  x in /y.php on line 2', at: at('2026-11-24T01:05:25.123Z'), partial: false, level: 'error', host: 'web-1' });
    // A message that is not UTF-8 comes as its bytes; an entry without PRIORITY or host has neither.
    expect(readEnvelope(JSON.stringify({ __REALTIME_TIMESTAMP: '1795482325000000', MESSAGE: [104, 105, 255] }))).toEqual({ text: 'hi\uFFFD', at: at('2026-11-24T01:05:25Z'), partial: false });
  });

  it('leaves every other line alone: JSON logs, ISO-prefixed lines, PHP logs, broken envelopes', () => {
    for (const line of [
      '{"level":"error","msg":"boom","time":"2026-11-24T10:00:00Z"}',
      '{"log":42}',
      '{"__REALTIME_TIMESTAMP":"1795482325000000"}',
      '{"log":"unterminated',
      '2026-11-24T10:00:00Z ERROR stderr F is a message here',
      '2026-11-24T10:00:00Z stderr X not a tag',
      '2026-11-24 10:00:00 stderr F not RFC 3339',
      '[24-Nov-2026 10:00:00 UTC] PHP Warning:  x',
      '',
    ]) {
      expect(readEnvelope(line), line).toBeUndefined();
      expect(envelopeText(line)).toBe(line);
    }
  });
});
