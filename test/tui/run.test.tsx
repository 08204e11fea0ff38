import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { noColorFromEnv, runTui } from '../../src/tui/run.js';
import { FakeHandle } from '../support/fake-handle.js';
import { KeyStdin } from './render-helpers.js';

/** A real Writable that claims to be a terminal, so Ink takes its TTY paths. */
class TtyOut extends Writable {
  isTTY = true;
  columns = 80;
  rows = 24;
  text = '';
  override _write(chunk: Buffer | string, _encoding: BufferEncoding, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}


/** Polls with doubling delays up to a deadline (no fixed sleeps). */
async function until(check: () => boolean, deadlineMs = 5_000): Promise<void> {
  const deadline = Date.now() + deadlineMs;
  for (let delay = 5; !check(); delay = Math.min(delay * 2, 100)) {
    if (Date.now() > deadline) throw new Error('condition not met before the deadline');
    await new Promise((resolve) => setTimeout(resolve, delay));
  }
}

describe('runTui', () => {
  it('refuses a stdout that is not a terminal, in one line', async () => {
    const stdout = new TtyOut();
    stdout.isTTY = false;
    await expect(runTui(new FakeHandle(), { stdout: stdout as unknown as NodeJS.WriteStream })).rejects.toThrow(/^the TUI needs a terminal, but stdout is not a TTY \(use --json for NDJSON\)$/);
  });

  it('quits on q: stops the pipeline, leaves raw mode, shows the last frame', async () => {
    const handle = new FakeHandle();
    const stdout = new TtyOut();
    const stdin = new KeyStdin(true);
    const done = runTui(handle, { stdout: stdout as unknown as NodeJS.WriteStream, stdin: stdin as unknown as NodeJS.ReadStream, title: 'test' });
    await until(() => stdin.rawModeCalls.includes(true));
    stdin.write('q');
    await done;
    expect(handle.stopped).toBe(true);
    expect(stdin.rawModeCalls.at(-1)).toBe(false);
    expect(stdout.text).toContain('logwatch test');
    expect(stdout.text).toContain('OK');
  });

  it('without a terminal on stdin: no raw mode, says so, and quits on SIGTERM', async () => {
    const handle = new FakeHandle();
    const stdout = new TtyOut();
    const stdin = new KeyStdin(false);
    const done = runTui(handle, { stdout: stdout as unknown as NodeJS.WriteStream, stdin: stdin as unknown as NodeJS.ReadStream });
    // runTui renders and installs its signal handlers before its first await.
    process.emit('SIGTERM');
    await done;
    expect(handle.stopped).toBe(true);
    expect(stdin.rawModeCalls).toEqual([]);
    expect(stdout.text).toContain('keys off: stdin is not a terminal');
  });
});

describe('noColorFromEnv', () => {
  it('follows no-color.org: set and non-empty', () => {
    expect(noColorFromEnv({ NO_COLOR: '1' })).toBe(true);
    expect(noColorFromEnv({ NO_COLOR: '' })).toBe(false);
    expect(noColorFromEnv({})).toBe(false);
  });
});
