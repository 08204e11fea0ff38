/**
 * `runTui`: the TUI sink's entry point. Renders the App on a terminal with Ink at 10 frames a
 * second, and when the user quits (q, Ctrl+C, SIGINT, SIGTERM) unmounts, which gives the terminal
 * back (raw mode off, cursor shown), and stops the pipeline.
 */
import { render } from 'ink';
import type { PipelineHandle } from '../pipeline/handle.js';
import { App } from './App.js';

/** DESIGN: redraw at most ~10 times a second whatever the input rate. */
export const TUI_MAX_FPS = 10;

export interface TuiOptions {
  stdout?: NodeJS.WriteStream;
  stdin?: NodeJS.ReadStream;
  /** No colour codes at all; defaults to the NO_COLOR convention (set and not empty). */
  noColor?: boolean;
  /** Shown after "logwatch" in the header. */
  title?: string;
  /** Length of a deploy window in ms, for the header (default 10 min, DESIGN's default). */
  deployWindowMs?: number;
}

/** Resolves once the user has quit and `handle.stop()` has finished; rejects when stdout is no terminal. */
export async function runTui(handle: PipelineHandle, options: TuiOptions = {}): Promise<void> {
  const stdout = options.stdout ?? process.stdout;
  const stdin = options.stdin ?? process.stdin;
  if (stdout.isTTY !== true) {
    throw new Error('the TUI needs a terminal, but stdout is not a TTY (use --json for NDJSON)');
  }
  const instance = render(
    <App
      handle={handle}
      noColor={options.noColor ?? noColorFromEnv(process.env)}
      {...(options.title === undefined ? {} : { title: options.title })}
      {...(options.deployWindowMs === undefined ? {} : { deployWindowMs: options.deployWindowMs })}
    />,
    {
      stdout, stdin, maxFps: TUI_MAX_FPS, exitOnCtrlC: true,
      // console.* goes above the frame instead of through it; patching needs console.Console,
      // which hosts that replace the global console (test runners) may not have.
      patchConsole: typeof console.Console === 'function',
    },
  );
  // Without raw mode (stdin not a TTY) Ctrl+C arrives as SIGINT; SIGTERM comes from outside.
  // Either way: unmount cleanly rather than die with the terminal still in Ink's hands.
  const quit = () => instance.unmount();
  process.on('SIGINT', quit);
  process.on('SIGTERM', quit);
  try {
    await instance.waitUntilExit();
  } finally {
    process.off('SIGINT', quit);
    process.off('SIGTERM', quit);
    await handle.stop();
  }
}

/** https://no-color.org: present and not empty disables colour. */
export function noColorFromEnv(env: NodeJS.ProcessEnv): boolean {
  const value = env['NO_COLOR'];
  return value !== undefined && value !== '';
}
