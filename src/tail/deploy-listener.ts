/**
 * A TCP listener for deploy markers in Graphite plaintext (`events.deploy.website 1 1287106599`),
 * so deploy tools that already send to Graphite can point a second copy at logwatch.
 *
 * Per connection, bytes are split into lines (CRLF or LF), many lines per connection. Lines
 * longer than the cap are rejected and skipped up to their newline. Other metrics (paths that
 * match no deploy pattern) are ignored but counted, so pointing a whole Graphite feed here is
 * harmless. A malformed line is reported through `onReject` and never closes the listener.
 */
import { createServer, type Socket } from 'node:net';
import { StringDecoder } from 'node:string_decoder';
import { compileDeployPatterns, parseGraphiteLine, type DeployMarker } from '../pipeline/deploy-marker.js';

/** Graphite's plaintext port: deploy tools already know it. */
export const DEFAULT_DEPLOY_PORT = 2003;
/** A Graphite line is ~60 bytes; 4 KiB leaves room for long paths and stops a stream without newlines. */
export const DEFAULT_MAX_LINE_CHARS = 4096;
/** Deploy tools open one short connection per push; more than this at once is a misdirected feed. */
export const DEFAULT_MAX_CONNECTIONS = 64;

export interface DeployListenerOptions {
  host?: string;
  /** 0 picks a free port (tests). */
  port: number;
  patterns?: string[];
  maxLineChars?: number;
  maxConnections?: number;
  /** Event time for "too far in the future" checks (live: wall clock). */
  now: () => number;
  onDeploy(marker: DeployMarker): void;
  onReject(reason: string, line: string): void;
}

export interface DeployListenerCounters {
  accepted: number;
  rejected: number;
  /** Lines of other metrics (no deploy pattern matched): not errors. */
  ignored: number;
}

export interface DeployListener {
  port: number;
  close(): Promise<void>;
  readonly counters: DeployListenerCounters;
}

/** Splits one connection's text into lines, enforcing the cap; calls `onLine` or `onTooLong`. */
class LineSplitter {
  private pending = '';
  private skippingLongLine = false;

  constructor(
    private readonly maxChars: number,
    private readonly onLine: (line: string) => void,
    private readonly onTooLong: (start: string) => void,
  ) {}

  push(chunk: string): void {
    let start = 0;
    for (let newline = chunk.indexOf('\n'); newline >= 0; newline = chunk.indexOf('\n', start)) {
      this.take(chunk.slice(start, newline), true);
      start = newline + 1;
    }
    this.take(chunk.slice(start), false);
  }

  /** The unterminated tail of a connection that closed: a line if it fits. */
  end(): void {
    if (!this.skippingLongLine && this.pending !== '') this.onLine(this.pending);
    this.pending = '';
  }

  private take(piece: string, complete: boolean): void {
    if (this.skippingLongLine) {
      if (complete) this.skippingLongLine = false;
      return;
    }
    const line = this.pending + piece;
    if (line.length > this.maxChars) {
      this.onTooLong(line.slice(0, 80));
      this.pending = '';
      this.skippingLongLine = !complete;
      return;
    }
    if (complete) {
      this.pending = '';
      this.onLine(line.endsWith('\r') ? line.slice(0, -1) : line);
    } else {
      this.pending = line;
    }
  }
}

export async function listenForDeploys(options: DeployListenerOptions): Promise<DeployListener> {
  const patterns = options.patterns;
  if (patterns !== undefined) compileDeployPatterns(patterns); // fail at start, not on the first line
  const maxLineChars = options.maxLineChars ?? DEFAULT_MAX_LINE_CHARS;
  const counters: DeployListenerCounters = { accepted: 0, rejected: 0, ignored: 0 };
  const sockets = new Set<Socket>();

  const handleLine = (line: string): void => {
    if (line.trim() === '') return;
    const parsed = parseGraphiteLine(line, options.now(), patterns === undefined ? {} : { patterns });
    if ('marker' in parsed) {
      counters.accepted++;
      options.onDeploy(parsed.marker);
    } else if (parsed.code === 'path') {
      counters.ignored++;
    } else {
      counters.rejected++;
      options.onReject(parsed.error, line);
    }
  };
  const handleTooLong = (start: string): void => {
    counters.rejected++;
    options.onReject(`line longer than ${maxLineChars} characters`, start);
  };

  const server = createServer((socket) => {
    sockets.add(socket);
    const decoder = new StringDecoder('utf8');
    const splitter = new LineSplitter(maxLineChars, handleLine, handleTooLong);
    socket.on('data', (chunk: Buffer) => splitter.push(decoder.write(chunk)));
    socket.on('end', () => {
      splitter.push(decoder.end());
      splitter.end();
    });
    // A client vanishing mid-line is its problem; the listener carries on.
    socket.on('error', () => socket.destroy());
    socket.on('close', () => sockets.delete(socket));
  });
  server.maxConnections = options.maxConnections ?? DEFAULT_MAX_CONNECTIONS;

  const host = options.host ?? '127.0.0.1';
  return new Promise((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      reject(new Error(`cannot listen for deploys on ${host}:${options.port}: ${error.code ?? error.message}`));
    });
    server.listen(options.port, host, () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : options.port;
      resolve({
        port,
        counters,
        close: () =>
          new Promise<void>((done) => {
            for (const socket of sockets) socket.destroy();
            server.close(() => done());
          }),
      });
    });
  });
}
