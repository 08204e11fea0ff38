/**
 * A PipelineHandle driven by the test: set the snapshot, push events. Lets the sinks (TUI, feed)
 * be tested without running a pipeline.
 */
import { Subject } from 'rxjs';
import type { Deploy, SignatureView, Verdict } from '../../src/detect/model.js';
import type { LogwatchEvent } from '../../src/pipeline/events.js';
import type { DeployRequest, PipelineHandle, PipelineSnapshot } from '../../src/pipeline/handle.js';

export const T0 = Date.parse('2026-11-23T14:00:00Z');

export function okVerdict(at = T0): Verdict {
  return {
    at, level: 'ok', reason: 'No error above its baseline.', attribution: 'none', deploy: null,
    signatures: [], evidence: { statistic: 'none', value: 0, threshold: 0 }, telling: [],
    headline: null, countdownEndsAt: null, resolvedBy: null,
  };
}

export function signatureView(overrides: Partial<SignatureView> = {}): SignatureView {
  return {
    id: 'a1b2c3d4', template: 'PHP Warning: Undefined array key <STR> in <PATH> on line <NUM>',
    level: 'warning', new: false, firstSeen: T0 - 600_000, lastSeen: T0, windowCount: 12,
    baseline: 10, ratio: 1.2, score: 0.1, hosts: 3, hostsTotal: 12,
    sparkline: [1, 2, 1, 0, 3, 2], telling: [], common: {}, samples: ['Undefined array key "x"'],
    perHost: { 'web-01': 5, 'web-02': 4, 'web-03': 3 }, ...overrides,
  };
}

export function emptySnapshot(at = T0): PipelineSnapshot {
  return {
    at, mode: 'replay', finished: false, verdict: okVerdict(at), deploys: [], signatures: [],
    rate: { bucketMs: 10_000, end: at, counts: [] }, hostsTotal: 0, evicted: 0,
    stats: {
      lines: 0, records: 0, dropped: 0, truncated: 0, signatures: 0, hosts: 0, files: 0,
      untimed: 0, ahead: 0, evicted: 0, unannounced: 0, errors: 0, linesPerSecond: 0,
    },
  };
}

export class FakeHandle implements PipelineHandle {
  readonly subject = new Subject<LogwatchEvent>();
  readonly events = this.subject.asObservable();
  readonly deployRequests: DeployRequest[] = [];
  state: PipelineSnapshot = emptySnapshot();
  stopped = false;

  snapshot(): PipelineSnapshot {
    return this.state;
  }

  emit(event: LogwatchEvent): void {
    this.subject.next(event);
  }

  markDeploy(request: DeployRequest): Deploy {
    this.deployRequests.push(request);
    const deploy: Deploy = { id: this.state.deploys.length + 1, at: request.at ?? this.state.at, app: request.app ?? 'website' };
    if (request.version !== undefined) deploy.version = request.version;
    if (request.by !== undefined) deploy.by = request.by;
    this.state = { ...this.state, deploys: [...this.state.deploys, deploy] };
    return deploy;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.subject.complete();
  }
}
