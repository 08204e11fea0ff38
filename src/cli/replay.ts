/**
 * `logwatch replay <fixture-dir>`: the same pipeline over a recorded incident, merged by event
 * time with a virtual clock. NDJSON by default; the verdict timeline is the same at any --speed.
 */
import { Command } from 'commander';
import { Engine } from '../pipeline/engine.js';
import { cutAt, loadReplay, pacedInputs, replayTimeline, type LoadedReplay } from '../pipeline/replay.js';
import { PipelineRun } from '../pipeline/run.js';
import { checkedZone, loadConfig, type Config } from './config.js';
import { UsageError } from './errors.js';
import { DEFAULT_THRESHOLDS } from '../detect/thresholds.js';
import { attachSinks, wantsTui, type AttachedSinks, type SinkChoice } from './sinks.js';
import { tokenFrom } from './token.js';
import { stopOnSignals } from './signals.js';
import { ReportCollector, reportFormatOf, writeReport } from '../report/write.js';
import type { Scenario } from '../tail/fixture.js';

/** Default speeds: as fast as possible for NDJSON; on the TUI, fast enough to watch an hour in minutes. */
const DEFAULT_SPEED_NDJSON = 'max';
const DEFAULT_SPEED_TUI = '20';
/** `--listen` without an address. */
const DEFAULT_LISTEN = '127.0.0.1:7077';

/** Replays write a stats event per minute of event time: enough to follow, few enough to read. */
const REPLAY_STATS_EVERY_MS = 60_000;

interface ReplayFlags {
  speed?: string;
  json?: boolean;
  tui?: boolean;
  listen?: string | true;
  token?: string;
  config?: string;
  from?: string;
  to?: string;
  report?: string;
  zone?: string;
}

export function replayCommand(): Command {
  return new Command('replay')
    .description('replay a recorded incident (a fixture directory) through the pipeline')
    .argument('<fixture-dir>', 'a directory with logs/<host>/<file> and deploys.log or deploys.ndjson')
    .option('--speed <N|max>', 'event time per wall time: 1 is real time, max is as fast as possible (default: max, 20 on the TUI)')
    .option('--json', 'NDJSON events on stdout (the default when not on a terminal)')
    .option('--tui', 'the terminal UI (the default on a terminal)')
    .option('--listen [host:port]', `serve the feed, API and web page (default ${DEFAULT_LISTEN}); keeps serving after the replay ends`)
    .option('--token <token>', 'required for writes, and for reads beyond loopback (default $LOGWATCH_TOKEN)')
    .option('--config <file>', 'configuration file with thresholds (default ./logwatch.config.json)')
    .option('--from <time>', 'review from this time (ISO-8601, or HH:MM[:SS] on the first day): earlier data only builds the baseline')
    .option('--to <time>', 'stop reading after this time')
    .option('--zone <zone>', "zone of log times written without one (default: the recording's, else UTC)")
    .option('--report <file>', 'write the incident review when the replay ends: .html, .md (chart as .svg beside it) or .json')
    .action(async (dir: string, flags: ReplayFlags) => {
      if (flags.report !== undefined) reportFormatOf(flags.report); // a bad extension fails before any work
      const choice = sinkChoice(flags);
      const speed = parseSpeed(flags.speed ?? (wantsTui(choice) ? DEFAULT_SPEED_TUI : DEFAULT_SPEED_NDJSON));
      const config = loadConfig(flags.config);
      choice.deployWindowMs = config.thresholds?.windowMs ?? DEFAULT_THRESHOLDS.windowMs;
      // Not the config's zone: a fixture says its own (a recording keeps the zone it was read in).
      const replay = await loadReplay(dir, checkedZone(flags.zone));
      const session = replaySession(replay, flags, config);
      const collector = flags.report === undefined ? undefined : new ReportCollector(session.run.events, () => session.run.snapshot());
      const sinks = await attachSinks(session.run, { ...choice, title: `replay ${replay.fixture.name}` });
      const release = stopOnSignals(() => session.run.stop());
      await untilDone(sinks, session.start(speed));
      await session.run.stop();
      release();
      await sinks.close();
      if (collector !== undefined && flags.report !== undefined) await writeReview(flags.report, collector, replay);
    });
}

interface ReplaySession {
  run: PipelineRun;
  /** Hands the slice over at `speed`; resolves when it has all been handed over. */
  start(speed: number): Promise<void>;
}

/** The run of a replay: its engine, its virtual clock and the slice `--from`/`--to` choose. */
function replaySession(replay: LoadedReplay, flags: ReplayFlags, config: Config): ReplaySession {
  let virtualNow = replay.firstAt ?? replay.fixture.deploys[0]?.at ?? 0;
  const from = flags.from === undefined ? undefined : parseSliceTime(flags.from, virtualNow, '--from');
  const to = flags.to === undefined ? Infinity : parseSliceTime(flags.to, virtualNow, '--to');
  if (from !== undefined && from >= to) throw new UsageError('--from must be before --to');
  const { observedFrom } = replay.fixture.scenario;
  const engine = new Engine({
    statsEveryMs: REPLAY_STATS_EVERY_MS,
    sourceCounters: () => replay.counters,
    ...(observedFrom === undefined ? {} : { observeFrom: Date.parse(observedFrom) }),
    ...(config.thresholds === undefined ? {} : { thresholds: config.thresholds }),
  });
  const run = new PipelineRun(engine, { mode: 'replay', now: () => virtualNow, ...(from === undefined ? {} : { quietBefore: from }) });
  const slice = cutAt(replay, to);
  return {
    run,
    start: (speed) => run.run(pacedInputs(replayTimeline(slice.records, slice.deploys), speed, (at) => { virtualNow = at; }, from)),
  };
}

/** The TUI stays on the final state until the user quits; a feed keeps serving it until interrupted. */
async function untilDone(sinks: AttachedSinks, replayed: Promise<void>): Promise<void> {
  if (sinks.ui !== undefined) await sinks.ui;
  else if (sinks.feed !== undefined) await replayed.then(() => untilInterrupted(sinks.say, sinks.feed!.url));
  else await replayed;
}

async function writeReview(file: string, collector: ReportCollector, replay: LoadedReplay): Promise<void> {
  const { name, description, scenario } = replay.fixture;
  const incidentStart = earliestIncidentStart(scenario);
  await writeReport(file, collector.finish({ name, description, ...(incidentStart === undefined ? {} : { incidentStart }) }));
}

/** Where the scenario says the incident began, if it says so: the onset for time to detection. */
function earliestIncidentStart(scenario: Scenario): number | undefined {
  const starts = scenario.expect.flatMap((e) => ('incidentStart' in e && e.incidentStart !== undefined ? [Date.parse(e.incidentStart)] : []));
  return starts.length === 0 ? undefined : Math.min(...starts);
}

function sinkChoice(flags: ReplayFlags): SinkChoice {
  return {
    ...(flags.json === undefined ? {} : { json: flags.json }),
    ...(flags.tui === undefined ? {} : { tui: flags.tui }),
    ...(flags.listen === undefined ? {} : { listen: flags.listen === true ? DEFAULT_LISTEN : flags.listen }),
    ...tokenFrom(flags.token),
  };
}

function untilInterrupted(say: (line: string) => void, url: string): Promise<void> {
  say(`replay finished; still serving its final state at ${url} (Ctrl+C to stop)`);
  return new Promise((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
}

export function parseSpeed(text: string): number {
  if (text === 'max') return Infinity;
  const speed = Number(text);
  if (!Number.isFinite(speed) || speed <= 0) {
    throw new UsageError(`--speed: "${text}" is not a speed; use a positive number (1 = real time) or max`);
  }
  return speed;
}

/** `2026-11-23T14:05:00Z`, or `14:05` / `14:05:30` (UTC) on the day of `firstAt`. */
export function parseSliceTime(text: string, firstAt: number, what: string): number {
  const clock = /^(\d{1,2}):(\d{2})(?::(\d{2}))?$/.exec(text);
  if (clock !== null) {
    const day = new Date(firstAt).toISOString().slice(0, 10);
    const [, h, m, sec] = clock;
    return Date.parse(`${day}T${h!.padStart(2, '0')}:${m}:${sec ?? '00'}Z`);
  }
  const at = Date.parse(text);
  if (Number.isNaN(at)) throw new UsageError(`${what}: "${text}" is not a time; use ISO-8601 (2026-11-23T14:05:00Z) or HH:MM[:SS] in UTC`);
  return at;
}
