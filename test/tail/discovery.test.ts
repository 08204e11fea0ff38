import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { PatternSet, findMissingPlainPaths, isGlob } from '../../src/tail/discovery.js';
import { makeTempDir } from './helpers.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

async function tree(): Promise<string> {
  const { dir, cleanup } = await makeTempDir();
  cleanups.push(cleanup);
  for (const host of ['alpha', 'beta']) {
    mkdirSync(path.join(dir, 'logs', host), { recursive: true });
    writeFileSync(path.join(dir, 'logs', host, 'php_errors.log'), '');
  }
  writeFileSync(path.join(dir, 'logs', 'alpha', 'other.txt'), '');
  return dir;
}

describe('isGlob', () => {
  it('tells globs from plain paths', () => {
    expect(isGlob('logs/*/php_errors.log')).toBe(true);
    expect(isGlob('logs/{a,b}.log')).toBe(true);
    expect(isGlob('logs/app?.log')).toBe(true);
    expect(isGlob('/var/log/php_errors.log')).toBe(false);
  });
});

describe('findMissingPlainPaths', () => {
  it('reports plain paths that do not exist, never globs', async () => {
    const dir = await tree();
    const patterns = ['logs/alpha/php_errors.log', 'logs/nope.log', 'logs/*/missing-too.log', path.join(dir, 'absent.log')];
    expect(findMissingPlainPaths(patterns, dir)).toEqual(['logs/nope.log', path.join(dir, 'absent.log')]);
  });
});

describe('PatternSet', () => {
  it('scans globs and plain paths, showing each path as matched (relative stays relative)', async () => {
    const dir = await tree();
    const absolutePlain = path.join(dir, 'logs', 'alpha', 'other.txt');
    const found = await new PatternSet(['logs/*/php_errors.log', absolutePlain, 'logs/*'], dir).scan();
    const summary = found.map((entry) => [entry.display, entry.isDirectory]).sort();
    expect(summary).toEqual([
      [absolutePlain, false],
      [path.join('logs', 'alpha'), true],
      [path.join('logs', 'alpha', 'php_errors.log'), false],
      [path.join('logs', 'beta'), true],
      [path.join('logs', 'beta', 'php_errors.log'), false],
    ]);
    for (const entry of found) expect(path.isAbsolute(entry.absolute)).toBe(true);
  });

  it('matches watcher paths and says which directories may lead to a match', async () => {
    const dir = await tree();
    const patterns = new PatternSet(['logs/*/php_errors.log'], dir);
    expect(patterns.match(path.join(dir, 'logs', 'delta', 'php_errors.log'))).toBe(path.join('logs', 'delta', 'php_errors.log'));
    expect(patterns.match(path.join(dir, 'logs', 'delta', 'other.log'))).toBeUndefined();
    expect(patterns.isRelevant(path.join(dir, 'logs'))).toBe(true);
    expect(patterns.isRelevant(path.join(dir, 'logs', 'delta'))).toBe(true);
    expect(patterns.isRelevant(path.join(dir, 'logs', 'delta', 'other.log'))).toBe(false);
    expect(patterns.isRelevant(path.join(dir, 'logs', 'delta', 'deeper', 'php_errors.log'))).toBe(false);
    expect(patterns.isRelevant(path.join(dir, 'elsewhere'))).toBe(false);
    expect(patterns.watchBases()).toEqual([path.join(dir, 'logs')]);
  });

  it('treats everything under a ** as relevant and watches plain paths through their directory', async () => {
    const dir = await tree();
    const patterns = new PatternSet(['logs/**/*.log', path.join(dir, 'solo.log')], dir);
    expect(patterns.isRelevant(path.join(dir, 'logs', 'a', 'b', 'c'))).toBe(true);
    expect(patterns.isRelevant(path.join(dir, 'solo.log'))).toBe(true);
    expect(patterns.isRelevant(path.join(dir, 'duo.log'))).toBe(false);
    expect(patterns.watchBases().sort()).toEqual([dir, path.join(dir, 'logs')].sort());
    expect(patterns.plainPaths()).toEqual([{ absolute: path.join(dir, 'solo.log'), display: path.join(dir, 'solo.log') }]);
  });
});
