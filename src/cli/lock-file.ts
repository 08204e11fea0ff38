/**
 * `--lock-file PATH`: while the verdict is `stop`, a push-lock file holds the line the way
 * Deployinator did (`who|method|time`), so a deploy tool can refuse to push while it exists.
 * It is removed when the verdict resolves. A lock that someone else wrote is never touched.
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import type { Observable, Subscription } from 'rxjs';
import type { LogwatchEvent } from '../pipeline/events.js';

export const LOCK_METHOD = 'logwatch';

export function holdPushLock(events: Observable<LogwatchEvent>, path: string, say: (line: string) => void): Subscription {
  let ours: string | undefined;
  return events.subscribe((event) => {
    if (event.type !== 'verdict') return;
    if (event.level === 'stop' && ours === undefined) ours = take(path, say);
    else if (event.level !== 'stop' && ours !== undefined) {
      release(path, ours, say);
      ours = undefined;
    }
  });
}

/** Writes the lock unless one exists; returns the content written. */
function take(path: string, say: (line: string) => void): string | undefined {
  if (existsSync(path)) {
    say(`push lock ${path} already exists; leaving it as it is`);
    return undefined;
  }
  const content = `${os.userInfo().username}|${LOCK_METHOD}|${new Date().toISOString()}\n`;
  writeFileSync(path, content, { flag: 'wx' });
  say(`stop: wrote push lock ${path}`);
  return content;
}

function release(path: string, content: string, say: (line: string) => void): void {
  if (existsSync(path) && readFileSync(path, 'utf8') === content) {
    rmSync(path);
    say(`verdict resolved: removed push lock ${path}`);
  }
}
