/**
 * The report's chart as a self-contained SVG string: the whole error rate per bucket as a
 * polyline, the top signatures' recent counts as thin lines, deploys as labelled vertical lines,
 * and time/count axes. Pure; every text it draws is XML-escaped.
 */
import type { IncidentReport } from './model.js';
import { escapeXml } from './escape.js';

const WIDTH = 960;
const HEIGHT = 320;
const MARGIN = { top: 28, right: 20, bottom: 36, left: 56 };
/** Time-axis ticks: about one per 120 px, so labels never overlap. */
const TIME_TICKS = 8;
const COUNT_TICKS = 4;
/** Signature line colours, distinct from the rate (dark) and deploy (blue) lines. */
const SERIES_COLOURS = ['#c0392b', '#d68910', '#7d3c98', '#148f77', '#a04000'];

export function renderChart(report: IncidentReport): string {
  const { rate } = report;
  const start = Date.parse(rate.start);
  const end = Date.parse(rate.end);
  const plotW = WIDTH - MARGIN.left - MARGIN.right;
  const plotH = HEIGHT - MARGIN.top - MARGIN.bottom;
  const span = Math.max(end - start, rate.bucketMs);
  const peak = Math.max(1, ...rate.counts);
  const x = (ms: number): number => MARGIN.left + ((ms - start) / span) * plotW;
  const y = (count: number): number => MARGIN.top + plotH - (count / peak) * plotH;
  const bucketX = (i: number, length: number): number => x(end - (length - i - 0.5) * rate.bucketMs);
  const points = (counts: number[]): string => counts.map((c, i) => `${fmt(bucketX(i, counts.length))},${fmt(y(c))}`).join(' ');

  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-label="Error rate with deploys" font-family="sans-serif" font-size="11">`,
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="#ffffff"/>`,
    `<text x="${MARGIN.left}" y="16" font-size="13" font-weight="bold" fill="#222">Records per ${rate.bucketMs / 1000} s (all signatures), deploys as blue lines</text>`,
    ...countAxis(peak, y),
    ...timeAxis(start, span, x, MARGIN.top + plotH),
  ];
  report.signatures.forEach((signature, i) => {
    if (signature.series.length === 0) return;
    parts.push(`<polyline class="signature" data-id="${escapeXml(signature.id)}" fill="none" stroke="${SERIES_COLOURS[i % SERIES_COLOURS.length]}" stroke-width="1.2" stroke-opacity="0.85" points="${points(signature.series)}"/>`);
  });
  parts.push(`<polyline class="rate" fill="none" stroke="#222" stroke-width="2" points="${points(rate.counts)}"/>`);
  for (const deploy of report.deploys) {
    const at = Date.parse(deploy.at);
    if (at < start || at > end) continue;
    const dx = fmt(x(at));
    parts.push(
      `<line class="deploy" x1="${dx}" x2="${dx}" y1="${MARGIN.top}" y2="${MARGIN.top + plotH}" stroke="#1f5fbf" stroke-width="1.5" stroke-dasharray="5 3"/>`,
      `<text x="${dx}" y="${MARGIN.top - 4}" text-anchor="middle" fill="#1f5fbf" font-weight="bold">#${deploy.id}</text>`,
    );
  }
  parts.push(...legend(report, MARGIN.top + plotH + 30));
  parts.push('</svg>');
  return parts.join('\n');
}

function countAxis(peak: number, y: (count: number) => number): string[] {
  const parts: string[] = [];
  for (let i = 0; i <= COUNT_TICKS; i++) {
    const count = Math.round((peak * i) / COUNT_TICKS);
    const ty = fmt(y(count));
    parts.push(
      `<line x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${ty}" y2="${ty}" stroke="#e5e5e5"/>`,
      `<text x="${MARGIN.left - 6}" y="${ty}" text-anchor="end" dominant-baseline="middle" fill="#555">${count}</text>`,
    );
  }
  return parts;
}

function timeAxis(start: number, span: number, x: (ms: number) => number, baseline: number): string[] {
  const parts = [`<line x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${baseline}" y2="${baseline}" stroke="#888"/>`];
  for (let i = 0; i <= TIME_TICKS; i++) {
    const at = start + (span * i) / TIME_TICKS;
    const tx = fmt(x(at));
    parts.push(
      `<line x1="${tx}" x2="${tx}" y1="${baseline}" y2="${baseline + 4}" stroke="#888"/>`,
      `<text x="${tx}" y="${baseline + 16}" text-anchor="middle" fill="#555">${new Date(at).toISOString().slice(11, 19)}</text>`,
    );
  }
  return parts;
}

/** Colour keys for the signature lines (ids only: templates are long and belong in the table). */
function legend(report: IncidentReport, ly: number): string[] {
  const parts = [`<text x="${MARGIN.left}" y="${ly}" fill="#222">— all records (UTC)</text>`];
  report.signatures.forEach((signature, i) => {
    if (signature.series.length === 0) return;
    parts.push(`<text x="${MARGIN.left + 130 + i * 110}" y="${ly}" fill="${SERIES_COLOURS[i % SERIES_COLOURS.length]}">— ${escapeXml(signature.id)}</text>`);
  });
  return parts;
}

const fmt = (n: number): string => n.toFixed(1);
