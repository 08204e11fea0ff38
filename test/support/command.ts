/** Runs one commander command in-process, capturing its output and the exit code it asks for. */
import { CommanderError, type Command } from 'commander';

export interface CommandResult {
  out: string;
  err: string;
  exitCode: number;
}

export async function runCommand(command: Command, args: string[]): Promise<CommandResult> {
  let out = '';
  let err = '';
  command.exitOverride().configureOutput({ writeOut: (s) => { out += s; }, writeErr: (s) => { err += s; } });
  try {
    await command.parseAsync(args, { from: 'user' });
    return { out, err, exitCode: 0 };
  } catch (error) {
    if (error instanceof CommanderError) return { out, err, exitCode: error.exitCode };
    throw error;
  }
}
