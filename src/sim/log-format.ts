/** How simulated entries look on disk: the PHP error log and nginx error log line headers. */

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (n: number): string => String(n).padStart(2, '0');

/** `23-Nov-2026 14:03:11 UTC`, as PHP writes `error_log` with date.timezone=UTC. */
export function phpTimestamp(at: number): string {
  const d = new Date(at);
  const time = `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
  return `${pad(d.getUTCDate())}-${MONTHS[d.getUTCMonth()]}-${d.getUTCFullYear()} ${time} UTC`;
}

/** `2026/11/23 14:03:11`, nginx's error_log time (the servers run in UTC). */
export function nginxTimestamp(at: number): string {
  const d = new Date(at);
  const date = `${d.getUTCFullYear()}/${pad(d.getUTCMonth() + 1)}/${pad(d.getUTCDate())}`;
  return `${date} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}

export type LogFormat = 'php' | 'nginx';

/** One log entry: the first line's message (after the time header) and any continuation lines. */
export interface LogEntry {
  format: LogFormat;
  lines: string[];
}

export const LOG_FILE: Record<LogFormat, string> = { php: 'php_errors.log', nginx: 'nginx_error.log' };

/** The entry as written: PHP puts the header on the first line only, stack trace lines follow bare. */
export function formatEntry(at: number, entry: LogEntry): string {
  const header = entry.format === 'php' ? `[${phpTimestamp(at)}] ` : `${nginxTimestamp(at)} `;
  return `${header}${entry.lines.join('\n')}\n`;
}

/**
 * An uncaught exception as PHP logs it: one error_log call whose text spans the message, the
 * `Stack trace:` block with numbered frames ending in `{main}`, and the `thrown in` line.
 */
export function uncaught(exception: string, message: string, file: string, line: number, frames: string[]): string[] {
  return [
    `PHP Fatal error:  Uncaught ${exception}: ${message} in ${file}:${line}`,
    'Stack trace:',
    ...frames.map((frame, i) => `#${i} ${frame}`),
    `#${frames.length} {main}`,
    `  thrown in ${file} on line ${line}`,
  ];
}
