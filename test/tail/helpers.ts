/** Shared by the tail tests: temp dirs, a batch collector, and a polling wait (no fixed sleeps). */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach } from 'vitest';
import type { LineBatch } from '../../src/tail/types.js';

/** The polling wait shared by every test (doubling delays up to a deadline, like coreutils' retry_delay_). */
export { waitFor as waitUntil } from '../support/cli.js';

/** Collects batches; `lines()` flattens them in arrival order. */
export class Collector {
  readonly batches: LineBatch[] = [];
  readonly onBatch = (batch: LineBatch): void => {
    this.batches.push(batch);
  };

  lines(): string[] {
    return this.batches.flatMap((batch) => batch.lines);
  }

  has(lines: string[]): boolean {
    const seen = new Set(this.lines());
    return lines.every((line) => seen.has(line));
  }
}

/** Sorted copy, for comparing what was written with what was seen as multisets (each line exactly once). */
export function multiset(lines: string[]): string[] {
  return [...lines].sort();
}

export async function makeTempDir(): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'logwatch-tail-'));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** Temp dirs for the calling test file, each removed after the test that made it. */
export function tempDirsRemovedAfterEach(): () => Promise<string> {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup();
  });
  return async () => {
    const { dir, cleanup } = await makeTempDir();
    cleanups.push(cleanup);
    return dir;
  };
}

export function numbered(prefix: string, count: number, from = 1): string[] {
  return Array.from({ length: count }, (_, index) => `${prefix}${from + index}`);
}

export function asText(lines: string[]): string {
  return lines.map((line) => `${line}\n`).join('');
}
