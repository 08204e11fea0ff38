/**
 * `logwatch [watch] <paths|globs…>`: follow logs during a push. The TUI on a terminal, NDJSON
 * otherwise (or with --json). Stops on SIGINT/SIGTERM after a last `stats` event, exit 0.
 */
import { Command } from 'commander';
import { findMissingPlainPaths } from '../tail/discovery.js';
import { startWatch, type WatchOptions } from '../pipeline/watch.js';
import { defaultPresignWorkers } from '../pipeline/presign.js';
import { loadConfig, zoneFrom, type Config } from './config.js';
import { openRecording, recordEvents, type FixtureRecorder } from '../tail/recorder.js';
import { parseDuration } from './duration.js';
import { boundHeapGrowth } from './heap-growth.js';
import { UsageError } from './errors.js';
import { DEFAULT_THRESHOLDS } from '../detect/thresholds.js';
import { attachSinks, type SinkChoice } from './sinks.js';
import { tokenFrom } from './token.js';
import { holdPushLock } from './lock-file.js';
import { stopOnSignals } from './signals.js';

/** The feed's default address in `watch`: loopback only. */
const DEFAULT_LISTEN = '127.0.0.1:7077';

/** Flags of every command that follows logs (`watch`, `record`). */
export interface FollowFlags {
  hostPattern?: string;
  since?: string;
  fromStart?: boolean;
  json?: boolean;
  config?: string;
  deploysPort?: string;
  deploys?: string;
  poll?: boolean;
  statsEvery?: string;
  state?: string;
  catalog?: string;
  zone?: string;
  workers?: string;
}

interface WatchFlags extends FollowFlags {
  tui?: boolean;
  listen: string | false;
  token?: string;
  record?: string;
  force?: boolean;
  lockFile?: string;
}

export function watchCommand(): Command {
  return new Command('watch')
    .description('follow error logs and judge each push (the default command)')
    .argument('[paths...]', 'log files or globs, e.g. "logs/*/php_errors.log"; - for stdin')
    .option('--host-pattern <pattern>', 'host from the path: "logs/{host}/*.log" or a regex with a (?<host>…) group')
    .option('--since <duration>', 'backfill the last DURATION of every file (e.g. 30m) so a baseline exists at once')
    .option('--from-start', 'read files from their beginning')
    .option('--json', 'NDJSON events on stdout even on a terminal')
    .option('--tui', 'the terminal UI (the default on a terminal)')
    .option('--listen <host:port>', 'serve the feed, API and web page here', DEFAULT_LISTEN)
    .option('--no-listen', 'no feed, API or web page')
    .option('--token <token>', 'required for writes, and for reads beyond loopback (default $LOGWATCH_TOKEN)')
    .option('--lock-file <path>', 'while the verdict is stop, hold a push lock here (who|method|time); removed when it resolves')
    .option('--config <file>', 'configuration file (default ./logwatch.config.json)')
    .option('--deploys-port <port>', 'listen for Graphite plaintext deploy markers on 127.0.0.1:PORT')
    .option('--deploys <file>', 'follow a file of Graphite plaintext deploy lines')
    .option('--poll', 'poll files instead of watching events (network filesystems)')
    .option('--stats-every <duration>', 'period of stats events', '10s')
    .option('--state <dir>', 'keep read offsets in DIR, so a restart neither loses nor repeats a line')
    .option('--catalog <file>', 'known signatures kept across runs: those in FILE are not new, any other is new at once')
    .option('--zone <zone>', 'zone of log times written without one (nginx, Apache, syslog, ISO without offset): IANA name or offset; default UTC')
    .option('--workers <n>', `threads that parse and fingerprint lines beside the main one (default ${defaultPresignWorkers()} here: cores - 1, at most 4; 0: none)`)
    .option('--record <dir>', 'also record the session as a fixture directory (see `logwatch record`)')
    .option('--force', 'with --record: replace the fixture files in a non-empty directory')
    .action(async (paths: string[], flags: WatchFlags, command: Command) => {
      const config = loadConfig(flags.config);
      const options = watchOptions(paths, flags, config);
      const recorder = flags.record === undefined ? undefined : await openRecording(flags.record, flags.force === true, options);
      await runWatch(options, {
        choice: sinkChoice(flags, config, command.getOptionValueSource('listen') === 'default'),
        recorder,
        lockFile: flags.lockFile,
      });
    });
}

export function watchOptions(paths: string[], flags: FollowFlags, config: Config): WatchOptions {
  const patterns = paths.length > 0 ? paths : config.paths ?? [];
  if (patterns.length === 0) {
    throw new UsageError('watch: no paths given; name log files or globs, e.g. logwatch "logs/*/php_errors.log", or set "paths" in logwatch.config.json');
  }
  const missing = findMissingPlainPaths(patterns.filter((p) => p !== '-'));
  if (missing.length > 0) {
    throw new UsageError(`watch: ${missing[0]}: no such file or directory; check the path, or quote a glob so logwatch expands it`);
  }
  if (flags.since !== undefined && flags.fromStart === true) {
    throw new UsageError('watch: --since and --from-start exclude each other; choose one');
  }
  const since = flags.since ?? (flags.fromStart === true ? undefined : config.since);
  const start: WatchOptions['start'] = since !== undefined
    ? { sinceMs: parseDuration(since, '--since') }
    : flags.fromStart === true || config.fromStart === true ? 'beginning' : 'end';
  const options: WatchOptions = { patterns, start, warn: (line) => process.stderr.write(`logwatch: ${line}\n`) };
  const hostPattern = flags.hostPattern ?? config.hostPattern;
  if (hostPattern !== undefined) options.hostPattern = hostPattern;
  if (config.thresholds !== undefined) options.thresholds = config.thresholds;
  if (flags.poll === true) options.usePolling = true;
  if (flags.state !== undefined) options.stateDir = flags.state;
  const catalog = flags.catalog ?? config.catalog;
  if (catalog !== undefined) options.catalogFile = catalog;
  if (flags.statsEvery !== undefined) options.statsEveryMs = parseDuration(flags.statsEvery, '--stats-every');
  const deployPort = flags.deploysPort !== undefined ? parsePort(flags.deploysPort) : config.deploys?.port;
  if (deployPort !== undefined) {
    options.deployListener = { host: config.deploys?.host ?? '127.0.0.1', port: deployPort };
    if (config.deploys?.patterns !== undefined) options.deployListener.patterns = config.deploys.patterns;
  }
  const deploysFile = flags.deploys ?? config.deploys?.file;
  if (deploysFile !== undefined) options.deploysFile = deploysFile;
  const zone = zoneFrom(flags.zone, config);
  if (zone !== undefined) options.zone = zone;
  options.presignWorkers = flags.workers === undefined ? defaultPresignWorkers() : parseWorkers(flags.workers);
  return options;
}

function sinkChoice(flags: WatchFlags, config: Config, listenIsDefault: boolean): SinkChoice {
  const listen = listenIsDefault && config.listen !== undefined ? config.listen : flags.listen;
  return {
    ...(flags.json === undefined ? {} : { json: flags.json }),
    ...(flags.tui === undefined ? {} : { tui: flags.tui }),
    ...(listen === false ? {} : { listen, listenIsDefault: listenIsDefault && config.listen === undefined }),
    ...tokenFrom(flags.token),
    deployWindowMs: config.thresholds?.windowMs ?? DEFAULT_THRESHOLDS.windowMs,
    title: 'watch',
  };
}

function parseWorkers(text: string): number {
  const workers = Number(text);
  if (!Number.isInteger(workers) || workers < 0 || workers > 64) {
    throw new UsageError(`--workers: "${text}" is not a thread count; use a whole number from 0 to 64`);
  }
  return workers;
}

function parsePort(text: string): number {
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new UsageError(`--deploys-port: "${text}" is not a port; use a number from 0 to 65535`);
  }
  return port;
}

/** What a watch session does besides detecting: where it shows results, what it records, what it locks. */
interface WatchExtras {
  choice: SinkChoice;
  recorder: FixtureRecorder | undefined;
  lockFile: string | undefined;
}

async function runWatch(options: WatchOptions, { choice, recorder, lockFile }: WatchExtras): Promise<void> {
  boundHeapGrowth();
  // Warnings go to stderr until the sinks exist, then through them (above the TUI's frame).
  let say = options.warn;
  const session = await startWatch({ ...options, warn: (line) => say(line) });
  const recording = recorder === undefined ? undefined : recordEvents(session.handle.events, recorder);
  const sinks = await attachSinks(session.handle, choice);
  say = sinks.say;
  const lock = lockFile === undefined ? undefined : holdPushLock(session.handle.events, lockFile, sinks.say);
  sinks.say(`watching ${session.files} file(s)`);
  if (session.deployPort !== undefined) {
    sinks.say(`listening for deploy markers on ${options.deployListener?.host}:${session.deployPort}`);
  }
  const release = stopOnSignals(() => session.handle.stop());
  await (sinks.ui ?? session.done);
  await session.handle.stop();
  await session.done; // with --state: the last offsets are saved
  release();
  lock?.unsubscribe();
  await sinks.close();
  recording?.unsubscribe();
  await recorder?.close(Date.now(), session.observedFrom);
}
