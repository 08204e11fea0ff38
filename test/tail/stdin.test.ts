import { spawn } from 'node:child_process';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { readStdin } from '../../src/tail/stdin.js';
import { Collector } from './helpers.js';

describe('readStdin', () => {
  it('reads a real pipe from a child process, CRLF stripped, last line flushed without a newline', async () => {
    const child = spawn(process.execPath, ['-e', "process.stdout.write('one\\r\\ntwo\\n'); process.stdout.write('last without newline')"]);
    const seen = new Collector();
    const counters = await readStdin(child.stdout, seen.onBatch, { host: 'h1' });
    expect(seen.lines()).toEqual(['one', 'two', 'last without newline']);
    expect(seen.batches.every((batch) => batch.source === '-' && batch.host === 'h1')).toBe(true);
    expect(counters).toEqual({ lines: 3, bytes: 29, truncated: 0, dropped: 0, files: 0, errors: 0 });
  });

  it('splits on bytes: a character split across chunks stays whole; long lines and NUL runs are counted', async () => {
    const stream = new PassThrough();
    const seen = new Collector();
    const done = readStdin(stream, seen.onBatch, { maxLineBytes: 8 });
    const e = Buffer.from('é');
    stream.write(Buffer.concat([Buffer.from('caf'), e.subarray(0, 1)]));
    stream.write(Buffer.concat([e.subarray(1), Buffer.from('\n\0\0much too long line\nok\n')]));
    stream.end();
    const counters = await done;
    expect(seen.lines()).toEqual(['café', 'much too', 'ok']);
    expect(counters.truncated).toBe(1);
    expect(counters.dropped).toBe(1);
  });

  it('rejects when the stream fails', async () => {
    const stream = new PassThrough();
    const done = readStdin(stream, () => undefined);
    stream.destroy(new Error('EIO on stdin'));
    await expect(done).rejects.toThrow('EIO on stdin');
  });
});
