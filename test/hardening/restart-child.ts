/** Drives test/hardening/watch-child.mjs: a watch with --state in a real child process. */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { waitFor } from '../support/cli.js';

const CHILD = path.join(path.dirname(fileURLToPath(import.meta.url)), 'watch-child.mjs');

export class WatchChild {
  readonly child: ChildProcessWithoutNullStreams;
  /** Lines handed to the engine, in order. */
  readonly lines: string[] = [];
  stderr = '';
  private partial = '';
  readonly exited: Promise<number | null>;

  constructor(stateDir: string, start: 'beginning' | 'end', patterns: string[]) {
    this.child = spawn(process.execPath, [CHILD, stateDir, start, ...patterns]);
    this.child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      const parts = (this.partial + chunk).split('\n');
      this.partial = parts.pop() ?? '';
      this.lines.push(...parts);
    });
    this.child.stderr.setEncoding('utf8').on('data', (chunk: string) => { this.stderr += chunk; });
    this.exited = new Promise((resolve) => this.child.on('exit', (code) => resolve(code)));
  }

  static async started(stateDir: string, start: 'beginning' | 'end', patterns: string[]): Promise<WatchChild> {
    const child = new WatchChild(stateDir, start, patterns);
    await waitFor(() => child.stderr.includes('ready\n'), `the watch child to start (stderr: ${child.stderr})`, 20_000);
    return child;
  }

  async waitForLines(count: number): Promise<void> {
    await waitFor(() => this.lines.length >= count, `${count} lines (have ${this.lines.length})`, 20_000);
  }

  /** SIGTERM and wait for the clean stop (offsets saved). */
  async stop(): Promise<void> {
    this.child.kill('SIGTERM');
    const code = await this.exited;
    if (code !== 0) throw new Error(`watch child exited ${code}: ${this.stderr}`);
  }

  async kill(): Promise<void> {
    this.child.kill('SIGKILL');
    await this.exited;
  }

  /** Lines the run reported as read again after an unclean stop. */
  replayed(): number {
    const match = /state: (\d+) line\(s\) read again/.exec(this.stderr);
    return match === null ? 0 : Number(match[1]);
  }
}
