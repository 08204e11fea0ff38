/**
 * `logwatch record <paths…> --out DIR`: follow logs like `watch` and write what is read, per host,
 * plus every deploy marker received, as a fixture that `logwatch replay DIR` plays back with the
 * same verdicts. `watch --record DIR` does the same alongside its usual output.
 */
import { Command } from 'commander';
import { startWatch } from '../pipeline/watch.js';
import { openRecording, recordEvents } from '../tail/recorder.js';
import { loadConfig } from './config.js';
import { parseDuration } from './duration.js';
import { boundHeapGrowth } from './heap-growth.js';
import { writeNdjson } from './ndjson.js';
import { stopOnSignals } from './signals.js';
import { watchOptions, type FollowFlags } from './watch.js';

interface RecordFlags extends FollowFlags {
  out: string;
  force?: boolean;
  duration?: string;
}

export function recordCommand(): Command {
  return new Command('record')
    .description('record a live session as a fixture directory that `logwatch replay` plays back')
    .argument('<paths...>', 'log files or globs, e.g. "logs/*/php_errors.log"')
    .requiredOption('--out <dir>', 'fixture directory to write (must be empty unless --force)')
    .option('--force', 'replace the fixture files in a non-empty --out directory')
    .option('--duration <duration>', 'stop recording after DURATION (e.g. 30m); default: until SIGINT/SIGTERM')
    .option('--host-pattern <pattern>', 'host from the path: "logs/{host}/*.log" or a regex with a (?<host>…) group')
    .option('--since <duration>', 'also record the last DURATION of every file (e.g. 30m) so the replay has a baseline')
    .option('--from-start', 'read and record files from their beginning')
    .option('--json', 'NDJSON events on stdout while recording')
    .option('--config <file>', 'configuration file (default ./logwatch.config.json)')
    .option('--deploys-port <port>', 'listen for Graphite plaintext deploy markers on 127.0.0.1:PORT')
    .option('--deploys <file>', 'follow a file of Graphite plaintext deploy lines')
    .option('--poll', 'poll files instead of watching events (network filesystems)')
    .option('--stats-every <duration>', 'period of stats events', '10s')
    .option('--catalog <file>', 'known signatures kept across runs (as for watch)')
    .option('--zone <zone>', 'zone of log times written without one (as for watch); the replay reads the recording in it')
    .option('--workers <n>', 'threads that parse and fingerprint lines beside the main one (as for watch)')
    .action(async (paths: string[], flags: RecordFlags) => {
      const durationMs = flags.duration === undefined ? undefined : parseDuration(flags.duration, '--duration');
      const options = watchOptions(paths, flags, loadConfig(flags.config));
      const recorder = await openRecording(flags.out, flags.force === true, options);
      boundHeapGrowth();
      const session = await startWatch(options);
      const recording = recordEvents(session.handle.events, recorder);
      const output = flags.json === true ? writeNdjson(session.handle.events) : undefined;
      process.stderr.write(`logwatch: recording ${session.files} file(s) into ${flags.out}\n`);
      const release = stopOnSignals(() => session.handle.stop());
      const timer = durationMs === undefined ? undefined : setTimeout(() => void session.handle.stop(), durationMs);
      await session.done;
      clearTimeout(timer);
      release();
      output?.unsubscribe();
      recording.unsubscribe();
      const written = await recorder.close(Date.now(), session.observedFrom);
      process.stderr.write(`logwatch: recorded ${written.lines} line(s) from ${written.files} file(s) into ${flags.out}\n`);
    });
}
