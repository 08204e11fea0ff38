/**
 * RELIABILITY D1: the redraw rate stays bounded whatever the input rate. Ink renders live frames
 * only outside CI, and reads CI when first imported, so CI is cleared before loading it (each test
 * file runs in its own process under the forks pool).
 */
import { Writable } from 'node:stream';
import { describe, expect, it, vi } from 'vitest';
import { FakeHandle, signatureView } from '../support/fake-handle.js';

process.env['CI'] = '0';
const { runTui, TUI_MAX_FPS } = await import('../../src/tui/run.js');
// render-helpers imports Ink too, so it is loaded after CI is cleared as well.
const { KeyStdin } = await import('./render-helpers.js');

class TtyOut extends Writable {
  isTTY = true;
  columns = 100;
  rows = 30;
  frames = 0;
  text = '';
  /** ESC[3J: Ink's clearTerminal, which wipes scrollback when a frame reaches the terminal's height. */
  clearedScrollback = false;
  override _write(chunk: Buffer | string, _encoding: BufferEncoding, done: () => void): void {
    const text = chunk.toString();
    if (text.includes('\u001b[3J')) this.clearedScrollback = true;
    // A frame is the write that carries the table; cursor and sync markers are separate writes.
    if (text.includes('SIGNATURE')) this.frames++;
    this.text = text.includes('SIGNATURE') ? text : this.text;
    done();
  }
}

describe('frame rate', () => {
  it('draws at most maxFps frames a second while the snapshot changes every millisecond', async () => {
    const handle = new FakeHandle();
    const stdout = new TtyOut();
    const stdin = new KeyStdin(true);
    const done = runTui(handle, { stdout: stdout as unknown as NodeJS.WriteStream, stdin: stdin as unknown as NodeJS.ReadStream });
    let count = 0;
    const started = process.hrtime.bigint();
    const feeder = setInterval(() => {
      count++;
      handle.state = { ...handle.state, signatures: [signatureView({ windowCount: count })] };
    }, 1);
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    clearInterval(feeder);
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const framesDuringFeed = stdout.frames;
    expect(count).toBeGreaterThan(200);
    expect(framesDuringFeed).toBeGreaterThan(2);
    expect(framesDuringFeed).toBeLessThanOrEqual(Math.ceil(TUI_MAX_FPS * seconds) + 2);
    // Within a poll or two the screen shows the last count the pipeline had.
    await vi.waitFor(() => expect(stdout.text).toMatch(new RegExp(`› WARN +${count} `)), { timeout: 2_000 });
    stdin.write('q');
    await done;
    expect(stdout.clearedScrollback).toBe(false);
  });
});
