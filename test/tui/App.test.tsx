import os from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, render } from 'ink-testing-library';
import type { SignatureView, Verdict, VerdictLevel } from '../../src/detect/model.js';
import { App } from '../../src/tui/App.js';
import { FakeHandle, T0, okVerdict, signatureView } from '../support/fake-handle.js';
import { expectContains, lineWidths, renderSized, waitForFrame } from './render-helpers.js';

const INT32 = { value: '2147483647', name: 'INT32_MAX', meaning: 'INT32_MAX: signed 32-bit overflow' };
const DOWN = '\u001B[B';
const ESC = '\u001B';

function handleWith(signatures: SignatureView[], verdict: Partial<Verdict> = {}): FakeHandle {
  const handle = new FakeHandle();
  handle.state = {
    ...handle.state,
    verdict: { ...okVerdict(), ...verdict },
    signatures,
    deploys: [{ id: 3, at: T0 - 130_000, app: 'website', version: 'abc123', by: 'sam' }],
    hostsTotal: 12,
    stats: { ...handle.state.stats, hosts: 12, linesPerSecond: 340, dropped: 2, truncated: 5, evicted: 1 },
  };
  return handle;
}

const overflow = signatureView({
  id: 'int32', template: "SQLSTATE[22003]: Numeric value out of range: 1264 Out of range value for column 'id' at row 1 id=2147483647",
  level: 'fatal', new: true, score: 50, windowCount: 412, baseline: 0, ratio: 4120, hosts: 9, hostsTotal: 12,
  telling: [INT32], common: { table: 'listings' },
  samples: ['PHP Fatal error:  Uncaught PDOException: id=2147483647\nStack trace:\n#0 /srv/app/Listing.php(88): PDO->execute()'],
  perHost: { 'web-01': 50, 'web-02': 40, 'web-03': 30 },
});
const deadlock = signatureView({ id: 'deadlk', template: 'Deadlock found when trying to get lock', score: 1 });

afterEach(() => cleanup());

describe('banner', () => {
  const cases: Array<[VerdictLevel, string]> = [
    ['ok', 'OK'], ['watch', 'WATCH'], ['roll-forward', 'ROLL FORWARD'], ['revert', 'REVERT'], ['stop', '■ STOP PUSHING ■'],
  ];
  it.each(cases)('shows %s as %s with its reason', (level, label) => {
    const handle = handleWith([], { level, reason: `Reason for ${level}.`, attribution: level === 'ok' ? 'none' : 'deploy', deploy: level === 'ok' ? null : 3 });
    const { lastFrame } = render(<App handle={handle} noColor={false} />);
    expect(lastFrame()).toContain(` ${label}  Reason for ${level}.`);
  });

  it('counts down a roll-forward on the event clock and names the deploy', () => {
    const handle = handleWith([], { level: 'roll-forward', reason: 'New error after deploy #3.', attribution: 'deploy', deploy: 3, countdownEndsAt: T0 + 432_000 });
    const { lastFrame } = render(<App handle={handle} noColor={false} />);
    expect(lastFrame()).toContain('caused by deploy #3 website abc123 by sam (2m 10s ago) · revert in 7m 12s unless it stops');
  });

  it('says "not a deploy" with the incident headline and telling values', () => {
    const handle = handleWith([overflow], {
      level: 'stop', reason: 'Ids crossed 2147483647 on 9 of 12 hosts.', attribution: 'none', deploy: null,
      headline: 'listings.id overflow', telling: [INT32],
    });
    const frame = render(<App handle={handle} noColor={false} />).lastFrame() ?? '';
    expect(frame).toContain('STOP PUSHING');
    expect(frame).toContain('not a deploy: reverting will not help');
    expect(frame).toContain('listings.id overflow · 2147483647 = INT32_MAX: signed 32-bit overflow');
  });
});

describe('header', () => {
  it('shows hosts, rate, the last deploy with its age and window, on snapshot time', () => {
    const { lastFrame } = renderSized(<App handle={handleWith([])} noColor={false} title="int32-overflow" />, { columns: 130, rows: 24 });
    expect(lastFrame()).toContain('logwatch int32-overflow · deploy #3 website abc123 by sam 2m 10s ago (in window, 7m 50s left) · 12 hosts · 340 lines/s · replay');
  });

  it('says when the deploy window is over and when no deploy is known', () => {
    const handle = handleWith([]);
    handle.state = { ...handle.state, at: T0 + 600_000 };
    expect(render(<App handle={handle} noColor={false} />).lastFrame()).toContain('deploy #3 website abc123 by sam 12m 10s ago (window over)');
    handle.state = { ...handle.state, deploys: [] };
    expect(render(<App handle={handle} noColor={false} />).lastFrame()).toContain('no deploy yet · rolling baseline');
  });
});

describe('signature table', () => {
  it('says whether no errors were seen at all or only older than the hour it covers', () => {
    const none = handleWith([]);
    expect(render(<App handle={none} noColor={false} />).lastFrame()).toContain('No errors seen yet.');
    const old = handleWith([]);
    old.state = { ...old.state, stats: { ...old.state.stats, records: 4215 } };
    expect(render(<App handle={old} noColor={false} />).lastFrame()).toContain('No errors in the last hour of event time (4215 older records read).');
  });

  it('ranks by score and shows NEW, counts, ratio, hosts and the telling value', () => {
    const { lastFrame } = render(<App handle={handleWith([deadlock, overflow])} noColor={false} />);
    const lines = (lastFrame() ?? '').split('\n');
    const first = lines.findIndex((line) => line.includes('SQLSTATE[22003]'));
    const second = lines.findIndex((line) => line.includes('Deadlock found'));
    expect(first).toBeGreaterThan(-1);
    expect(second).toBeGreaterThan(first);
    expect(lines[first]).toMatch(/› FATAL NEW +412 +0 +×4120 +9\/12 /);
    // The template is longer than its cell: the telling value is moved into view.
    expect(lines[first]).toContain('2147483647 │ SQLSTATE[22003]');
  });

  it('leaves a template that fits as it is, telling value inline', () => {
    const short = signatureView({ id: 'short', template: 'id=2147483647 overflow', telling: [INT32], score: 5 });
    const { lastFrame } = render(<App handle={handleWith([short])} noColor={false} />);
    expect(lastFrame()).toMatch(/ id=2147483647 overflow/);
    expect(lastFrame()).not.toContain('2147483647 │');
  });

  it('keeps the footer counters of lost lines and evicted signatures in view', () => {
    const { lastFrame } = render(<App handle={handleWith([overflow])} noColor={false} />);
    expect(lastFrame()).toContain('dropped 2 · cut 5 · evicted 1');
    expect(lastFrame()).not.toContain('ahead of clock');
  });

  it('says in the footer how many lines were stamped ahead of the clock and counted on arrival, once there are any', () => {
    const handle = handleWith([overflow]);
    handle.state = { ...handle.state, stats: { ...handle.state.stats, ahead: 1234 } };
    const { lastFrame } = renderSized(<App handle={handle} noColor={false} />, { columns: 160, rows: 30 });
    expect(lastFrame()).toContain('evicted 1 · 1234 ahead of clock, counted on arrival');
  });
});

describe('keys', () => {
  it('opens the detail of the selected row with samples, stack lines, hosts and common values', async () => {
    const { lastFrame, stdin } = render(<App handle={handleWith([overflow, deadlock])} noColor={false} />);
    stdin.write('\r');
    const frame = await waitForFrame(lastFrame, expectContains('samples'));
    expect(frame).toContain('• PHP Fatal error:  Uncaught PDOException: id=2147483647');
    expect(frame).toContain('    Stack trace:');
    expect(frame).toContain('    #0 /srv/app/Listing.php(88): PDO->execute()');
    expect(frame).toContain('hosts 9/12: web-01 50  web-02 40  web-03 30');
    expect(frame).toContain('every line: table=listings');
    expect(frame).toContain('2147483647 = INT32_MAX: signed 32-bit overflow');
    expect(frame).toMatch(/timeline .*█/);
    stdin.write(ESC);
    await waitForFrame(lastFrame, (f) => expect(f).toContain('SIGNATURE'));
  });

  it('moves down with the arrow key before opening the detail', async () => {
    const { lastFrame, stdin } = render(<App handle={handleWith([overflow, deadlock])} noColor={false} />);
    stdin.write(DOWN);
    await waitForFrame(lastFrame, (f) => expect(f).toMatch(/› .*Deadlock found/));
    stdin.write('\r');
    await waitForFrame(lastFrame, (f) => expect(f).toMatch(/deadlk · 12 in window/));
  });

  it('filters templates case-insensitively after / and Enter, and Esc clears', async () => {
    const { lastFrame, stdin } = render(<App handle={handleWith([overflow, deadlock])} noColor={false} />);
    stdin.write('/');
    await waitForFrame(lastFrame, expectContains('filter: ▏'));
    stdin.write('DEADLOCK');
    await waitForFrame(lastFrame, expectContains('filter: DEADLOCK▏'));
    stdin.write('\r');
    const filtered = await waitForFrame(lastFrame, expectContains('filter "DEADLOCK"'));
    expect(filtered).toContain('Deadlock found');
    expect(filtered).not.toContain('SQLSTATE');
    stdin.write(ESC);
    await waitForFrame(lastFrame, expectContains('SQLSTATE[22003]'));
  });

  it('p freezes the shown snapshot and says PAUSED; p again shows the present', async () => {
    const handle = handleWith([overflow]);
    const { lastFrame, stdin } = render(<App handle={handle} noColor={false} />);
    stdin.write('p');
    await waitForFrame(lastFrame, expectContains('PAUSED'));
    handle.state = { ...handle.state, verdict: { ...handle.state.verdict, level: 'revert', reason: 'Revert deploy #3.' } };
    // Several poll intervals pass without the new verdict reaching the screen.
    await new Promise((resolve) => setTimeout(resolve, 350));
    expect(lastFrame()).not.toContain('REVERT');
    stdin.write('p');
    await waitForFrame(lastFrame, expectContains('REVERT  Revert deploy #3.'));
    expect(lastFrame()).not.toContain('PAUSED');
  });

  it('picks up new snapshots by polling', async () => {
    const handle = handleWith([]);
    const { lastFrame } = render(<App handle={handle} noColor={false} />);
    handle.state = { ...handle.state, signatures: [deadlock] };
    await waitForFrame(lastFrame, expectContains('Deadlock found'));
  });

  it('d marks a deploy as the current user and confirms it in the footer', async () => {
    const handle = handleWith([]);
    const { lastFrame, stdin } = render(<App handle={handle} noColor={false} />);
    stdin.write('d');
    await waitForFrame(lastFrame, expectContains('marked deploy #2 website by'));
    expect(handle.deployRequests).toEqual([{ by: os.userInfo().username }]);
  });

  it('? shows the help until the next key', async () => {
    const { lastFrame, stdin } = render(<App handle={handleWith([overflow])} noColor={false} />);
    stdin.write('?');
    await waitForFrame(lastFrame, expectContains('mark a deploy now, as you'));
    stdin.write('x');
    await waitForFrame(lastFrame, (f) => expect(f).not.toContain('mark a deploy now'));
  });
});

describe('terminal sizes', () => {
  it('drops to level + count + template below 60 columns, no line wider than the terminal', () => {
    const { lastFrame } = renderSized(<App handle={handleWith([overflow, deadlock])} noColor={false} />, { columns: 50, rows: 24 });
    const frame = lastFrame();
    expect(frame).toMatch(/› FATAL +412 2147483647 │ SQLSTATE/);
    expect(frame).not.toContain('RATIO');
    expect(Math.max(...lineWidths(frame))).toBeLessThanOrEqual(50);
  });

  it('renders without crashing down to 10x3', () => {
    for (const [columns, rows] of [[10, 3], [20, 6], [59, 10], [1, 1]] as const) {
      const { lastFrame, unmount } = renderSized(<App handle={handleWith([overflow])} noColor={false} />, { columns, rows });
      expect(lastFrame().split('\n').length).toBeLessThanOrEqual(Math.max(1, rows - 1));
      unmount();
    }
  });

  it('never draws a frame taller than rows - 1 with 200 signatures, in the table, detail and help', async () => {
    const many = Array.from({ length: 200 }, (_, i) => signatureView({ id: `s${i}`, score: 200 - i, template: `Error number ${i} in module` }));
    const handle = handleWith(many, { level: 'stop', reason: 'Everything is on fire.', attribution: 'none', headline: 'fire', telling: [INT32] });
    const { frames, stdin, lastFrame } = renderSized(<App handle={handle} noColor={false} />, { columns: 80, rows: 20 });
    expect(lastFrame()).toContain('… 191 more');
    for (let i = 0; i < 30; i++) stdin.write('j');
    await waitForFrame(lastFrame, (f) => expect(f).toMatch(/› .*Error number 30 in module/));
    stdin.write('\r');
    await waitForFrame(lastFrame, expectContains('s30 ·'));
    stdin.write('?');
    await waitForFrame(lastFrame, expectContains('keys'));
    for (const frame of frames) expect(frame.split('\n').length).toBeLessThanOrEqual(19);
  });

  it('follows a resize from 120 to 60 columns', async () => {
    const { stdout, lastFrame } = renderSized(<App handle={handleWith([overflow])} noColor={false} />, { columns: 120, rows: 24 });
    expect(Math.max(...lineWidths(lastFrame()))).toBeGreaterThan(60);
    stdout.resize(60, 24);
    await waitForFrame(lastFrame, (f) => expect(Math.max(...lineWidths(f))).toBeLessThanOrEqual(60));
  });

  it('says keys are off when stdin is not a terminal, and renders anyway', () => {
    const { lastFrame } = renderSized(<App handle={handleWith([overflow])} noColor={false} />, { columns: 80, rows: 24, stdinIsTTY: false });
    expect(lastFrame()).toContain('keys off: stdin is not a terminal · Ctrl+C quits');
  });
});

describe('hostile text', () => {
  const hostile = 'tab\there boom \u001b[2J\u001b]0;pwned\u0007 over\rwrite \u0007bell';
  const handle = () => handleWith([signatureView({ id: 'evil', template: hostile, samples: [`${hostile}\n#0 \u001b[31mred`], score: 9 })],
    { level: 'watch', reason: `New: ${hostile}`, attribution: 'none' });

  it('is escaped visibly in the table and the banner, never passed to the terminal', () => {
    const frame = render(<App handle={handle()} noColor={false} />).lastFrame() ?? '';
    expect(frame).toContain('tab here boom \\x1b[2J\\x1b]0;pwned\\x07 over');
    expect(frame).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
  });

  it('is escaped in the detail view, stack lines included', async () => {
    const { lastFrame, stdin } = render(<App handle={handle()} noColor={false} />);
    stdin.write('\r');
    const frame = await waitForFrame(lastFrame, expectContains('samples'));
    expect(frame).toContain('#0 \\x1b[31mred');
    expect(frame).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
  });
});
