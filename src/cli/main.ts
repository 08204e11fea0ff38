/** The `logwatch` command: one subcommand per file in this folder; `watch` is the default. */
import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { deployCommand } from './deploy.js';
import { EXIT_OK, EXIT_USAGE, reportError } from './errors.js';
import { fingerprintCommand } from './fingerprint.js';
import { recordCommand } from './record.js';
import { replayCommand } from './replay.js';
import { simulateCommand } from './simulate.js';
import { watchCommand } from './watch.js';

const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

export function program(): Command {
  const root = new Command('logwatch')
    .description('Watches error logs during a push and says ok, watch, roll forward, revert or stop pushing.')
    .version(version)
    // Options after a subcommand are that subcommand's: `logwatch deploy --version abc123` is a deploy's version.
    .enablePositionalOptions()
    .exitOverride()
    .configureOutput({ outputError: (text, write) => write(`logwatch: ${text.replace(/^error: /, '').trim()}\n`) });
  for (const command of [watchCommand(), replayCommand(), deployCommand(), fingerprintCommand(), simulateCommand(), recordCommand()]) {
    root.addCommand(command.exitOverride(), command.name() === 'watch' ? { isDefault: true } : {});
  }
  return root;
}

/** Runs the CLI on `argv` and returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  try {
    await program().parseAsync(argv);
    return EXIT_OK;
  } catch (error) {
    if (error instanceof CommanderError) return commanderExitCode(error);
    return reportError(error);
  }
}

/** A command's own `command.error(…, { exitCode })` keeps its code; commander's parse errors are usage errors. */
function commanderExitCode(error: CommanderError): number {
  if (error.exitCode === 0) return EXIT_OK;
  const commandersOwn = error.code.startsWith('commander.') && error.code !== 'commander.error';
  return commandersOwn ? EXIT_USAGE : error.exitCode;
}

