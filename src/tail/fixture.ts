/**
 * Reads a fixture directory (DESIGN "Fixture directory"): scenario.json, deploys.log and/or
 * deploys.ndjson, and every regular file under logs/<host>/ (recursively; <host> is the first
 * folder under logs/). Reading the log lines themselves is the replay source's job: this returns
 * their paths.
 *
 * Deploys from both files are merged: a deploys.log line and a deploys.ndjson line for the same
 * app in the same second are one deploy, and the ndjson one wins (it carries version and author);
 * deploys found in only one file are kept. The result is sorted by time.
 */
import { readFile, readdir, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { compressionOfFile } from './compressed.js';
import { parseDeploysLog, parseDeploysNdjson, type DeployListParse, type DeployMarker } from '../pipeline/deploy-marker.js';
import { parseScenario, type Scenario } from '../sim/expectations.js';

export type { Scenario } from '../sim/expectations.js';

export interface FixtureFile {
  host: string;
  path: string;
}

export interface Fixture {
  dir: string;
  name: string;
  description: string;
  scenario: Scenario;
  /** Sorted by time. */
  deploys: DeployMarker[];
  /** Sorted by host, then path. */
  files: FixtureFile[];
}

/** A fixture that cannot be used; the message is one line naming the path and what to do. */
export class FixtureError extends Error {
  override readonly name = 'FixtureError';
}

async function readText(path: string, what: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    throw new FixtureError(`${path}: cannot read ${what} (${code ?? (error as Error).message}); check its permissions`);
  }
}

async function readScenario(dir: string): Promise<Scenario> {
  const path = join(dir, 'scenario.json');
  const text = await readText(path, 'the scenario');
  if (text === undefined) throw new FixtureError(`${path}: missing; a fixture needs {"name","description","expect":[…]}`);
  const parsed = parseScenario(text);
  if ('error' in parsed) throw new FixtureError(`${path}: ${parsed.error}; fix it (format in fixtures/README.md)`);
  return parsed.scenario;
}

async function readDeployFile(path: string, parse: (text: string) => DeployListParse): Promise<DeployMarker[]> {
  const text = await readText(path, 'the deploys');
  if (text === undefined) return [];
  const parsed = parse(text);
  if ('error' in parsed) throw new FixtureError(`${path}: ${parsed.error}; fix or remove that line`);
  return parsed.markers;
}

const sameDeploy = (a: DeployMarker, b: DeployMarker): boolean =>
  a.app === b.app && Math.floor(a.at / 1000) === Math.floor(b.at / 1000);

export function mergeDeploys(fromLog: DeployMarker[], fromNdjson: DeployMarker[]): DeployMarker[] {
  const onlyInLog = fromLog.filter((plain) => !fromNdjson.some((rich) => sameDeploy(plain, rich)));
  return [...fromNdjson, ...onlyInLog].sort((a, b) => a.at - b.at);
}

async function listFiles(dir: string): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (error) {
    throw new FixtureError(`${dir}: cannot list (${(error as NodeJS.ErrnoException).code}); check its permissions`);
  }
  const files: string[] = [];
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) files.push(...(await listFiles(path)));
    else if (entry.isFile()) files.push(path);
  }
  return files;
}

async function readLogFiles(dir: string): Promise<FixtureFile[]> {
  const logs = join(dir, 'logs');
  const info = await stat(logs).catch(() => undefined);
  if (info === undefined || !info.isDirectory()) {
    throw new FixtureError(`${logs}: missing; put each host's log files in logs/<host>/`);
  }
  const files: FixtureFile[] = [];
  for (const path of await listFiles(logs)) {
    const [host, ...rest] = relative(logs, path).split(sep);
    if (rest.length === 0) throw new FixtureError(`${path}: a log file directly under logs/; move it into logs/<host>/`);
    const compression = await compressionOfFile(path);
    if (typeof compression === 'string') throw new FixtureError(`${path}: ${compression}-compressed; a fixture holds log text: decompress it in place`);
    files.push({ host: host as string, path });
  }
  if (files.length === 0) throw new FixtureError(`${logs}: no log files; put each host's log files in logs/<host>/`);
  return files.sort((a, b) => a.host.localeCompare(b.host) || a.path.localeCompare(b.path));
}

export async function readFixture(dir: string): Promise<Fixture> {
  const info = await stat(dir).catch(() => undefined);
  if (info === undefined || !info.isDirectory()) throw new FixtureError(`${dir}: no such fixture directory; check the path`);
  const scenario = await readScenario(dir);
  const fromLog = await readDeployFile(join(dir, 'deploys.log'), parseDeploysLog);
  const fromNdjson = await readDeployFile(join(dir, 'deploys.ndjson'), parseDeploysNdjson);
  const files = await readLogFiles(dir);
  return {
    dir,
    name: scenario.name,
    description: scenario.description,
    scenario,
    deploys: mergeDeploys(fromLog, fromNdjson),
    files,
  };
}
