/** Runs the built CLI (`dist/cli/bin.js`) as a real child process, as a user would. */
import { execFile, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach } from 'vitest';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const CLI = path.join(REPO, 'dist', 'cli', 'bin.js');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function runCli(args: string[], options: { cwd?: string; input?: string; env?: NodeJS.ProcessEnv } = {}): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = execFile(process.execPath, [CLI, ...args], {
      cwd: options.cwd ?? REPO,
      env: { ...process.env, ...options.env },
      maxBuffer: 256 * 1024 * 1024,
    }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : 1;
      resolve({ code, stdout, stderr });
    });
    if (options.input !== undefined) child.stdin?.end(options.input);
    else child.stdin?.end();
  });
}

/** A long-running CLI process whose NDJSON stdout is collected as it comes. */
export class CliProcess {
  readonly child: ChildProcessWithoutNullStreams;
  readonly events: Array<Record<string, unknown>> = [];
  stderr = '';
  private partial = '';
  readonly exited: Promise<number>;

  constructor(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}) {
    this.child = spawn(process.execPath, [CLI, ...args], { cwd: options.cwd ?? REPO, env: { ...process.env, ...options.env } });
    this.child.stdout.setEncoding('utf8').on('data', (chunk: string) => this.take(chunk));
    this.child.stderr.setEncoding('utf8').on('data', (chunk: string) => { this.stderr += chunk; });
    this.exited = new Promise((resolve) => this.child.on('exit', (code) => resolve(code ?? 1)));
  }

  /** Kills the process if a failed test left it running. */
  async kill(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.child.kill('SIGKILL');
    await this.exited;
  }

  ofType(type: string): Array<Record<string, unknown>> {
    return this.events.filter((event) => event['type'] === type);
  }

  private take(chunk: string): void {
    const lines = (this.partial + chunk).split('\n');
    this.partial = lines.pop() ?? '';
    for (const line of lines) if (line.trim() !== '') this.events.push(JSON.parse(line) as Record<string, unknown>);
  }
}

/** Polls `condition` with doubling delays until it holds or the deadline passes (no fixed sleeps). */
export async function waitFor(condition: () => boolean, what: string, deadlineMs = 15_000): Promise<void> {
  const end = Date.now() + deadlineMs;
  let delay = 10;
  while (!condition()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, delay));
    delay = Math.min(delay * 2, 500);
  }
}

export function tempDir(prefix = 'logwatch-'): string {
  return mkdtempSync(path.join(os.tmpdir(), prefix));
}

/**
 * Starts CLI processes for the calling `describe` and kills any a failed test left running, after
 * each test.
 */
export function cliProcesses(): (args: string[], options?: { cwd?: string; env?: NodeJS.ProcessEnv }) => CliProcess {
  const started: CliProcess[] = [];
  afterEach(async () => {
    for (const child of started.splice(0)) await child.kill();
  });
  return (args, options = {}) => {
    const child = new CliProcess(args, options);
    started.push(child);
    return child;
  };
}

/** A PHP warning line stamped 14:03:(n mod 60) on 23 Nov 2026, "on line n" of Listing.php. */
export const phpWarning = (n: number, message: string): string =>
  `[23-Nov-2026 14:03:${String(n % 60).padStart(2, '0')} UTC] PHP Warning:  ${message} in /var/www/lib/Listing.php on line ${n}\n`;
