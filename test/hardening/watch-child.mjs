// A watch session with --state in a child process, for restart tests: prints every line handed to
// the engine on stdout as it is handed on (synchronously, so a SIGKILL loses none that were), warnings on
// stderr, and stops cleanly on SIGTERM/SIGINT. Runs the built code (dist/).
import { writeSync } from 'node:fs';
import { startWatch } from '../../dist/pipeline/watch.js';

const [stateDir, start, ...patterns] = process.argv.slice(2);
const session = await startWatch({
  patterns,
  start,
  stateDir,
  statsEveryMs: 3_600_000,
  warn: (line) => writeSync(2, `warn: ${line}\n`),
  onBatch: (batch) => writeSync(1, batch.lines.map((line) => `${line}\n`).join('')),
});
writeSync(2, 'ready\n');
let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  await session.handle.stop();
  await session.done;
  writeSync(2, 'stopped\n');
  process.exit(0);
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
