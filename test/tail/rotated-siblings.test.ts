import { mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { rotatedBasesOf, rotatedSiblingsSince, SeenHeads } from '../../src/tail/rotated-siblings.js';
import { makeTempDir } from './helpers.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('rotatedSiblingsSince', () => {
  it('lists rotated names written since a time, oldest first; not compressed ones, other files, or directories', async () => {
    const { dir, cleanup } = await makeTempDir();
    cleanups.push(cleanup);
    const log = path.join(dir, 'app.log');
    const at = (seconds: number) => new Date(Date.parse('2026-11-24T08:00:00Z') + seconds * 1000);
    const files: Array<[string, number]> = [
      ['app.log', 9], ['app.log.1', 5], ['app.log-20261124', 3], ['app.log.2026-11-23_1', 4], ['app.log.3', -60],
      ['app.log.2.gz', 6], ['app.log.lock', 6], ['app.log.tmp', 6], ['app.log-backup', 6], ['app.logx.1', 6], ['other.log.1', 6],
    ];
    for (const [name, seconds] of files) {
      writeFileSync(path.join(dir, name), `${name}\n`);
      utimesSync(path.join(dir, name), at(seconds), at(seconds));
    }
    mkdirSync(path.join(dir, 'app.log.9'));
    const found = await rotatedSiblingsSince(log, at(0).getTime());
    expect(found.map((sibling) => path.basename(sibling.absolute))).toEqual(['app.log-20261124', 'app.log.2026-11-23_1', 'app.log.1']);
    expect(await rotatedSiblingsSince(path.join(dir, 'gone', 'app.log'), 0)).toEqual([]);
  });
});

describe('rotatedBasesOf', () => {
  it('names the logs a path is a rotated name of, by the same rule as rotatedSiblingsSince', () => {
    const bases = (name: string) => rotatedBasesOf(path.join('/var/log', name)).map((base) => path.basename(base));
    expect(bases('app.log.1')).toEqual(['app.log']);
    expect(bases('app.log-20261124')).toEqual(['app.log']);
    expect(bases('app.log.2026-11-23_1')).toEqual(['app.log', 'app.log.2026', 'app.log.2026-11', 'app.log.2026-11-23']);
    for (const name of ['app.log', 'app.log.2.gz', 'app.log.lock', 'app.log-backup', '.1']) expect(bases(name)).toEqual([]);
  });
});

describe('SeenHeads', () => {
  it('knows the first bytes added for a log, not for another log, not their prefixes or an empty head, and keeps the latest few per log', () => {
    const heads = new SeenHeads();
    const head = Buffer.from('[24-Nov-2026 08:00:00 UTC] PHP Warning:  a');
    heads.add('logs/web-01/app.log', head);
    expect(heads.has('logs/web-01/app.log', head)).toBe(true);
    expect(heads.has('logs/web-02/app.log', head)).toBe(false);
    expect(heads.has('logs/web-01/app.log', Buffer.from('[24-Nov-2026 08:00:00 UTC]'))).toBe(false);
    heads.add('logs/web-01/app.log', Buffer.alloc(0));
    expect(heads.has('logs/web-01/app.log', Buffer.alloc(0))).toBe(false);
    for (let i = 0; i < 8; i++) heads.add('logs/web-01/app.log', Buffer.from(`head ${i}`));
    expect(heads.has('logs/web-01/app.log', head)).toBe(false);
    expect(heads.has('logs/web-01/app.log', Buffer.from('head 1'))).toBe(true);
    // Another log's many heads do not push this log's out.
    for (let i = 0; i < 100; i++) heads.add('logs/web-02/app.log', Buffer.from(`head ${i}`));
    expect(heads.has('logs/web-01/app.log', Buffer.from('head 7'))).toBe(true);
  });
});
