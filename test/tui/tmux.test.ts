/**
 * The real CLI in a real terminal (tmux): the replay reaches STOP PUSHING with 2147483647 on
 * screen, Enter opens the detail view, q exits 0 and leaves the terminal usable.
 * Ink draws live frames only when CI is unset, so the pane's environment drops it.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { CLI, REPO, waitFor } from '../support/cli.js';

const hasTmux = (() => {
  try {
    execFileSync('tmux', ['-V']);
    return true;
  } catch {
    return false;
  }
})();

const socket = `logwatch-test-${process.pid}`;
const tmux = (...args: string[]): string => execFileSync('tmux', ['-L', socket, ...args], { encoding: 'utf8' });
const screen = (): string => tmux('capture-pane', '-p', '-t', 'lw');

describe.skipIf(!hasTmux || !existsSync(CLI))('TUI in tmux', () => {
  afterAll(() => {
    try { tmux('kill-server'); } catch { /* already gone */ }
  });

  it('shows STOP PUSHING with 2147483647, opens the detail, quits cleanly', async () => {
    tmux('-f', '/dev/null', 'new-session', '-d', '-s', 'lw', '-x', '120', '-y', '36', '-c', REPO, 'env -u CI bash --norc --noprofile');
    tmux('send-keys', '-t', 'lw', `node ${CLI} replay fixtures/int32-overflow --from 14:07 --to 14:12 --speed 30; echo "EXIT""=$?"`, 'Enter');
    await waitFor(() => screen().includes('STOP PUSHING'), 'STOP PUSHING on screen', 30_000);
    expect(screen()).toContain('2147483647');
    expect(screen()).toContain('not a deploy');

    tmux('send-keys', '-t', 'lw', 'Enter');
    await waitFor(() => screen().includes('samples'), 'the detail view', 10_000);
    expect(screen()).toMatch(/hosts \d+\/12/);
    expect(screen()).toContain('INT32_MAX');

    tmux('send-keys', '-t', 'lw', 'Escape');
    await waitFor(() => screen().includes('FIRST'), 'the table again', 10_000);
    tmux('send-keys', '-t', 'lw', 'q');
    await waitFor(() => screen().includes('EXIT='), 'the program to exit', 10_000);
    expect(screen()).toContain('EXIT=0');

    // The terminal is usable again: canonical mode and echo are back on. (Markers are split in the
    // typed command so that only the command's output can match them.)
    tmux('send-keys', '-t', 'lw', 'clear; stty -a | tr " " "\\n" | grep -xE -- "-?(icanon|echo)" | tr "\\n" " "; echo STTY-""DONE', 'Enter');
    await waitFor(() => screen().includes('STTY-DONE'), 'stty output', 10_000);
    expect(screen()).toMatch(/(^|\s)icanon\s+echo(\s|$)/m);
  }, 90_000);
});
