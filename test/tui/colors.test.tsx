/**
 * Colour codes as the terminal gets them. Chalk decides its colour level when first imported, so
 * FORCE_COLOR is set before Ink and the components are loaded (each test file runs in its own
 * process under the forks pool).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { FakeHandle, okVerdict, signatureView } from '../support/fake-handle.js';

process.env['FORCE_COLOR'] = '3';
const { render, cleanup } = await import('ink-testing-library');
const { App } = await import('../../src/tui/App.js');

const INT32 = { value: '2147483647', name: 'INT32_MAX', meaning: 'INT32_MAX: signed 32-bit overflow' };
// SGR colour parameters: 30-37/39 foreground, 40-47/49 background, 38/48 extended, 90-107 bright.
const COLOUR_SGR = /\u001b\[(?:[0-9;]*;)?(?:3[0-9]|4[0-9]|9[0-7]|10[0-7])(?:;[0-9;]*)?m/;

function stopHandle(): FakeHandle {
  const handle = new FakeHandle();
  handle.state = {
    ...handle.state,
    verdict: { ...okVerdict(), level: 'stop', reason: 'Ids crossed 2147483647.', telling: [INT32] },
    signatures: [signatureView({ template: 'value 2147483647 out of range', telling: [INT32], new: true })],
  };
  return handle;
}

afterEach(() => cleanup());

describe('colour', () => {
  it('paints STOP PUSHING white on red and telling values red bold', () => {
    const frame = render(<App handle={stopHandle()} noColor={false} />).lastFrame() ?? '';
    expect(frame).toMatch(/\u001b\[41m.*■ STOP PUSHING ■/);
    expect(frame).toContain('\u001b[31m2147483647');
  });

  it('emits no colour code at all with NO_COLOR, and still marks STOP PUSHING inverse', () => {
    const frame = render(<App handle={stopHandle()} noColor={true} />).lastFrame() ?? '';
    expect(frame).not.toMatch(COLOUR_SGR);
    expect(frame).toMatch(/\u001b\[7m[^\n]*■ STOP PUSHING ■/);
    expect(frame).toContain('2147483647');
  });
});
