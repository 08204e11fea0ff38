/**
 * Attaches the sinks a command asked for to a running pipeline: the TUI on a terminal (or NDJSON
 * on stdout), and the HTTP/WebSocket feed when listening. Shared by `watch` and `replay`. The TUI
 * and the feed are imported when asked for: Ink alone takes 0.3 s to load, which every command
 * (and every scripted `--json` run) paid at start-up.
 */
import type { Feed } from '../feed/server.js';
import type { PipelineHandle } from '../pipeline/handle.js';
import { UsageError } from './errors.js';
import { writeNdjson } from './ndjson.js';

export interface SinkChoice {
  /** Force NDJSON even on a terminal. */
  json?: boolean;
  /** Force the TUI; an error when stdout is not a terminal. */
  tui?: boolean;
  /** Feed address `HOST:PORT`, or undefined for none. */
  listen?: string;
  /** True when the address was the default rather than asked for: a busy port is then a warning. */
  listenIsDefault?: boolean;
  token?: string;
  /** Deploy window length for the TUI header. */
  deployWindowMs?: number;
  title?: string;
}

export interface AttachedSinks {
  /** Resolves when the user quits the TUI; undefined in NDJSON mode. */
  ui: Promise<void> | undefined;
  feed: Feed | undefined;
  /** One line to the user, without tearing the TUI's frame. */
  say: (line: string) => void;
  close(): Promise<void>;
}

export function wantsTui(choice: SinkChoice): boolean {
  if (choice.tui === true) {
    if (process.stdout.isTTY !== true) throw new UsageError('--tui needs a terminal, but stdout is not a TTY; use --json for NDJSON');
    return true;
  }
  return choice.json !== true && process.stdout.isTTY === true;
}

export async function attachSinks(handle: PipelineHandle, choice: SinkChoice): Promise<AttachedSinks> {
  const tui = wantsTui(choice);
  // Under the TUI, console.* is drawn above the frame (Ink patches it); raw stderr writes would tear it.
  const say = tui ? (line: string) => console.error(`logwatch: ${line}`) : (line: string) => process.stderr.write(`logwatch: ${line}\n`);
  // Subscribed before anything is awaited: the run is already going, and its events are not kept.
  const output = tui ? undefined : writeNdjson(handle.events);
  const feed = choice.listen === undefined ? undefined : await listen(handle, choice, say);
  const ui = tui
    ? (await import('../tui/index.js')).runTui(handle, {
      ...(choice.deployWindowMs === undefined ? {} : { deployWindowMs: choice.deployWindowMs }),
      ...(choice.title === undefined ? {} : { title: choice.title }),
    })
    : undefined;
  return {
    ui,
    feed,
    say,
    close: async () => {
      output?.unsubscribe();
      await feed?.close();
    },
  };
}

async function listen(handle: PipelineHandle, choice: SinkChoice, say: (line: string) => void): Promise<Feed | undefined> {
  const { host, port } = parseListen(choice.listen!);
  try {
    const { startFeed } = await import('../feed/server.js');
    const feed = await startFeed(handle, { host, port, log: say, ...(choice.token === undefined ? {} : { token: choice.token }) });
    say(`feed and web page at ${feed.url}`);
    return feed;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'EADDRINUSE' ? `${host}:${port} is in use` : (error as Error).message;
    if (choice.listenIsDefault === true) {
      say(`no feed: ${why}; pass --listen HOST:PORT or --no-listen`);
      return undefined;
    }
    throw new UsageError(`--listen: ${why}; choose another address`);
  }
}

export function parseListen(text: string): { host: string; port: number } {
  const match = /^(\[[0-9a-fA-F:]+\]|[^\s:]+):(\d{1,5})$/.exec(text);
  const port = Number(match?.[2]);
  if (match === null || port > 65_535) {
    throw new UsageError(`--listen: "${text}" is not HOST:PORT; e.g. 127.0.0.1:7077`);
  }
  return { host: match[1]!.replace(/^\[|\]$/g, ''), port };
}
