/** Standard input as a source (`logwatch -`, `… | logwatch fingerprint -`): the same splitter as files. */
import { DEFAULT_MAX_LINE_BYTES, LineSplitter, type SplitterTally } from './line-splitter.js';
import type { LineBatch, SourceCounters } from './types.js';

/** The `source` of every stdin batch. */
export const STDIN_SOURCE = '-';

export interface StdinOptions {
  /** Longest line kept, in bytes; default 65536. */
  maxLineBytes?: number;
  /** Host for every line (e.g. from `--host`); undefined lets the parser decide. */
  host?: string;
}

/**
 * Reads `stream` to its end, one batch per chunk, and emits the last line even without a final
 * newline. Resolves with the counters at end of input; rejects if the stream fails.
 */
export async function readStdin(
  stream: NodeJS.ReadableStream,
  onBatch: (batch: LineBatch) => void,
  options: StdinOptions = {},
): Promise<SourceCounters> {
  const tally: SplitterTally = { truncated: 0, nulRuns: 0 };
  const splitter = new LineSplitter(options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES, tally);
  const counters: SourceCounters = { lines: 0, bytes: 0, truncated: 0, dropped: 0, files: 0, errors: 0 };
  const emit = (lines: string[]): void => {
    if (lines.length === 0) return;
    counters.lines += lines.length;
    onBatch({ source: STDIN_SOURCE, host: options.host, lines, arrivedAt: Date.now() });
  };
  for await (const chunk of stream) {
    // A stream with an encoding set yields strings; lines are split on bytes either way.
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
    counters.bytes += bytes.length;
    const lines: string[] = [];
    splitter.push(bytes, lines);
    emit(lines);
  }
  const last: string[] = [];
  splitter.end(last);
  emit(last);
  counters.truncated = tally.truncated;
  counters.dropped = tally.nulRuns;
  return counters;
}
