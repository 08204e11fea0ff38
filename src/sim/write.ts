/**
 * Writes generated fixture files to a directory. Refuses a non-empty directory unless forced;
 * when forced, it replaces only what a fixture consists of (logs/, the deploy files, scenario.json,
 * README.md) and leaves anything else there alone.
 */
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { FixtureFiles } from './generate.js';

const FIXTURE_ENTRIES = ['logs', 'deploys.log', 'deploys.ndjson', 'scenario.json', 'README.md'];

export class OutputNotEmptyError extends Error {
  override readonly name = 'OutputNotEmptyError';
}

async function entriesOf(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

export async function writeFixture(dir: string, files: FixtureFiles, options: { force?: boolean } = {}): Promise<void> {
  const existing = await entriesOf(dir);
  if (existing.length > 0 && options.force !== true) {
    throw new OutputNotEmptyError(`${dir} is not empty; choose an empty directory or pass --force to replace the fixture in it`);
  }
  for (const entry of FIXTURE_ENTRIES) await rm(join(dir, entry), { recursive: true, force: true });
  for (const [path, text] of files) {
    const target = join(dir, path);
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, text);
  }
}
