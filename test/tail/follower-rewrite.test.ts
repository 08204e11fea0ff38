import { truncateSync, writeFileSync, appendFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FileFollower } from '../../src/tail/follower.js';
import { Collector, asText, makeTempDir, multiset, waitUntil } from './helpers.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** Lines of one length, so the 32 bytes before any line boundary are the same in every generation. */
const uniform = (generation: string, count: number): string[] =>
  Array.from({ length: count }, (_, i) => `${generation} ${String(i).padStart(6, '0')} ${'x'.repeat(40)}`);

describe.each([false, true])('FileFollower, truncated and rewritten past the old offset between two looks (polling: %s)', (usePolling) => {
  it('A8b with lines of one length: the changed first bytes reveal the rewrite; every new line seen once', async () => {
    const { dir, cleanup } = await makeTempDir();
    cleanups.push(cleanup);
    const log = path.join(dir, 'app.log');
    const before = uniform('gen1', 100);
    writeFileSync(log, asText(before));
    const seen = new Collector();
    const follower = new FileFollower({ patterns: [log], start: 'beginning', usePolling }, seen.onBatch);
    cleanups.push(() => follower.close());
    await follower.start();
    await waitUntil(() => seen.lines().length === 100, 'the first generation');
    // Both in one synchronous step: the follower cannot look between the truncate and the rewrite.
    const after = uniform('gen2', 200);
    truncateSync(log, 0);
    appendFileSync(log, asText(after));
    await waitUntil(() => seen.has(after), 'the rewritten content');
    expect(multiset(seen.lines())).toEqual(multiset([...before, ...after]));
  });
});
