/**
 * GET /metrics: the pipeline's counters and verdict in Prometheus text, read from one snapshot
 * per scrape. Uses its own Registry (never prom-client's global one) so several feeds, or a host
 * application's own metrics, cannot collide.
 */
import { Counter, Gauge, Registry } from 'prom-client';
import { VERDICT_LEVELS } from '../detect/model.js';
import type { PipelineHandle, PipelineSnapshot, PipelineStats } from '../pipeline/handle.js';
import type { HubCounters } from './hub.js';

/** Signatures exported with labels: the highest-scoring ones, so label cardinality stays bounded. */
export const METRIC_SIGNATURES_MAX = 20;
/** Templates are cut to this many characters in the `template` label. */
export const METRIC_TEMPLATE_CHARS = 160;

export interface FeedMetrics {
  readonly contentType: string;
  render(): Promise<string>;
}

type CountedStat = 'lines' | 'records' | 'dropped' | 'truncated' | 'untimed' | 'ahead' | 'evicted' | 'errors';

const COUNTERS: Record<CountedStat, string> = {
  lines: 'Log lines read.',
  records: 'Log records (lines joined with their continuation lines).',
  dropped: 'Lines or bytes skipped entirely.',
  truncated: 'Lines cut at the line cap.',
  untimed: 'Records without a parseable time (arrival time used).',
  ahead: 'Records whose time was too far ahead of their arrival (arrival time used).',
  evicted: 'Signatures evicted by the signature cap.',
  errors: 'Read or watch errors.',
};

export function createFeedMetrics(handle: PipelineHandle, hubCounters: () => HubCounters): FeedMetrics {
  const registry = new Registry();
  let scraped: PipelineSnapshot = handle.snapshot();
  const stats = (): PipelineStats => scraped.stats;

  for (const [stat, help] of Object.entries(COUNTERS) as [CountedStat, string][]) {
    new Counter({
      name: `logwatch_${stat}_total`, help, registers: [registry],
      collect() { this.reset(); this.inc(stats()[stat]); },
    });
  }
  gauge(registry, 'logwatch_signatures', 'Signatures currently known.', () => stats().signatures);
  gauge(registry, 'logwatch_hosts', 'Hosts known.', () => stats().hosts);
  gauge(registry, 'logwatch_files', 'Files followed.', () => stats().files);
  gauge(registry, 'logwatch_lines_per_second', 'Input rate over the last few seconds.', () => stats().linesPerSecond);
  gauge(registry, 'logwatch_deploys', 'Deploy markers seen in this run.', () => scraped.deploys.length);
  gauge(registry, 'logwatch_verdict_level', `Verdict as a number: ${VERDICT_LEVELS.map((level, i) => `${i}=${level}`).join(', ')}.`,
    () => VERDICT_LEVELS.indexOf(scraped.verdict.level));
  new Gauge({
    name: 'logwatch_verdict', help: 'The current verdict: 1 for its level, 0 for the others.', labelNames: ['level'],
    registers: [registry],
    collect() { for (const level of VERDICT_LEVELS) this.set({ level }, level === scraped.verdict.level ? 1 : 0); },
  });
  new Gauge({
    name: 'logwatch_signature_window_count',
    help: `Count in the current window of the ${METRIC_SIGNATURES_MAX} highest-scoring signatures.`,
    labelNames: ['signature', 'template'], registers: [registry],
    collect() {
      this.reset();
      for (const view of topSignatures(scraped)) {
        this.set({ signature: view.id, template: view.template.slice(0, METRIC_TEMPLATE_CHARS) }, view.windowCount);
      }
    },
  });
  gauge(registry, 'logwatch_feed_clients', 'WebSocket clients connected.', () => hubCounters().clients);
  new Counter({
    name: 'logwatch_feed_clients_terminated_total', help: 'WebSocket clients terminated for not reading or not answering pings.',
    registers: [registry], collect() { this.reset(); this.inc(hubCounters().terminated); },
  });

  return {
    contentType: registry.contentType,
    render() {
      scraped = handle.snapshot();
      return registry.metrics();
    },
  };
}

function gauge(registry: Registry, name: string, help: string, read: () => number): void {
  new Gauge({ name, help, registers: [registry], collect() { this.set(read()); } });
}

function topSignatures(snapshot: PipelineSnapshot): PipelineSnapshot['signatures'] {
  return [...snapshot.signatures].sort((a, b) => b.score - a.score).slice(0, METRIC_SIGNATURES_MAX);
}
