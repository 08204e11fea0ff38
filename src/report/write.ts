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

/** Collects every published event of a run, for the report written at its end. */
export class ReportCollector {
  readonly events: LogwatchEvent[] = [];
  private readonly subscription: Subscription;

  constructor(events: Observable<LogwatchEvent>) {
    this.subscription = events.subscribe((event) => this.events.push(event));
  }

  finish(snapshot: DetectorSnapshot, about: Omit<ReportInput, 'events' | 'snapshot'>): IncidentReport {
    this.subscription.unsubscribe();
    return buildReport({ ...about, events: this.events, snapshot });
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
