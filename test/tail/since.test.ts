import { writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { findSinceOffset } from '../../src/tail/since.js';
import { makeTempDir } from './helpers.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

const lineTime = (line: string): number | undefined => {
  const match = /^@(\d+) /.exec(line);
  return match ? Number(match[1]) : undefined;
};

/** The reference answer: scan every line. */
function expectedOffset(lines: string[], notBefore: number): number {
  let offset = 0;
  let sawTime = false;
  for (const line of lines) {
    const time = lineTime(line);
    if (time !== undefined) {
      sawTime = true;
      if (time >= notBefore) return offset;
    }
    offset += Buffer.byteLength(line) + 1;
  }
  return sawTime ? offset : 0;
}

async function offsetFor(lines: string[], notBefore: number, maxLineBytes = 65_536): Promise<number> {
  const { dir, cleanup } = await makeTempDir();
  cleanups.push(cleanup);
  const file = path.join(dir, 'f.log');
  const text = lines.map((line) => `${line}\n`).join('');
  writeFileSync(file, text);
  const handle = await open(file, 'r');
  try {
    return await findSinceOffset(handle, Buffer.byteLength(text), notBefore, lineTime, maxLineBytes);
  } finally {
    await handle.close();
  }
}

describe('findSinceOffset', () => {
  it('agrees with a full scan on rising times with untimed lines, long lines and long untimed runs', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.oneof(fc.constant('timed'), fc.constant('untimed'), fc.constant('long')), { minLength: 0, maxLength: 400 }),
        fc.nat(500),
        async (kinds, target) => {
          let time = 0;
          const lines = kinds.map((kind, index) => {
            if (kind === 'untimed') return `  at frame ${index}`;
            time += 1;
            return kind === 'long' ? `@${time} ${'x'.repeat(3000)}` : `@${time} event ${index}`;
          });
          expect(await offsetFor(lines, target, 1024)).toBe(expectedOffset(lines, target));
        },
      ),
      { numRuns: 40 },
    );
  });

  it('falls back to 0 when no line has a time, and to the end when every line is older', async () => {
    expect(await offsetFor(['no', 'times', 'here'], 5)).toBe(0);
    const old = ['@1 a', '@2 b'];
    expect(await offsetFor(old, 10)).toBe(Buffer.byteLength('@1 a\n@2 b\n'));
  });
});
