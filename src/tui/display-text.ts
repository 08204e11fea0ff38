/** Log text as the TUI prints it. */
import { visibleText } from '../pipeline/visible-text.js';

/**
 * visibleText() escapes everything a terminal could act on but keeps TAB, which moves the cursor
 * to a tab stop Ink does not count: a tab becomes one space so columns stay where Ink puts them.
 */
export function displayText(s: string): string {
  return visibleText(s).replaceAll('\t', ' ');
}
