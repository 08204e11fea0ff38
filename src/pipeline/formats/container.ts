/**
 * Container runtimes' log files wrap every line a container wrote with its time and stream:
 * Docker's json-file driver (`{"log":"…\n","stream":"stderr","time":"…"}`, under
 * /var/lib/docker/containers) and the CRI format Kubernetes nodes keep under /var/log/pods
 * (`2026-11-24T14:03:11.123456789Z stderr F …`). The line the application wrote is inside, so
 * multi-line joining and header parsing read that (a PHP stack trace is one JSON line per frame),
 * and a line that carries no time of its own takes the envelope's.
 *
 * A line too long for the runtime is split into parts (Docker: a `log` without its `\n`; CRI:
 * the `P` tag); each part is a line here, so the parts after the first continue its record.
 */
import { parseIsoString } from './iso.js';
import { isDigit, UTC } from './time.js';

export interface ContainerLine {
  /** What the container wrote, without the line end. */
  text: string;
  /** The runtime's time for it, ms since the epoch. */
  at: number | undefined;
}

const DOCKER_PREFIX = '{"log":';
const CRI_STREAMS = ['stdout ', 'stderr '];
/** `2026-11-24T14:03:11Z` is the shortest time CRI writes; a space must follow it. */
const MIN_CRI_TIME_LENGTH = 20;

/** The line inside a container runtime's envelope, or undefined when `line` is not one. */
export function readContainerLine(line: string): ContainerLine | undefined {
  const first = line.charCodeAt(0);
  if (first === 123 /* { */) return line.startsWith(DOCKER_PREFIX) ? readDockerLine(line) : undefined;
  return isDigit(first) ? readCriLine(line) : undefined;
}

/** What multi-line joining and header parsing read of a line: the inside of an envelope, else the line. */
export function containerText(line: string): string {
  return readContainerLine(line)?.text ?? line;
}

function readDockerLine(line: string): ContainerLine | undefined {
  let entry: unknown;
  try {
    entry = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (typeof entry !== 'object' || entry === null) return undefined;
  const { log, time } = entry as { log?: unknown; time?: unknown };
  if (typeof log !== 'string') return undefined;
  return { text: withoutLineEnd(log), at: typeof time === 'string' ? parseIsoString(time, UTC) : undefined };
}

/** `<RFC 3339 time> <stdout|stderr> <tags> <text>`; the tags are `F` (a full line) or `P` (a part), perhaps more after `:`. */
function readCriLine(line: string): ContainerLine | undefined {
  const timeEnd = line.indexOf(' ');
  if (timeEnd < MIN_CRI_TIME_LENGTH || line.charCodeAt(10) !== 84 /* T */) return undefined;
  const stream = timeEnd + 1;
  if (!CRI_STREAMS.some((name) => line.startsWith(name, stream))) return undefined;
  const tags = stream + CRI_STREAMS[0]!.length;
  const space = line.indexOf(' ', tags);
  const tagsEnd = space < 0 ? line.length : space;
  const tag = line.charCodeAt(tags);
  if ((tag !== 70 /* F */ && tag !== 80 /* P */) || (tagsEnd !== tags + 1 && line.charCodeAt(tags + 1) !== 58 /* : */)) return undefined;
  const at = parseIsoString(line.slice(0, timeEnd), UTC);
  if (at === undefined) return undefined;
  return { text: line.slice(tagsEnd + 1), at };
}

function withoutLineEnd(text: string): string {
  let end = text.length;
  if (text.charCodeAt(end - 1) === 10) end--;
  if (text.charCodeAt(end - 1) === 13) end--;
  return end === text.length ? text : text.slice(0, end);
}
