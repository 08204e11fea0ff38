/** The TUI sink: what the CLI needs. */
export { runTui, noColorFromEnv, TUI_MAX_FPS, type TuiOptions } from './run.js';
