import { describe, expect, it } from 'vitest';
import { containerText, readContainerLine } from '../../../src/pipeline/formats/container.js';

const at = (iso: string) => Date.parse(iso);
const docker = (log: string, time = '2026-11-24T10:00:00.123456789Z') => JSON.stringify({ log, stream: 'stderr', time });

describe('container runtime envelopes', () => {
  it("reads Docker json-file lines: the line inside, without its line end, at the runtime's time", () => {
    expect(readContainerLine(docker('PHP Fatal error:  boom in /x.php on line 3\n'))).toEqual({ text: 'PHP Fatal error:  boom in /x.php on line 3', at: at('2026-11-24T10:00:00.123Z') });
    expect(readContainerLine(docker('windows line\r\n'))?.text).toBe('windows line');
    // A part of a line too long for the runtime has no line end: it is the text as it is.
    expect(readContainerLine(docker('the first 16 KiB'))?.text).toBe('the first 16 KiB');
    expect(readContainerLine('{"log":"no time"}')).toEqual({ text: 'no time', at: undefined });
  });

  it('reads CRI lines (Kubernetes): full and partial, stdout and stderr, with or without text', () => {
    expect(readContainerLine('2026-11-24T10:00:00.123456789Z stderr F #0 /var/www/x.php(3): f()')).toEqual({ text: '#0 /var/www/x.php(3): f()', at: at('2026-11-24T10:00:00.123Z') });
    expect(readContainerLine('2026-11-24T11:00:00+01:00 stdout P part one')).toEqual({ text: 'part one', at: at('2026-11-24T10:00:00Z') });
    expect(readContainerLine('2026-11-24T10:00:00Z stdout F')).toEqual({ text: '', at: at('2026-11-24T10:00:00Z') });
    expect(readContainerLine('2026-11-24T10:00:00Z stderr F:x tagged')).toEqual({ text: 'tagged', at: at('2026-11-24T10:00:00Z') });
  });

  it('leaves every other line alone: JSON logs, ISO-prefixed lines, PHP logs, broken envelopes', () => {
    for (const line of [
      '{"level":"error","msg":"boom","time":"2026-11-24T10:00:00Z"}',
      '{"log":42}',
      '{"log":"unterminated',
      '2026-11-24T10:00:00Z ERROR stderr F is a message here',
      '2026-11-24T10:00:00Z stderr X not a tag',
      '2026-11-24 10:00:00 stderr F not RFC 3339',
      '[24-Nov-2026 10:00:00 UTC] PHP Warning:  x',
      '',
    ]) {
      expect(readContainerLine(line), line).toBeUndefined();
      expect(containerText(line)).toBe(line);
    }
  });
});
