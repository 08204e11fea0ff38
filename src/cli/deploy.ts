/**
 * `logwatch deploy`: announce a deploy to a running logwatch (its deploy listener) or to Graphite.
 *
 * `--to HOST:PORT` sends one Graphite plaintext line, `events.deploy.<app> 1 <unix-seconds>`.
 * That format carries the app and the time only: `--version` and `--by` cannot travel in it and
 * are reported as not sent. `--url http://HOST:PORT` posts our JSON to a running logwatch's feed
 * (`POST /api/deploys`), which carries all of them; it needs the token when one is set.
 */
import { connect } from 'node:net';
import { Command } from 'commander';
import { DEFAULT_DEPLOY_PORT } from '../tail/deploy-listener.js';
import { tokenFrom } from './token.js';

/** Long enough for a slow network, short enough that a push script does not hang on a dead host. */
const CONNECT_TIMEOUT_MS = 5000;
const APP_NAME = /^[A-Za-z0-9_-]{1,100}$/;

interface DeployOptions {
  app: string;
  version?: string;
  by?: string;
  to: string;
  at?: string;
  url?: string;
  token?: string;
}

interface Target {
  host: string;
  port: number;
}

class DeployUsageError extends Error {}

function parseTarget(text: string): Target {
  const match = /^(?:\[([^\]]+)\]|([^:]+)):(\d{1,5})$/.exec(text);
  const port = Number(match?.[3]);
  if (match === null || port < 1 || port > 65535) {
    throw new DeployUsageError(`--to "${text}" is not HOST:PORT (e.g. 127.0.0.1:${DEFAULT_DEPLOY_PORT})`);
  }
  return { host: (match[1] ?? match[2]) as string, port };
}

function parseAt(text: string | undefined): number {
  if (text === undefined) return Date.now();
  const at = /^\d{4}-\d{2}-\d{2}T/.test(text) ? Date.parse(text) : Number.NaN;
  if (Number.isNaN(at)) throw new DeployUsageError(`--at "${text}" is not an ISO-8601 time (e.g. 2026-11-23T14:03:00Z)`);
  return at;
}

export function plaintextDeployLine(app: string, at: number): string {
  return `events.deploy.${app} 1 ${Math.floor(at / 1000)}\n`;
}

/** Sends one line and waits until the peer has it; rejects with a one-line reason. */
function sendPlaintext(target: Target, line: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: target.host, port: target.port });
    socket.setTimeout(CONNECT_TIMEOUT_MS, () => socket.destroy(new Error(`no answer within ${CONNECT_TIMEOUT_MS / 1000} s`)));
    socket.once('connect', () => socket.end(line));
    socket.once('error', (error: NodeJS.ErrnoException) => reject(new Error(error.code === 'ECONNREFUSED' ? 'connection refused' : error.code ?? error.message)));
    socket.once('close', (hadError) => {
      if (!hadError) resolve();
    });
  });
}

/** POSTs the deploy as JSON; rejects with a one-line reason (the server's own message on 4xx). */
async function postDeploy(url: URL, body: object, token: string | undefined): Promise<string> {
  let response: Response;
  try {
    response = await fetch(new URL('/api/deploys', url), {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token === undefined ? {} : { authorization: `Bearer ${token}` }) },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(CONNECT_TIMEOUT_MS),
    });
  } catch (error) {
    const cause = (error as { cause?: NodeJS.ErrnoException }).cause;
    throw new Error(cause?.code === 'ECONNREFUSED' ? 'connection refused' : cause?.code ?? (error as Error).message);
  }
  const text = await response.text();
  if (!response.ok) {
    const reason = (JSON.parse(text) as { error?: string }).error ?? text;
    throw new Error(`HTTP ${response.status}: ${reason}`);
  }
  return text;
}

async function runHttpDeploy(command: Command, options: DeployOptions, url: URL, at: number): Promise<void> {
  const body = {
    app: options.app, at: new Date(at).toISOString(),
    ...(options.version === undefined ? {} : { version: options.version }),
    ...(options.by === undefined ? {} : { by: options.by }),
  };
  try {
    const answer = await postDeploy(url, body, tokenFrom(options.token).token);
    command.configureOutput().writeOut?.(`sent deploy to ${url.origin}: ${answer.trim()}\n`);
  } catch (error) {
    command.error(
      `logwatch deploy: cannot post to ${url.origin} (${(error as Error).message}); check --url and --token`,
      { exitCode: 1, code: 'logwatch.connect' },
    );
  }
}

function parseUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new DeployUsageError(`--url "${text}" is not a URL (e.g. http://127.0.0.1:7077)`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new DeployUsageError(`--url "${text}" must be http or https`);
  return url;
}

async function runDeploy(command: Command, options: DeployOptions): Promise<void> {
  if (options.url !== undefined) {
    let url: URL;
    let at: number;
    try {
      if (command.getOptionValueSource('to') !== 'default') throw new DeployUsageError('--url and --to exclude each other; choose one');
      url = parseUrl(options.url);
      at = parseAt(options.at);
    } catch (error) {
      if (error instanceof DeployUsageError) command.error(`logwatch deploy: ${error.message}`, { exitCode: 2, code: 'logwatch.usage' });
      throw error;
    }
    return runHttpDeploy(command, options, url, at);
  }
  let target: Target;
  let at: number;
  try {
    if (!APP_NAME.test(options.app)) throw new DeployUsageError(`--app "${options.app}" must be letters, digits, - or _ (it becomes a Graphite path segment)`);
    target = parseTarget(options.to);
    at = parseAt(options.at);
  } catch (error) {
    if (error instanceof DeployUsageError) command.error(`logwatch deploy: ${error.message}`, { exitCode: 2, code: 'logwatch.usage' });
    throw error;
  }
  const line = plaintextDeployLine(options.app, at);
  try {
    await sendPlaintext(target, line);
  } catch (error) {
    const reason = (error as Error).message;
    command.error(
      `logwatch deploy: cannot send to ${target.host}:${target.port} (${reason}); start logwatch with its deploy listener there, or pass --to HOST:PORT`,
      { exitCode: 1, code: 'logwatch.connect' },
    );
  }
  const output = command.configureOutput();
  const unsent = [options.version && '--version', options.by && '--by'].filter(Boolean);
  const note = unsent.length > 0 ? ` (${unsent.join(' and ')} not sent: Graphite plaintext carries app and time only)` : '';
  output.writeOut?.(`sent ${line.trimEnd()} to ${target.host}:${target.port}${note}\n`);
}

export function deployCommand(): Command {
  const command = new Command('deploy')
    .description('send a deploy marker (Graphite plaintext: app and time) to a running logwatch or to Graphite')
    .option('--app <name>', 'the app that was deployed', 'website')
    .option('--version <sha>', 'version deployed (sent with --url; Graphite plaintext cannot carry it)')
    .option('--by <name>', 'who deployed (sent with --url; Graphite plaintext cannot carry it)')
    .option('--to <host:port>', "a deploy listener or Graphite's plaintext port", `127.0.0.1:${DEFAULT_DEPLOY_PORT}`)
    .option('--at <iso>', 'deploy time, ISO-8601 (default: now)')
    .option('--url <url>', "post to a running logwatch's feed instead (carries --version and --by), e.g. http://127.0.0.1:7077")
    .option('--token <token>', 'the feed token for --url (default $LOGWATCH_TOKEN)');
  command.action(async (options: DeployOptions) => runDeploy(command, options));
  return command;
}
