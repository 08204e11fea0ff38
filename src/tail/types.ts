import type { ChunkLines } from './chunk-lines.js';

/**
 * What sources hand to the pipeline: lines in batches, one batch per read chunk, so the hot path
 * is plain loops over arrays rather than one Observable emission per line.
 */
export interface LineBatch {
  /** Where the lines came from: a file path, `-` for stdin, or `fixture:<host>/<file>`. */
  source: string;
  /** Host from the path (`--host-pattern` or a fixture's folder); undefined lets the parser decide. */
  host: string | undefined;
  /** Decoded lines (invalid UTF-8 already U+FFFD), without `\n`/`\r\n`, cut at the line cap. */
  lines: string[];
  /** Files only: the lines as spans of the read chunk's bytes (`lines` decodes them when first read), for pre-signing workers. */
  chunk?: ChunkLines;
  /** Wall-clock ms when the chunk was read: the event time of lines that carry none. */
  arrivedAt: number;
  /** Added for --state (files only): the file's identity `${dev}:${ino}`, so consumed offsets can be saved. */
  file?: string;
  /** Added for --state (files only): byte offsets of the line boundaries, `lines.length + 1` of them (line i is [offsets[i], offsets[i+1])). */
  offsets?: number[];
}

/** Counters a source keeps so that nothing it drops or changes goes unseen. */
export interface SourceCounters {
  /** Complete lines emitted. */
  lines: number;
  /** Bytes read. */
  bytes: number;
  /** Lines cut at the line cap. */
  truncated: number;
  /** Lines or bytes skipped entirely (unreadable file, NUL runs after a truncation, …). */
  dropped: number;
  /** Files currently followed. */
  files: number;
  /** Read or watch errors seen (each also logged once to stderr). */
  errors: number;
}
