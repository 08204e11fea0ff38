/**
 * Exit codes (DESIGN "Command line"): 0 done, 2 bad usage, config or input, 1 internal error.
 * A UsageError carries a one-line message: what, where, what to do.
 */
export const EXIT_OK = 0;
export const EXIT_INTERNAL = 1;
export const EXIT_USAGE = 2;

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** Prints an error as one line on stderr and returns the exit code it deserves. */
export function reportError(error: unknown, stderr: NodeJS.WritableStream = process.stderr): number {
  if (isUsage(error)) {
    stderr.write(`logwatch: ${firstLine(error.message)}\n`);
    return EXIT_USAGE;
  }
  const message = error instanceof Error ? error.stack ?? error.message : String(error);
  stderr.write(`logwatch: internal error: ${message}\n`);
  return EXIT_INTERNAL;
}

/** Errors of bad input from other modules (fixture, config, host pattern) count as usage errors. */
function isUsage(error: unknown): error is Error {
  return error instanceof Error && (error instanceof UsageError || USAGE_ERROR_NAMES.has(error.name));
}

const USAGE_ERROR_NAMES = new Set(['UsageError', 'FixtureError', 'ConfigError', 'HostPatternError']);

const firstLine = (text: string): string => text.split('\n', 1)[0] ?? text;
