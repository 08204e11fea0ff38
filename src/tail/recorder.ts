/**
 * Records a live session as a fixture (DESIGN "Fixture directory"): every line as it was read,
 * under logs/<host>/<basename of its source file>, every deploy marker the run received (in
 * deploys.log as Graphite plaintext and in deploys.ndjson with version and author), and, when
 * closed, a scenario.json and README.md naming when and where the recording was made.
 *
 * Lines are appended through one write stream per file, in the order the batches arrive, so the
 * recording is the live input in reading order; replay re-sorts by event time as it always does.
 */
import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { basename, join } from 'node:path';
import type { Observable, Subscription } from 'rxjs';
import type { Verdict, VerdictLevel } from '../detect/model.js';
import type { DeployEvent, LogwatchEvent, VerdictEvent } from '../pipeline/events.js';
import { visibleText } from '../pipeline/visible-text.js';
import type { LineBatch } from './types.js';

export class RecordingRefusedError extends Error {
  // A usage error for the CLI: the user chose the directory.
  override readonly name = 'UsageError';
}

export interface RecorderOptions {
  /** Replace the fixture files of a non-empty directory instead of refusing it. */
  force?: boolean;
  /** Host folder for batches that name no host (no --host-pattern). */
  localHost: string;
  /** Wall-clock ms when recording began (scenario.json's "when"). */
  startedAt: number;
  /** The paths or globs followed (scenario.json's "where"). */
  sources: string[];
  /** Zone the session read times without one in (`--zone`), kept for the replay. */
  zone?: string;
}

/** A Graphite path segment: an app name outside this set is kept in deploys.ndjson only. */
const GRAPHITE_SEGMENT = /^[A-Za-z0-9_-]+$/;
/** Verdict levels worth writing down as expectations of the recording. */
const ACTION_LEVELS: readonly VerdictLevel[] = ['roll-forward', 'revert', 'stop'];
const FIXTURE_ENTRIES = new Set(['logs', 'deploys.log', 'deploys.ndjson', 'scenario.json', 'README.md']);

export class FixtureRecorder {
  private readonly streams = new Map<string, WriteStream>();
  /** Source path → relative fixture path, so two sources with one basename on a host stay apart. */
  private readonly targets = new Map<string, string>();
  private readonly deploysLog: WriteStream;
  private readonly deploysNdjson: WriteStream;
  private readonly verdicts: Verdict[] = [];
  private lines = 0;
  private closed = false;

  private constructor(readonly dir: string, private readonly options: RecorderOptions) {
    this.deploysLog = createWriteStream(join(dir, 'deploys.log'), { flags: 'a' });
    this.deploysNdjson = createWriteStream(join(dir, 'deploys.ndjson'), { flags: 'a' });
  }

  /** Prepares `dir`; refuses one that exists and is not empty unless `force`. */
  static async open(dir: string, options: RecorderOptions): Promise<FixtureRecorder> {
    const existing = await readdir(dir).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return [] as string[];
      throw new RecordingRefusedError(`${dir}: cannot be read as a recording directory (${error.code ?? error.message}); choose another directory`);
    });
    if (existing.length > 0 && options.force !== true) {
      throw new RecordingRefusedError(`${dir} is not empty; choose an empty directory or pass --force to replace the fixture in it`);
    }
    for (const entry of existing) if (FIXTURE_ENTRIES.has(entry)) await rm(join(dir, entry), { recursive: true, force: true });
    await mkdir(join(dir, 'logs'), { recursive: true });
    return new FixtureRecorder(dir, options);
  }

  /** Writes a batch's lines as read, one per line (called on the hot path: no awaiting). */
  writeBatch(batch: LineBatch): void {
    if (this.closed || batch.lines.length === 0) return;
    const target = this.targetOf(batch);
    let stream = this.streams.get(target);
    if (stream === undefined) {
      stream = createWriteStream(join(this.dir, target), { flags: 'a' });
      this.streams.set(target, stream);
    }
    stream.write(`${batch.lines.join('\n')}\n`);
    this.lines += batch.lines.length;
  }

  /** Writes a deploy marker the run received, in both deploy files. */
  writeDeploy(deploy: DeployEvent): void {
    if (this.closed) return;
    const seconds = Math.floor(Date.parse(deploy.at) / 1000);
    if (GRAPHITE_SEGMENT.test(deploy.app)) this.deploysLog.write(`events.deploy.${deploy.app} 1 ${seconds}\n`);
    const { at, app, version, by } = deploy;
    this.deploysNdjson.write(`${JSON.stringify({ at, app, ...(version === undefined ? {} : { version }), ...(by === undefined ? {} : { by }) })}\n`);
  }

  /** Remembers a verdict the live session gave, for scenario.json and the README. */
  noteVerdict(verdict: VerdictEvent): void {
    this.verdicts.push({ ...verdict, at: Date.parse(verdict.at) });
  }

  /** Flushes every file and writes scenario.json and README.md; `endedAt` is wall-clock ms. */
  /** `observedFrom`: when the live session began observing, so the replay warms up from the same moment. */
  async close(endedAt: number, observedFrom?: number): Promise<{ lines: number; files: number }> {
    if (this.closed) return { lines: this.lines, files: this.streams.size };
    this.closed = true;
    await Promise.all([...this.streams.values(), this.deploysLog, this.deploysNdjson].map(endStream));
    const scenario = recordedScenario(this.options, endedAt, this.verdicts, observedFrom);
    await writeFile(join(this.dir, 'scenario.json'), `${JSON.stringify(scenario, null, 2)}\n`);
    await writeFile(join(this.dir, 'README.md'), recordedReadme(scenario, this.verdicts));
    return { lines: this.lines, files: this.streams.size };
  }

  private targetOf(batch: LineBatch): string {
    const known = this.targets.get(batch.source);
    if (known !== undefined) return known;
    const host = safeName(batch.host ?? this.options.localHost);
    const base = safeName(basename(batch.source) === '-' ? 'stdin.log' : basename(batch.source));
    const taken = new Set(this.targets.values());
    let target = join('logs', host, base);
    for (let n = 2; taken.has(target); n++) target = join('logs', host, `${base}.${n}`);
    this.targets.set(batch.source, target);
    // Synchronous, once per source: the folder must exist before the stream opens.
    mkdirSync(join(this.dir, 'logs', host), { recursive: true });
    return target;
  }
}

/** A host or file name as one path segment: no separators, no `..`, nothing invisible. */
function safeName(name: string): string {
  const cleaned = name.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+/, '_');
  return cleaned === '' ? '_' : cleaned;
}

function endStream(stream: WriteStream): Promise<void> {
  return new Promise((resolve, reject) => {
    stream.once('error', reject);
    stream.end(() => resolve());
  });
}

/**
 * Opens the fixture directory and taps every batch a session reads into it, through the
 * session options' `onBatch` (call before the session starts).
 */
export async function openRecording(
  dir: string,
  force: boolean,
  options: { patterns: string[]; zone?: string; onBatch?: (batch: LineBatch) => void },
): Promise<FixtureRecorder> {
  const recorder = await FixtureRecorder.open(dir, {
    force, localHost: os.hostname(), startedAt: Date.now(), sources: options.patterns,
    ...(options.zone === undefined ? {} : { zone: options.zone }),
  });
  const earlier = options.onBatch;
  options.onBatch = (batch) => {
    earlier?.(batch);
    recorder.writeBatch(batch);
  };
  return recorder;
}

/** Writes the session's deploys and remembers its verdicts (for scenario.json and the README). */
export function recordEvents(events: Observable<LogwatchEvent>, recorder: FixtureRecorder): Subscription {
  return events.subscribe((event) => {
    if (event.type === 'deploy') recorder.writeDeploy(event);
    else if (event.type === 'verdict') recorder.noteVerdict(event);
  });
}

interface RecordedScenario {
  name: string;
  description: string;
  observedFrom?: string;
  zone?: string;
  expect: Array<Record<string, unknown>>;
}

const iso = (ms: number): string => new Date(ms).toISOString();

function recordedScenario(options: RecorderOptions, endedAt: number, verdicts: Verdict[], observedFrom: number | undefined): RecordedScenario {
  const where = `${options.localHost}: ${options.sources.join(', ')}`;
  return {
    name: `recorded-${options.localHost}-${iso(options.startedAt).replace(/[:.]/g, '-')}`,
    description: `Recorded by logwatch on ${where} from ${iso(options.startedAt)} to ${iso(endedAt)}.`,
    ...(observedFrom === undefined ? {} : { observedFrom: iso(observedFrom) }),
    ...(options.zone === undefined ? {} : { zone: options.zone }),
    // What the live session said, so replaying the recording checks itself.
    expect: verdicts.filter((v) => ACTION_LEVELS.includes(v.level)).map((v) => ({
      verdict: v.level,
      attribution: v.attribution,
      ...(v.deploy === null ? {} : { deploy: v.deploy }),
      between: [iso(v.at), iso(v.at)],
      why: `seen live: ${v.reason}`,
    })),
  };
}

function recordedReadme(scenario: RecordedScenario, verdicts: Verdict[]): string {
  const timeline = verdicts.length === 0
    ? 'The live session gave no verdict.'
    : verdicts.map((v) => `- ${iso(v.at)} **${v.level}**${v.deploy === null ? '' : ` (deploy #${v.deploy})`}: ${visibleText(v.reason)}`).join('\n');
  return [
    `# ${scenario.name}`,
    '',
    scenario.description,
    '',
    'Describe here what happened and what a reviewer should see.',
    '',
    '## Verdicts seen live',
    '',
    timeline,
    '',
    'Replay it with `logwatch replay <this directory>`; `--report review.html` writes the incident review.',
    '',
  ].join('\n');
}
