/**
 * Host attribution from a file's path (`--host-pattern`): either a glob with one `{host}`
 * placeholder, `logs/{host}/*.log`, or a regex with a named group, `/srv/(?<host>[^/]+)/`.
 */
import path from 'node:path';
import picomatch from 'picomatch';

/** Returns the host named by a path, or undefined when the path does not match the pattern. */
export type HostOfPath = (filePath: string) => string | undefined;

const HOST_PLACEHOLDER = '{host}';
const REGEX_HOST_GROUP = '(?<host>';
// A literal picomatch copies into its regex source unchanged, so it can be swapped for the capture group.
const PLACEHOLDER_TOKEN = 'ZZlogwatchHostZZ';

/** Compiles a host pattern; throws a one-line Error naming the pattern and the fix when it is unusable. */
export function compileHostPattern(pattern: string, cwd: string = process.cwd()): HostOfPath {
  const regex = pattern.includes(REGEX_HOST_GROUP) ? compileRegex(pattern) : compileGlob(pattern);
  return (filePath) => {
    const absolute = path.resolve(cwd, filePath);
    const relative = path.relative(cwd, absolute);
    return hostFrom(regex.exec(relative)) ?? hostFrom(regex.exec(absolute));
  };
}

function hostFrom(match: RegExpExecArray | null): string | undefined {
  const host = match?.groups?.['host'];
  return host === undefined || host === '' ? undefined : host;
}

function compileRegex(pattern: string): RegExp {
  try {
    return new RegExp(pattern);
  } catch (error) {
    throw new Error(`host pattern '${pattern}' is not a valid regex (${(error as Error).message}); fix it or use a glob such as 'logs/{host}/*.log'`);
  }
}

function compileGlob(pattern: string): RegExp {
  const placeholders = pattern.split(HOST_PLACEHOLDER).length - 1;
  if (placeholders !== 1) {
    const problem = placeholders === 0 ? 'has no {host} placeholder' : `has ${placeholders} {host} placeholders`;
    throw new Error(
      `host pattern '${pattern}' ${problem}; write a glob with exactly one, such as 'logs/{host}/*.log', or a regex with a (?<host>...) group`,
    );
  }
  if (pattern.includes(PLACEHOLDER_TOKEN)) {
    throw new Error(`host pattern '${pattern}' contains the reserved text ${PLACEHOLDER_TOKEN}; rename that part of the pattern`);
  }
  const source = picomatch.makeRe(pattern.replace(HOST_PLACEHOLDER, PLACEHOLDER_TOKEN)).source;
  if (!source.includes(PLACEHOLDER_TOKEN)) {
    throw new Error(`host pattern '${pattern}' puts {host} where it cannot match a path segment; move it into a path segment, such as 'logs/{host}/*.log'`);
  }
  // `{host}` is one path segment (or part of one): never a slash, never empty.
  return new RegExp(source.replace(PLACEHOLDER_TOKEN, '(?<host>[^/]+)'));
}
