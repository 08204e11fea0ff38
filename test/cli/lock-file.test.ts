import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { holdPushLock, LOCK_METHOD } from '../../src/cli/lock-file.js';
import type { VerdictLevel } from '../../src/detect/model.js';
import { isoTime } from '../../src/pipeline/events.js';
import { FakeHandle, okVerdict, T0 } from '../support/fake-handle.js';
import { tempDir } from '../support/cli.js';

const verdict = (level: VerdictLevel) => ({ ...okVerdict(), level, type: 'verdict' as const, at: isoTime(T0) });

describe('push lock', () => {
  it('is written on stop and removed when the verdict resolves', () => {
    const handle = new FakeHandle();
    const lock = path.join(tempDir(), 'push.lock');
    const said: string[] = [];
    const subscription = holdPushLock(handle.events, lock, (line) => said.push(line));
    handle.emit(verdict('watch'));
    expect(existsSync(lock)).toBe(false);
    handle.emit(verdict('stop'));
    expect(readFileSync(lock, 'utf8')).toMatch(new RegExp(`^[^|]+\\|${LOCK_METHOD}\\|\\d{4}-\\d{2}-\\d{2}T`));
    handle.emit(verdict('stop'));
    handle.emit(verdict('revert'));
    expect(existsSync(lock)).toBe(false);
    expect(said).toHaveLength(2);
    subscription.unsubscribe();
  });

  it('never touches a lock someone else holds', () => {
    const handle = new FakeHandle();
    const lock = path.join(tempDir(), 'push.lock');
    writeFileSync(lock, 'sam|deployinator|1287106599\n');
    const said: string[] = [];
    holdPushLock(handle.events, lock, (line) => said.push(line));
    handle.emit(verdict('stop'));
    handle.emit(verdict('ok'));
    expect(readFileSync(lock, 'utf8')).toBe('sam|deployinator|1287106599\n');
    expect(said[0]).toContain('already exists');
  });
});
