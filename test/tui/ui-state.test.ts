import { describe, expect, it } from 'vitest';
import { INITIAL_UI, keyToAction, uiReducer, type UiAction, type UiState } from '../../src/tui/ui-state.js';
import { listSignatures, matchesFilter } from '../../src/tui/rank.js';
import { signatureView } from '../support/fake-handle.js';

const ids = ['a', 'b', 'c'];
const press = (state: UiState, input: string, key = {}): UiState => {
  const action = keyToAction(input, key, state, ids);
  if (action === null || action.type === 'quit' || action.type === 'mark-deploy') return state;
  return uiReducer(state, action as UiAction);
};

describe('keys', () => {
  it('moves the selection by id, clamped at both ends', () => {
    let state = press(INITIAL_UI, 'j');
    expect(state.selectedId).toBe('b');
    state = press(press(state, '', { downArrow: true }), 'j');
    expect(state.selectedId).toBe('c');
    state = press(press(press(press(state, 'k'), 'k'), 'k'), '', { upArrow: true });
    expect(state.selectedId).toBe('a');
  });

  it('opens the detail with Enter and goes back with Esc', () => {
    const open = press(INITIAL_UI, '', { return: true });
    expect(open.view).toBe('detail');
    expect(press(open, '', { escape: true }).view).toBe('table');
  });

  it('edits a filter: / starts, text and backspace edit, Enter applies, Esc clears', () => {
    let state = press(INITIAL_UI, '/');
    state = press(press(press(state, 'q'), 'x'), '', { backspace: true });
    expect(state.draft).toBe('q');
    state = press(state, '', { return: true });
    expect(state).toMatchObject({ filter: 'q', draft: null });
    expect(press(press(state, '/'), '', { escape: true })).toMatchObject({ filter: '', draft: null });
  });

  it('turns q, d and Ctrl-less letters into commands only outside the filter', () => {
    expect(keyToAction('q', {}, INITIAL_UI, ids)).toEqual({ type: 'quit' });
    expect(keyToAction('d', {}, INITIAL_UI, ids)).toEqual({ type: 'mark-deploy' });
    expect(keyToAction('d', {}, { ...INITIAL_UI, draft: '' }, ids)).toEqual({ type: 'filter-type', text: 'd' });
  });

  it('toggles pause and help; any key closes help', () => {
    expect(press(INITIAL_UI, 'p').paused).toBe(true);
    const help = press(INITIAL_UI, '?');
    expect(help.help).toBe(true);
    expect(press(help, 'x').help).toBe(false);
  });

  it('drops control characters typed into the filter', () => {
    expect(keyToAction('\u001b[2J', {}, { ...INITIAL_UI, draft: '' }, ids)).toEqual({ type: 'filter-type', text: '[2J' });
  });
});

describe('listSignatures', () => {
  it('ranks by score and filters templates case-insensitively', () => {
    const rows = [
      signatureView({ id: 'low', score: 0.1, template: 'Deadlock found' }),
      signatureView({ id: 'high', score: 9, template: 'Out of range value for column' }),
      signatureView({ id: 'mid', score: 2, template: 'deadlock on listings' }),
    ];
    expect(listSignatures(rows, '').map((row) => row.id)).toEqual(['high', 'mid', 'low']);
    expect(listSignatures(rows, 'DEADLOCK').map((row) => row.id)).toEqual(['mid', 'low']);
    expect(matchesFilter('abc', '')).toBe(true);
  });
});
