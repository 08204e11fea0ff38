/**
 * `logwatch simulate <scenario> --out DIR [--seed N] [--force]`: write a fixture from a seeded
 * scenario (src/sim/scenarios.ts); `logwatch simulate --list` names the scenarios.
 */
import { Command } from 'commander';
import { generateFixture } from '../sim/generate.js';
import { SCENARIOS } from '../sim/scenarios.js';
import { OutputNotEmptyError, writeFixture } from '../sim/write.js';

interface SimulateOptions {
  out?: string;
  seed?: string;
  force?: boolean;
  list?: boolean;
}

function parseSeed(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d{1,10}$/.test(text) || Number(text) > 0xffffffff) return Number.NaN;
  return Number(text);
}

async function runSimulate(command: Command, name: string | undefined, options: SimulateOptions): Promise<void> {
  const out = command.configureOutput();
  const usage: (message: string) => never = (message) => command.error(`logwatch simulate: ${message}`, { exitCode: 2, code: 'logwatch.usage' });
  if (options.list === true) {
    for (const spec of SCENARIOS.values()) out.writeOut?.(`${spec.name.padEnd(28)} ${spec.description}\n`);
    return;
  }
  const spec = name === undefined ? undefined : SCENARIOS.get(name);
  if (spec === undefined) usage(`${name === undefined ? 'name a scenario' : `no scenario "${name}"`}; one of ${[...SCENARIOS.keys()].join(', ')}`);
  if (options.out === undefined) usage('--out DIR is required: the directory to write the fixture to');
  const seed = parseSeed(options.seed);
  if (Number.isNaN(seed)) usage(`--seed "${options.seed}" must be a whole number from 0 to 4294967295`);

  const { files } = generateFixture(spec, seed);
  try {
    await writeFixture(options.out, files, { force: options.force === true });
  } catch (error) {
    if (error instanceof OutputNotEmptyError) usage(error.message);
    throw error;
  }
  const bytes = [...files.values()].reduce((sum, text) => sum + Buffer.byteLength(text), 0);
  out.writeOut?.(`wrote ${name} to ${options.out}: ${files.size} files, ${(bytes / 1024).toFixed(0)} KiB\n`);
}

export function simulateCommand(): Command {
  const command = new Command('simulate')
    .description('generate a fixture (logs, deploys, scenario.json, README.md) from a seeded scenario')
    .argument('[scenario]', 'scenario name (see --list)')
    .option('--out <dir>', 'directory to write the fixture to (must be empty unless --force)')
    .option('--seed <n>', "PRNG seed (default: the scenario's own, which made the committed fixture)")
    .option('--force', 'replace the fixture files in a non-empty directory')
    .option('--list', 'list the scenarios');
  command.action(async (name: string | undefined, options: SimulateOptions) => runSimulate(command, name, options));
  return command;
}
