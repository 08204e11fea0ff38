import { connect, createServer, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { runCommand, type CommandResult } from '../support/command.js';
import { deployCommand } from '../../src/cli/deploy.js';
import type { DeployMarker } from '../../src/pipeline/deploy-marker.js';
import { listenForDeploys, type DeployListener } from '../../src/tail/deploy-listener.js';

const NOW = Date.parse('2026-11-23T14:00:00Z');
const NOW_S = NOW / 1000;

interface Harness {
  listener: DeployListener;
  deploys: DeployMarker[];
  rejects: Array<{ reason: string; line: string }>;
}

let open: DeployListener | undefined;
afterEach(async () => {
  await open?.close();
  open = undefined;
});

async function startListener(options: { maxLineChars?: number; patterns?: string[] } = {}): Promise<Harness> {
  const deploys: DeployMarker[] = [];
  const rejects: Array<{ reason: string; line: string }> = [];
  const listener = await listenForDeploys({
    port: 0,
    now: () => NOW,
    onDeploy: (marker) => deploys.push(marker),
    onReject: (reason, line) => rejects.push({ reason, line }),
    ...options,
  });
  open = listener;
  return { listener, deploys, rejects };
}

function client(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port }, () => resolve(socket));
    socket.once('error', reject);
  });
}

/** Ends the client side and waits until the server has seen the end (and so every line). */
function finish(socket: Socket): Promise<void> {
  return new Promise((resolve) => {
    socket.once('close', () => resolve());
    socket.end();
    socket.resume();
  });
}

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 5));
}

describe('listenForDeploys', () => {
  it('takes several lines in one write and a line split across writes', async () => {
    const { listener, deploys } = await startListener();
    const socket = await client(listener.port);
    socket.write(`events.deploy.website 1 ${NOW_S}\r\ndeploys.search.production 1 ${NOW_S + 60}\nevents.dep`);
    await new Promise((resolve) => setTimeout(resolve, 20));
    socket.write(`loy.api 1 ${NOW_S + 120}\n`);
    await finish(socket);
    await until(() => deploys.length === 3);
    expect(deploys).toEqual([
      { at: NOW, app: 'website' },
      { at: NOW + 60_000, app: 'search' },
      { at: NOW + 120_000, app: 'api' },
    ]);
    expect(listener.counters).toEqual({ accepted: 3, rejected: 0, ignored: 0 });
  });

  it('takes a last line without a newline when the client closes', async () => {
    const { listener, deploys } = await startListener();
    const socket = await client(listener.port);
    socket.write(`events.deploy.website 1 ${NOW_S}`);
    await finish(socket);
    await until(() => deploys.length === 1);
    expect(deploys).toEqual([{ at: NOW, app: 'website' }]);
  });

  it('counts malformed lines, ignores other metrics, and keeps accepting', async () => {
    const { listener, deploys, rejects } = await startListener();
    const first = await client(listener.port);
    first.write(['events.deploy.website 1', 'events.deploy.website x 1', `servers.web01.load 0.5 ${NOW_S}`, ''].join('\n'));
    await finish(first);
    const second = await client(listener.port);
    second.write(`events.deploy.website 1 ${NOW_S}\n`);
    await finish(second);
    await until(() => deploys.length === 1);
    expect(listener.counters).toEqual({ accepted: 1, rejected: 2, ignored: 1 });
    expect(rejects).toEqual([
      { reason: 'expected 3 fields "<path> <value> <unix-seconds>", got 2', line: 'events.deploy.website 1' },
      { reason: 'value "x" is not a number', line: 'events.deploy.website x 1' },
    ]);
  });

  it('rejects an overlong line, skips the rest of it, and reads the next line', async () => {
    const { listener, deploys, rejects } = await startListener({ maxLineChars: 100 });
    const socket = await client(listener.port);
    socket.write(`events.deploy.${'a'.repeat(150)}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
    socket.write(`${'b'.repeat(150)} 1 ${NOW_S}\nevents.deploy.website 1 ${NOW_S}\n`);
    await finish(socket);
    await until(() => deploys.length === 1);
    expect(rejects.map((r) => r.reason)).toEqual(['line longer than 100 characters']);
    expect(listener.counters).toEqual({ accepted: 1, rejected: 1, ignored: 0 });
  });

  it('uses configured patterns and refuses a bad pattern at start', async () => {
    await expect(listenForDeploys({ port: 0, patterns: ['events.deploy'], now: () => NOW, onDeploy: () => {}, onReject: () => {} })).rejects.toThrow(
      /deploy pattern "events.deploy"/,
    );
    const { listener, deploys } = await startListener({ patterns: ['deploys.{app}.production'] });
    const socket = await client(listener.port);
    socket.write(`deploys.web.staging 1 ${NOW_S}\ndeploys.web.production 1 ${NOW_S}\n`);
    await finish(socket);
    await until(() => deploys.length === 1);
    expect(deploys).toEqual([{ at: NOW, app: 'web' }]);
    expect(listener.counters.ignored).toBe(1);
  });

  it('names the address when the port is taken', async () => {
    const { listener } = await startListener();
    await expect(listenForDeploys({ port: listener.port, now: () => NOW, onDeploy: () => {}, onReject: () => {} })).rejects.toThrow(
      `cannot listen for deploys on 127.0.0.1:${listener.port}: EADDRINUSE`,
    );
  });
});

const runDeploy = (args: string[]): Promise<CommandResult> => runCommand(deployCommand(), args);

describe('logwatch deploy', () => {
  it('sends one plaintext line that the listener accepts', async () => {
    const { listener, deploys } = await startListener();
    const result = await runDeploy(['--app', 'search', '--at', '2026-11-23T14:00:00Z', '--to', `127.0.0.1:${listener.port}`]);
    expect(result).toEqual({ out: `sent events.deploy.search 1 ${NOW_S} to 127.0.0.1:${listener.port}\n`, err: '', exitCode: 0 });
    await until(() => deploys.length === 1);
    expect(deploys).toEqual([{ at: NOW, app: 'search' }]);
  });

  it('says that version and author do not travel in plaintext', async () => {
    const { listener } = await startListener();
    const result = await runDeploy(['--version', 'abc123', '--by', 'sam', '--at', '2026-11-23T14:00:00Z', '--to', `127.0.0.1:${listener.port}`]);
    expect(result.out).toBe(
      `sent events.deploy.website 1 ${NOW_S} to 127.0.0.1:${listener.port} (--version and --by not sent: Graphite plaintext carries app and time only)\n`,
    );
  });

  it.each([
    [['--to', 'localhost'], /--to "localhost" is not HOST:PORT/],
    [['--to', '127.0.0.1:70000'], /is not HOST:PORT/],
    [['--at', 'yesterday'], /--at "yesterday" is not an ISO-8601 time/],
    [['--app', 'web.site'], /--app "web.site" must be letters/],
  ])('exits 2 with one line for %j', async (args, message) => {
    const result = await runDeploy(args);
    expect(result.exitCode).toBe(2);
    expect(result.err).toMatch(message);
    expect(result.err.trimEnd().split('\n')).toHaveLength(1);
  });

  it('exits 1 naming host:port when nothing listens there', async () => {
    const port = await freePort();
    const result = await runDeploy(['--to', `127.0.0.1:${port}`]);
    expect(result.exitCode).toBe(1);
    expect(result.err).toBe(
      `logwatch deploy: cannot send to 127.0.0.1:${port} (connection refused); start logwatch with its deploy listener there, or pass --to HOST:PORT\n`,
    );
  });
});

/** A port that was free a moment ago: bind to 0, note the port, close. */
function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address !== null ? address.port : 0));
    });
  });
}
