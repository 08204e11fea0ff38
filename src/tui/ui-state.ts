/**
 * What the user has asked the screen to show, as a pure reducer over key presses. The snapshot
 * is not part of it: rows are identified by signature id, because the ranking moves under the
 * cursor between snapshots.
 */

export interface UiState {
  view: 'table' | 'detail';
  help: boolean;
  /** Selected signature id; null means the first row. */
  selectedId: string | null;
  /** Applied filter (case-insensitive substring of the template); '' for none. */
  filter: string;
  /** Text being typed after `/`; null when not editing. */
  draft: string | null;
  paused: boolean;
  /** One-line confirmation or error for the footer. */
  notice: string | null;
}

export const INITIAL_UI: UiState = {
  view: 'table', help: false, selectedId: null, filter: '', draft: null, paused: false, notice: null,
};

export type UiAction =
  | { type: 'move'; delta: number; ids: readonly string[] }
  | { type: 'open' }
  | { type: 'back' }
  | { type: 'filter-start' }
  | { type: 'filter-type'; text: string }
  | { type: 'filter-erase' }
  | { type: 'filter-apply' }
  | { type: 'filter-cancel' }
  | { type: 'toggle-pause' }
  | { type: 'toggle-help' }
  | { type: 'notice'; text: string };

export function uiReducer(state: UiState, action: UiAction): UiState {
  switch (action.type) {
    case 'move': return { ...state, selectedId: moveSelection(state.selectedId, action.delta, action.ids) };
    case 'open': return { ...state, view: 'detail' };
    case 'back': return { ...state, view: 'table' };
    case 'filter-start': return { ...state, draft: state.filter };
    case 'filter-type': return state.draft === null ? state : { ...state, draft: state.draft + action.text };
    case 'filter-erase': return state.draft === null ? state : { ...state, draft: state.draft.slice(0, -1) };
    case 'filter-apply': return { ...state, filter: state.draft ?? state.filter, draft: null, selectedId: null };
    case 'filter-cancel': return { ...state, filter: '', draft: null, selectedId: null };
    case 'toggle-pause': return { ...state, paused: !state.paused };
    case 'toggle-help': return { ...state, help: !state.help };
    case 'notice': return { ...state, notice: action.text };
  }
}

function moveSelection(current: string | null, delta: number, ids: readonly string[]): string | null {
  if (ids.length === 0) return current;
  // No selection (or one that left the list) means the first row is the one highlighted.
  const from = Math.max(0, current === null ? 0 : ids.indexOf(current));
  return ids[Math.min(ids.length - 1, Math.max(0, from + delta))] ?? current;
}

/** The parts of Ink's `Key` the keymap reads. */
export interface KeyPress {
  upArrow?: boolean;
  downArrow?: boolean;
  return?: boolean;
  escape?: boolean;
  backspace?: boolean;
  delete?: boolean;
  ctrl?: boolean;
  meta?: boolean;
}

/** Effects the app performs itself rather than through the reducer. */
export type Command = { type: 'quit' } | { type: 'mark-deploy' };

/**
 * Maps one key press to a state change or a command. `ids` are the rows currently listed, in
 * order. While typing a filter every printable key is text, so `q` can be searched for.
 */
export function keyToAction(input: string, key: KeyPress, state: UiState, ids: readonly string[]): UiAction | Command | null {
  if (state.draft !== null) return filterKey(input, key);
  if (state.help) return input === 'q' ? { type: 'quit' } : { type: 'toggle-help' };
  if (key.upArrow || input === 'k') return { type: 'move', delta: -1, ids };
  if (key.downArrow || input === 'j') return { type: 'move', delta: 1, ids };
  if (key.return) return state.view === 'table' && ids.length > 0 ? { type: 'open' } : null;
  if (key.escape) return state.view === 'detail' ? { type: 'back' } : state.filter !== '' ? { type: 'filter-cancel' } : null;
  switch (input) {
    case '/': return { type: 'filter-start' };
    case 'p': return { type: 'toggle-pause' };
    case 'd': return { type: 'mark-deploy' };
    case '?': return { type: 'toggle-help' };
    case 'q': return { type: 'quit' };
    default: return null;
  }
}

function filterKey(input: string, key: KeyPress): UiAction | null {
  if (key.return) return { type: 'filter-apply' };
  if (key.escape) return { type: 'filter-cancel' };
  if (key.backspace || key.delete) return { type: 'filter-erase' };
  if (key.ctrl || key.meta || key.upArrow || key.downArrow) return null;
  const printable = [...input].filter((char) => char >= ' ' && char !== '\u007f').join('');
  return printable === '' ? null : { type: 'filter-type', text: printable };
}
