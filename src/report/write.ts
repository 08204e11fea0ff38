/**
 * The report sink: chooses the form by the file's extension, collects a run's published events
 * while it runs, and writes the review when it ends.
 */
import { writeFile } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';
import type { Observable, Subscription } from 'rxjs';
import type { DetectorSnapshot } from '../detect/model.js';
import type { LogwatchEvent } from '../pipeline/events.js';
import { renderHtml } from './html.js';
import { renderMarkdown } from './markdown.js';
import { buildReport, type IncidentReport, type ReportInput } from './model.js';
import { renderChart } from './svg.js';

export type ReportFormat = 'html' | 'md' | 'json';
export const REPORT_FORMATS: readonly ReportFormat[] = ['html', 'md', 'json'];

export class ReportFormatError extends Error {
  // A usage error for the CLI: the user named the file.
  override readonly name = 'UsageError';
}

/** The form named by `path`'s extension (case-insensitive); throws a one-line error listing the forms. */
export function reportFormatOf(path: string): ReportFormat {
  const extension = extname(path).slice(1).toLowerCase();
  const format = REPORT_FORMATS.find((f) => f === extension);
  if (format === undefined) {
    const got = extension === '' ? 'no extension' : `".${extension}"`;
    throw new ReportFormatError(`--report ${path}: ${got} is not a report format; use a file ending in .html, .md or .json`);
  }
  return format;
}

/** Signatures whose counts are followed through the run: the incident's, with room for a few more. */
const FOLLOWED_SIGNATURES_CAP = 20;
/** Signatures followed besides the verdicts' own: the snapshot's highest scored. */
const FOLLOW_TOP = 5;

/**
 * Collects every published event of a run, and the counts per bucket of the signatures that
 * matter: a snapshot's sparklines cover only the last few minutes, so they are sampled at every
 * verdict and stats event (each minute of event time in replay) and stitched over the whole run.
 */
export class ReportCollector {
  readonly events: LogwatchEvent[] = [];
  /** Signature id → bucket start (ms) → count; capped at FOLLOWED_SIGNATURES_CAP signatures. */
  private readonly bucketCounts = new Map<string, Map<number, number>>();
  private readonly named = new Set<string>();
  private readonly subscription: Subscription;

  constructor(events: Observable<LogwatchEvent>, private readonly snapshot: () => DetectorSnapshot) {
    this.subscription = events.subscribe((event) => {
      this.events.push(event);
      if (event.type === 'verdict') for (const s of event.signatures) this.named.add(s.id);
      if (event.type === 'verdict' || event.type === 'stats') this.sample(this.snapshot());
    });
  }

  finish(about: Omit<ReportInput, 'events' | 'snapshot' | 'bucketCounts'>): IncidentReport {
    this.subscription.unsubscribe();
    const snapshot = this.snapshot();
    this.sample(snapshot);
    return buildReport({ ...about, events: this.events, snapshot, bucketCounts: this.bucketCounts });
  }

  private sample(snapshot: DetectorSnapshot): void {
    const top = [...snapshot.signatures].sort((a, b) => b.score - a.score).slice(0, FOLLOW_TOP).map((s) => s.id);
    const wanted = new Set([...this.named, ...top]);
    const { bucketMs } = snapshot.rate;
    const lastStart = Math.floor(snapshot.at / bucketMs) * bucketMs;
    for (const view of snapshot.signatures) {
      if (!wanted.has(view.id)) continue;
      let counts = this.bucketCounts.get(view.id);
      if (counts === undefined) {
        if (this.bucketCounts.size >= FOLLOWED_SIGNATURES_CAP) continue;
        counts = new Map();
        this.bucketCounts.set(view.id, counts);
      }
      // Sparkline i covers the bucket (length - 1 - i) buckets before the current one.
      view.sparkline.forEach((count, i) => counts.set(lastStart - (view.sparkline.length - 1 - i) * bucketMs, count));
    }
  }
}

/** Writes the report; Markdown also writes its chart as `<name>.svg` beside it. Returns the paths written. */
export async function writeReport(path: string, report: IncidentReport): Promise<string[]> {
  const format = reportFormatOf(path);
  if (format === 'json') {
    await writeFile(path, `${JSON.stringify(report, null, 2)}\n`);
    return [path];
  }
  if (format === 'html') {
    await writeFile(path, renderHtml(report));
    return [path];
  }
  const chartName = `${basename(path, extname(path))}.svg`;
  const chartPath = join(dirname(path), chartName);
  await writeFile(chartPath, `${renderChart(report)}\n`);
  await writeFile(path, renderMarkdown(report, chartName));
  return [path, chartPath];
}
