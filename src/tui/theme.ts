/**
 * Colours and emphasis per level. With NO_COLOR no colour is ever emitted: the level words carry
 * the meaning and inverse/bold mark only what must not be missed (STOP PUSHING, telling values).
 */
import { createContext, useContext } from 'react';
import type { VerdictLevel } from '../detect/model.js';
import type { Level } from '../pipeline/record.js';

/** The subset of Ink <Text> props the theme sets. */
export interface TextStyle {
  color?: string;
  backgroundColor?: string;
  bold?: boolean;
  inverse?: boolean;
  dimColor?: boolean;
  underline?: boolean;
}

export interface Theme {
  noColor: boolean;
}

export const ThemeContext = createContext<Theme>({ noColor: false });

export function useTheme(): Theme {
  return useContext(ThemeContext);
}

/** What the banner says for each level; `stop` says what to do, not what it is. */
export const VERDICT_LABEL: Record<VerdictLevel, string> = {
  ok: 'OK',
  watch: 'WATCH',
  'roll-forward': 'ROLL FORWARD',
  revert: 'REVERT',
  stop: 'STOP PUSHING',
};

const VERDICT_COLOR: Record<VerdictLevel, TextStyle> = {
  ok: { color: 'green', bold: true },
  watch: { color: 'yellow', bold: true },
  'roll-forward': { color: 'magenta', bold: true },
  revert: { color: 'red', bold: true },
  stop: { color: 'white', backgroundColor: 'red', bold: true },
};

const VERDICT_PLAIN: Record<VerdictLevel, TextStyle> = {
  ok: {},
  watch: { bold: true },
  'roll-forward': { bold: true },
  revert: { bold: true },
  stop: { bold: true, inverse: true },
};

export function verdictStyle(level: VerdictLevel, theme: Theme): TextStyle {
  return (theme.noColor ? VERDICT_PLAIN : VERDICT_COLOR)[level];
}

/** Border colour of the banner box; none without colour. */
export function verdictBorderColor(level: VerdictLevel, theme: Theme): string | undefined {
  return theme.noColor ? undefined : VERDICT_COLOR[level].backgroundColor ?? VERDICT_COLOR[level].color;
}

export function tellingStyle(theme: Theme): TextStyle {
  return theme.noColor ? { bold: true, underline: true } : { color: 'red', bold: true };
}

export const LOG_LEVEL_LABEL: Record<Level, string> = {
  fatal: 'FATAL',
  error: 'ERROR',
  warning: 'WARN',
  notice: 'NOTE',
  info: 'INFO',
  debug: 'DEBUG',
};

export function logLevelStyle(level: Level, theme: Theme): TextStyle {
  if (theme.noColor) return level === 'fatal' ? { bold: true } : {};
  switch (level) {
    case 'fatal': return { color: 'red', bold: true };
    case 'error': return { color: 'red' };
    case 'warning': return { color: 'yellow' };
    default: return { dimColor: true };
  }
}

export function newBadgeStyle(theme: Theme): TextStyle {
  return theme.noColor ? { bold: true } : { color: 'cyan', bold: true };
}

/** Counters that mean something was lost stand out only when they are non-zero. */
export function lossStyle(count: number, theme: Theme): TextStyle {
  if (count === 0) return {};
  return theme.noColor ? { bold: true } : { color: 'yellow', bold: true };
}
