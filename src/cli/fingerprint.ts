/**
 * `logwatch fingerprint [file|-] [--message-only]`: each record's signature as one NDJSON line
 * `{"line","id","template","telling"}` — for checking what logwatch makes of a log, and for the
 * grouping-accuracy benchmark.
 */
import { createReadStream } from 'node:fs';
import { access } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';
import { Command } from 'commander';
import { createFingerprinter } from '../detect/fingerprint.js';
import { RecordPath } from '../pipeline/record-path.js';
import { compressionOfFile } from '../tail/compressed.js';
import { LineSplitter } from '../tail/line-splitter.js';
import { UsageError } from './errors.js';

interface FingerprintFlags {
  messageOnly?: boolean;
}

export function fingerprintCommand(): Command {
  return new Command('fingerprint')
    .description("print each record's signature as NDJSON: {line, id, template, telling}")
    .argument('[file]', 'a log file, or - for stdin', '-')
    .option('--message-only', 'take each input line as a whole message: no header parsing, no multi-line joining')
    .action(async (file: string, flags: FingerprintFlags) => {
      const input = file === '-' ? process.stdin : await openFile(file);
      await fingerprintStream(input, flags.messageOnly === true, process.stdout);
    });
}

/** The file's text: a gzip-compressed log (a rotated `app.log.2.gz`) is decompressed on the way. */
async function openFile(file: string): Promise<NodeJS.ReadableStream> {
  try {
    await access(file);
  } catch {
    throw new UsageError(`fingerprint: ${file}: no such file; give a log file or - for stdin`);
  }
  const compression = await compressionOfFile(file);
  if (compression === 'gzip') return createReadStream(file).pipe(createGunzip());
  if (typeof compression === 'string') throw new UsageError(`fingerprint: ${file}: ${compression}-compressed; decompress it and pipe it in (logwatch fingerprint -)`);
  return createReadStream(file);
}

export async function fingerprintStream(input: NodeJS.ReadableStream, messageOnly: boolean, out: NodeJS.WritableStream): Promise<void> {
  const splitter = new LineSplitter();
  const print = messageOnly ? messagePrinter() : recordPrinter();
  let buffered: string[] = [];
  const flush = async (): Promise<void> => {
    if (buffered.length === 0) return;
    const text = buffered.join('');
    buffered = [];
    if (!out.write(text)) await new Promise((resolve) => out.once('drain', resolve));
  };
  const lines: string[] = [];
  for await (const chunk of input) {
    splitter.push(chunk as Buffer, lines);
    buffered.push(...print(lines.splice(0)));
    if (buffered.length > 1024) await flush();
  }
  splitter.end(lines);
  buffered.push(...print(lines), ...print(null));
  await flush();
}

type Printer = (lines: string[] | null) => string[];

const toJson = (line: string, fp: { id: string; template: string; telling: unknown[] }): string =>
  `${JSON.stringify({ line, id: fp.id, template: fp.template, telling: fp.telling })}\n`;

function messagePrinter(): Printer {
  const fingerprinter = createFingerprinter();
  return (lines) => (lines ?? []).map((line) => toJson(line, fingerprinter.sign(line)));
}

/** Whole records: multi-line joined and header-parsed, as `watch` sees them. */
function recordPrinter(): Printer {
  const path = new RecordPath();
  return (lines) => {
    const records = lines === null ? path.flushAll() : path.push({ source: '-', host: undefined, lines, arrivedAt: Date.now() });
    return records.map((record) => toJson(record.message, record.fingerprint));
  };
}
