/**
 * The report renderers on hand-made data: hostile log text never becomes markup, the chart draws
 * what it is given (deploys inside its span as labelled lines, one rate point per bucket), the
 * bursts and time to detection follow the verdicts, and a bad extension names the formats.
 */
import { describe, expect, it } from 'vitest';
import type { DetectorSnapshot, Verdict, VerdictSignature } from '../../src/detect/model.js';
import type { LogwatchEvent } from '../../src/pipeline/events.js';
import { renderHtml } from '../../src/report/html.js';
import { renderMarkdown } from '../../src/report/markdown.js';
import { buildReport } from '../../src/report/model.js';
import { renderChart } from '../../src/report/svg.js';
import { reportFormatOf } from '../../src/report/write.js';

const T0 = Date.parse('2026-11-23T14:00:00Z');
const HOSTILE = 'Undefined index: <script>alert(1)</script> \x1b[2J\u202e | *bold* & "q"';

const signature = (id: string, template: string, count: number, isNew = true): VerdictSignature => ({
  id, template, level: 'fatal', count, baseline: 0.5, hosts: 3, hostsTotal: 4, new: isNew,
  telling: [], common: {}, samples: [template],
});

function verdictEvent(atMs: number, level: Verdict['level'], signatures: VerdictSignature[], deploy: number | null): LogwatchEvent {
  return {
    type: 'verdict', at: new Date(atMs).toISOString(), level, reason: `${level}: ${signatures[0]?.template ?? 'quiet'}`,
    attribution: deploy === null ? 'none' : 'deploy', deploy, signatures, evidence: { statistic: 'lines', value: 9, threshold: 3 },
    telling: [], headline: null, countdownEndsAt: null, resolvedBy: null,
  };
}

function snapshot(): DetectorSnapshot {
  const counts = Array.from({ length: 36 }, (_, i) => (i >= 20 && i < 26 ? 30 : 2));
  return {
    at: T0 + 360_000,
    verdict: { at: T0, level: 'ok', reason: 'ok', attribution: 'none', deploy: null, signatures: [], evidence: { statistic: 'x', value: 0, threshold: 0 }, telling: [], headline: null, countdownEndsAt: null, resolvedBy: null },
    deploys: [{ id: 1, at: T0 + 180_000, app: 'website', version: 'abc123', by: 'sam' }, { id: 2, at: T0 - 600_000, app: 'website' }],
    signatures: [],
    rate: { bucketMs: 10_000, end: T0 + 360_000, counts },
    hostsTotal: 4,
    evicted: 0,
  };
}

function hostileReport() {
  const bad = signature('deadbeef', HOSTILE, 40);
  const events: LogwatchEvent[] = [
    { type: 'deploy', at: new Date(T0 + 180_000).toISOString(), id: 1, app: 'website', version: 'abc123', by: 'sam' },
    { type: 'signature', at: new Date(T0 + 195_000).toISOString(), id: 'deadbeef', template: HOSTILE, level: 'fatal', host: 'web-01', new: true, telling: [] },
    verdictEvent(T0 + 201_000, 'watch', [bad], 1),
    verdictEvent(T0 + 205_000, 'revert', [bad], 1),
    verdictEvent(T0 + 260_000, 'ok', [], null),
  ];
  return buildReport({ name: 'hostile <b>', description: 'a & b', events, snapshot: snapshot() });
}

describe('report model', () => {
  it('measures time to detection from the first sighting, or from the scenario when given', () => {
    const report = hostileReport();
    expect(report.worst).toBe('revert');
    expect(report.detection).toEqual({ onset: new Date(T0 + 195_000).toISOString(), onsetFrom: 'firstSeen', detectedAt: new Date(T0 + 205_000).toISOString(), level: 'revert', ms: 10_000 });
    const events = [verdictEvent(T0 + 205_000, 'stop', [signature('a', 'x', 9)], null)];
    const fromScenario = buildReport({ name: 'n', description: 'd', events, snapshot: snapshot(), incidentStart: T0 + 200_000 });
    expect(fromScenario.detection?.ms).toBe(5_000);
    expect(fromScenario.detection?.onsetFrom).toBe('incidentStart');
  });

  it('has one burst per signature from its onset to the next ok verdict, and orders the timeline', () => {
    const report = hostileReport();
    expect(report.bursts).toEqual([{ signature: 'deadbeef', template: HOSTILE, start: new Date(T0 + 195_000).toISOString(), detected: new Date(T0 + 201_000).toISOString(), end: new Date(T0 + 260_000).toISOString(), peakCount: 40 }]);
    expect(report.timeline.map((t) => t.kind)).toEqual(['deploy', 'deploy', 'burst', 'verdict', 'verdict', 'verdict']);
    expect(report.deploys.map((d) => d.id)).toEqual([2, 1]);
  });

  it('says there was no incident when nothing asked for action', () => {
    const report = buildReport({ name: 'n', description: 'd', events: [verdictEvent(T0, 'watch', [signature('a', 'x', 2)], null)], snapshot: snapshot() });
    expect(report.headline).toMatch(/^No incident/);
    expect(report.detection).toBeNull();
  });
});

describe('report renderers', () => {
  it('HTML shows hostile text as escaped, visible text', () => {
    const html = renderHtml(hostileReport());
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('\x1b');
    expect(html).not.toContain('\u202e');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; \\x1b[2J\\u202e | *bold* &amp; &quot;q&quot;');
    expect(html).toContain('<title>Incident review: hostile &lt;b&gt;</title>');
  });

  it('Markdown keeps hostile text out of the table structure and markup', () => {
    const markdown = renderMarkdown(hostileReport(), 'review.svg');
    // Raw text only inside indented code blocks, which Markdown shows literally.
    for (const line of markdown.split('\n').filter((l) => l.includes('<script>'))) expect(line).toMatch(/^ {4}/);
    expect(markdown).not.toContain('\x1b');
    expect(markdown).toContain('&lt;script&gt;alert(1)&lt;/script&gt; \\\\x1b\\[2J\\\\u202e \\| \\*bold\\* &amp; "q"');
    const timeline = markdown.slice(markdown.indexOf('## Timeline'), markdown.indexOf('## Verdicts'));
    const rows = timeline.split('\n').filter((line) => line.startsWith('| 14:0'));
    expect(rows).toHaveLength(5);
    // Three cells: the hostile `|` is escaped, so it splits nothing.
    for (const row of rows) expect(row.split(/(?<!\\)\|/)).toHaveLength(5);
  });

  it('the chart draws one point per bucket and only the deploys inside its span, labelled', () => {
    const svg = renderChart(hostileReport());
    const points = /<polyline class="rate"[^>]*points="([^"]+)"/.exec(svg)?.[1]?.split(' ');
    expect(points).toHaveLength(36);
    expect(svg.match(/<line class="deploy"/g)).toHaveLength(1);
    expect(svg).toContain('>#1</text>');
    expect(svg).not.toContain('>#2</text>');
    expect(svg).toContain('>14:00:00</text>');
    // The tallest buckets (30) sit at the top of the plot, the quiet ones (2) near the bottom.
    const ys = points!.map((p) => Number(p.split(',')[1]));
    expect(Math.min(...ys)).toBe(ys[20]);
  });

  it('names the formats for an unknown extension', () => {
    expect(reportFormatOf('a/review.HTML')).toBe('html');
    expect(reportFormatOf('review.md')).toBe('md');
    expect(() => reportFormatOf('review.pdf')).toThrow('--report review.pdf: ".pdf" is not a report format; use a file ending in .html, .md or .json');
    expect(() => reportFormatOf('review')).toThrow(/no extension/);
  });
});
