/** The NDJSON sink: one JSON object per line on stdout (DESIGN "NDJSON events"). */
import type { Observable, Subscription } from 'rxjs';
import type { LogwatchEvent } from '../pipeline/events.js';

export function writeNdjson(events: Observable<LogwatchEvent>, out: NodeJS.WritableStream = process.stdout): Subscription {
  // JSON.stringify escapes C0 controls (ESC included), so no raw escape sequence reaches a terminal;
  // C1 and bidi characters are escaped too because a consumer may print decoded strings.
  return events.subscribe((event) => out.write(`${escapeNonAscii(JSON.stringify(event))}\n`));
}

const UNSAFE_CLASS = '[\\u0080-\\u009f\\u2028\\u2029\\u202a-\\u202e\\u2066-\\u2069]';
const HAS_UNSAFE = new RegExp(UNSAFE_CLASS);
const ALL_UNSAFE = new RegExp(UNSAFE_CLASS, 'g');

function escapeNonAscii(json: string): string {
  return HAS_UNSAFE.test(json)
    ? json.replace(ALL_UNSAFE, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`)
    : json;
}
