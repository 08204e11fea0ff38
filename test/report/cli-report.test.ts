/**
 * `logwatch replay DIR --report FILE` on every bundled fixture: the report carries the fixture's
 * key facts (deploy ids, the verdicts the same run printed, its scenario's expectations met) in
 * each form, and a bad extension is refused before anything is replayed.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Verdict } from '../../src/detect/model.js';
import type { IncidentReport } from '../../src/report/model.js';
import { checkExpectations } from '../../src/sim/expectations.js';
import { readFixture } from '../../src/tail/fixture.js';
import { REPO, runCli, tempDir } from '../support/cli.js';

type Event = Record<string, unknown> & { type: string; at: string };

const FIXTURES = path.join(REPO, 'fixtures');
const fixtureNames = readdirSync(FIXTURES, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name);

async function replayWithReport(name: string, file: string): Promise<{ events: Event[]; path: string }> {
  const out = path.join(tempDir('logwatch-report-'), file);
  const result = await runCli(['replay', path.join(FIXTURES, name), '--json', '--report', out]);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  return { events: result.stdout.trim().split('\n').map((line) => JSON.parse(line) as Event), path: out };
}

const clock = (iso: string): string => iso.slice(11, 19);

describe('replay --report', () => {
  it.each(fixtureNames)('%s: the JSON report holds its deploys, verdicts and expectations', async (name) => {
    const fixture = await readFixture(path.join(FIXTURES, name));
    const { events, path: file } = await replayWithReport(name, 'review.json');
    const report = JSON.parse(readFileSync(file, 'utf8')) as IncidentReport;
    expect(report.format).toBe('logwatch-incident-report');
    expect(report.version).toBe(1);
    expect(report.name).toBe(name);
    expect(report.deploys.map((d) => d.id)).toEqual(fixture.deploys.map((_, i) => i + 1));
    expect(report.deploys.map((d) => Date.parse(d.at))).toEqual(fixture.deploys.map((d) => d.at));
    const printed = events.filter((e) => e.type === 'verdict');
    expect(report.verdicts.map((v) => `${v.at} ${v.level} ${v.deploy}`)).toEqual(printed.map((v) => `${v.at} ${String(v['level'])} ${String(v['deploy'])}`));
    const asVerdicts = report.verdicts.map((v) => ({ ...v, at: Date.parse(v.at), signatures: [] }) as unknown as Verdict);
    // Telling values live in the signatures too; the report keeps the verdict's own list, which must suffice.
    expect(checkExpectations(fixture.scenario, asVerdicts)).toEqual([]);
    const timelineTimes = report.timeline.map((t) => t.at);
    expect(timelineTimes).toEqual([...timelineTimes].sort());
    expect(report.timeline.filter((t) => t.kind === 'deploy')).toHaveLength(fixture.deploys.length);
    const action = report.verdicts.find((v) => ['roll-forward', 'revert', 'stop'].includes(v.level));
    if (action === undefined) {
      expect(report.detection).toBeNull();
    } else {
      expect(report.detection?.detectedAt).toBe(action.at);
      expect(report.detection?.ms).toBe(Date.parse(action.at) - Date.parse(report.detection!.onset));
      expect(report.headline).toBe(report.verdicts.find((v) => v.level === report.worst)?.headline ?? report.verdicts.find((v) => v.level === report.worst)?.reason);
    }
  }, 60_000);

  it('int32-overflow: Markdown with its SVG chart, deploy #1, the stop verdict and 2147483647', async () => {
    const { events, path: file } = await replayWithReport('int32-overflow', 'review.md');
    const stop = events.find((e) => e.type === 'verdict' && e['level'] === 'stop')!;
    const detectedIn = (Date.parse(stop.at) - Date.parse('2026-11-23T14:08:23Z')) / 1000;
    const markdown = readFileSync(file, 'utf8');
    const svg = readFileSync(file.replace(/\.md$/, '.svg'), 'utf8');
    expect(markdown).toContain('![Records per 10 s with deploys as vertical lines](review.svg)');
    expect(markdown).toMatch(/\| #1 \| 2026-11-23T13:36:00.000Z \| website \| a0f1d7a \| dana \|/);
    expect(markdown).toContain(`| ${clock(stop.at)} | **stop** | not a deploy |`);
    expect(markdown).toContain('**STOP PUSHING**');
    expect(markdown).toContain('2147483647');
    expect(markdown).toContain(`Time to detection: **${detectedIn} s** (onset 2026-11-23T14:08:23.000Z, the scenario's incident start; stop at ${stop.at})`);
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(svg.match(/<line class="deploy"/g)).toHaveLength(1);
    expect(svg).toContain('>#1</text>');
  }, 60_000);

  it('fatal-deploy: HTML with the revert attributed to deploy #1 and both deploy lines', async () => {
    const { path: file } = await replayWithReport('fatal-deploy', 'review.html');
    const html = readFileSync(file, 'utf8');
    expect(html).toMatch(/<tr data-level="revert"><td><code>16:36:\d\d<\/code><\/td><td><span class="pill lvl-revert">revert<\/span><\/td><td>#1<\/td>/);
    expect(html.match(/<line class="deploy"/g)).toHaveLength(2);
    expect(html).not.toMatch(/<script|<link|src="http/);
  }, 60_000);

  it('refuses an unknown extension before replaying, listing the formats', async () => {
    const out = path.join(tempDir('logwatch-report-'), 'review.pdf');
    const result = await runCli(['replay', path.join(FIXTURES, 'int32-overflow'), '--report', out]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain('.html, .md or .json');
    expect(existsSync(out)).toBe(false);
  });
});
