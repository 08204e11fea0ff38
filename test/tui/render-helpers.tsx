/**
 * Test helpers for the TUI: a terminal of a chosen size (ink-testing-library's is fixed at 100
 * columns with no rows), and waiting for a frame. Rendering uses Ink's debug mode like
 * ink-testing-library, so every frame is written whole, with or without CI set.
 */
import { EventEmitter } from 'node:events';
import type { ReactElement } from 'react';
import { render } from 'ink';
import { expect, vi } from 'vitest';

export class SizedStdout extends EventEmitter {
  readonly frames: string[] = [];
  isTTY = true;
  constructor(public columns: number, public rows: number) {
    super();
  }
  write = (frame: string): boolean => {
    this.frames.push(frame);
    return true;
  };
  lastFrame = (): string => this.frames.at(-1) ?? '';
  resize(columns: number, rows: number): void {
    this.columns = columns;
    this.rows = rows;
    this.emit('resize');
  }
}

export class KeyStdin extends EventEmitter {
  private pending: string | null = null;
  constructor(public isTTY: boolean) {
    super();
  }
  write(data: string): void {
    this.pending = data;
    this.emit('readable');
    this.emit('data', data);
  }
  read = (): string | null => {
    const data = this.pending;
    this.pending = null;
    return data;
  };
  readonly rawModeCalls: boolean[] = [];
  setRawMode(enabled: boolean): void {
    this.rawModeCalls.push(enabled);
  }
  setEncoding(): void {}
  resume(): void {}
  pause(): void {}
  ref(): void {}
  unref(): void {}
}

export function renderSized(node: ReactElement, size: { columns: number; rows: number; stdinIsTTY?: boolean }) {
  const stdout = new SizedStdout(size.columns, size.rows);
  const stdin = new KeyStdin(size.stdinIsTTY ?? true);
  const instance = render(node, {
    stdout: stdout as unknown as NodeJS.WriteStream,
    stdin: stdin as unknown as NodeJS.ReadStream,
    debug: true,
    exitOnCtrlC: false,
    patchConsole: false,
  });
  return { stdout, stdin, lastFrame: stdout.lastFrame, frames: stdout.frames, unmount: instance.unmount };
}

/** Waits until the last frame satisfies `check` (which throws until it does). */
export async function waitForFrame(lastFrame: () => string | undefined, check: (frame: string) => void): Promise<string> {
  await vi.waitFor(() => check(lastFrame() ?? ''), { timeout: 3_000, interval: 20 });
  return lastFrame() ?? '';
}

export function expectContains(text: string) {
  return (frame: string) => expect(frame).toContain(text);
}

/** Display width of a plain (uncoloured) frame line; the glyphs used are all one cell wide. */
export function lineWidths(frame: string): number[] {
  return frame.split('\n').map((line) => [...line].length);
}
