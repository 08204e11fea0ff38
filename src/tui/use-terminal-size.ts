/**
 * The terminal's size, read from the output stream on every render and refreshed on 'resize'.
 * Ink 6.8 has no useWindowSize, and it ignores 'resize' when CI is set; this hook does not.
 */
import { useEffect, useState } from 'react';
import { useStdout } from 'ink';
import { DEFAULT_COLUMNS, DEFAULT_ROWS } from './layout.js';

export interface TerminalSize {
  columns: number;
  rows: number;
}

export function useTerminalSize(): TerminalSize {
  const { stdout } = useStdout();
  const [, setGeneration] = useState(0);
  useEffect(() => {
    const onResize = () => setGeneration((generation) => generation + 1);
    stdout.on('resize', onResize);
    return () => {
      stdout.off('resize', onResize);
    };
  }, [stdout]);
  return {
    columns: positiveOr(stdout.columns, DEFAULT_COLUMNS),
    rows: positiveOr(stdout.rows, DEFAULT_ROWS),
  };
}

function positiveOr(value: number | undefined, fallback: number): number {
  return typeof value === 'number' && value > 0 ? value : fallback;
}
