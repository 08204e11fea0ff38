import { appendFileSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkpointOf, identityKey, resumeOffset, StateStore, type FileCheckpoint } from '../../src/tail/state.js';
import { tempDirsRemovedAfterEach } from './helpers.js';

const tempDir = tempDirsRemovedAfterEach();

async function checkpointAt(file: string, offset: number): Promise<FileCheckpoint> {
  const handle = await open(file, 'r');
  try {
    const stats = await handle.stat();
    return await checkpointOf(handle, file, stats.dev, stats.ino, offset);
  } finally {
    await handle.close();
  }
}

async function resumeAt(file: string, checkpoint: FileCheckpoint): Promise<number> {
  const handle = await open(file, 'r');
  try {
    return await resumeOffset(handle, (await handle.stat()).size, checkpoint);
  } finally {
    await handle.close();
  }
}

describe('StateStore', () => {
  it('saves atomically and loads the checkpoints back; a clean save has no high-water marks', async () => {
    const dir = await tempDir();
    const log = path.join(dir, 'app.log');
    writeFileSync(log, 'one\ntwo\n');
    const checkpoint = await checkpointAt(log, 4);
    const store = new StateStore(path.join(dir, 'state'), () => undefined);
    store.noteConsumed(identityKey(checkpoint.dev, checkpoint.ino), 8);
    store.save([checkpoint], true);
    store.close();
    const loaded = new StateStore(path.join(dir, 'state'), () => undefined).load();
    expect(loaded.byIdentity.get(identityKey(checkpoint.dev, checkpoint.ino))).toEqual(checkpoint);
    expect(loaded.paths.has(log)).toBe(true);
    expect(loaded.highWater.size).toBe(0);
  });

  it('after an unclean stop, the highest consumed mark per file since the last save is loaded', async () => {
    const dir = await tempDir();
    const store = new StateStore(dir, () => undefined);
    store.noteConsumed('1:2', 10);
    store.save([], false);
    store.noteConsumed('1:2', 40);
    store.noteConsumed('1:2', 30);
    store.noteConsumed('1:3', 7);
    // No close, no clean save: as after SIGKILL.
    const loaded = new StateStore(dir, () => undefined).load();
    expect([...loaded.highWater]).toEqual([['1:2', 40], ['1:3', 7]]);
    expect(readFileSync(path.join(dir, 'consumed.log'), 'utf8')).not.toContain(' 10\n');
    store.close();
  });

  it.each([
    ['not JSON', '{"version":1,"files":[{'],
    ['a wrong version', '{"version":99,"clean":true,"files":[]}'],
    ['a negative offset', '{"version":1,"clean":true,"files":[{"path":"/x","dev":1,"ino":2,"head":"h","headLength":1,"offset":-5,"marker":"m"}]}'],
  ])('a state file with %s is reported and ignored, never thrown', async (_what, content) => {
    const dir = await tempDir();
    writeFileSync(path.join(dir, 'checkpoints.json'), content);
    const warnings: string[] = [];
    const loaded = new StateStore(dir, (message) => warnings.push(message)).load();
    expect(loaded.byIdentity.size).toBe(0);
    expect(warnings).toEqual([expect.stringContaining('is corrupt')]);
  });
});

describe('resumeOffset', () => {
  it('the same file, grown: resumes at the checkpoint', async () => {
    const dir = await tempDir();
    const log = path.join(dir, 'app.log');
    writeFileSync(log, 'first line\nsecond line\n');
    const checkpoint = await checkpointAt(log, 11);
    appendFileSync(log, 'third\n');
    expect(await resumeAt(log, checkpoint)).toBe(11);
  });

  it('truncated below the offset, or rewritten past it with other bytes, or another file under the same path: from 0', async () => {
    const dir = await tempDir();
    const log = path.join(dir, 'app.log');
    writeFileSync(log, 'first line\nsecond line\n');
    const checkpoint = await checkpointAt(log, 23);
    writeFileSync(log, 'short\n');
    expect(await resumeAt(log, checkpoint)).toBe(0);
    writeFileSync(log, 'first line\nSECOND LINE\nand more bytes than before\n');
    expect(await resumeAt(log, checkpoint)).toBe(0);
    writeFileSync(log, 'other head\nsecond line\nand more\n');
    expect(await resumeAt(log, checkpoint)).toBe(0);
    expect(statSync(log).size).toBeGreaterThan(checkpoint.offset);
  });
});
