/**
 * What a running pipeline (watch or replay) offers the sinks: TUI, feed, NDJSON, report.
 * Sinks read state and events through this and never reach into detection.
 */
import type { Observable } from 'rxjs';
import type { Deploy, DetectorSnapshot } from '../detect/model.js';
import type { LogwatchEvent, StatsEvent } from './events.js';

/** Counters of the record path, as in the `stats` event, plus the current input rate. */
export interface PipelineStats extends Omit<StatsEvent, 'type' | 'at'> {
  /** Lines per second over the last few seconds of wall time. */
  linesPerSecond: number;
}

export interface PipelineSnapshot extends DetectorSnapshot {
  mode: 'watch' | 'replay';
  stats: PipelineStats;
  /** True once a replay has read all of its input. */
  finished: boolean;
}

/** A deploy as a person or tool announces it; time defaults to now on the pipeline's clock. */
export interface DeployRequest {
  app?: string;
  version?: string;
  by?: string;
  /** Event time, ms since the epoch. */
  at?: number;
}

export interface PipelineHandle {
  /** Every event as it happens (hot: late subscribers miss earlier events; use snapshot()). */
  readonly events: Observable<LogwatchEvent>;
  /** The current state; cheap enough to call ~10 times a second. */
  snapshot(): PipelineSnapshot;
  /** Injects a deploy marker (TUI `d`, POST /api/deploys, WebSocket `deploy`). */
  markDeploy(request: DeployRequest): Deploy;
  /** Stops reading, flushes, emits the last stats event, completes `events`. */
  stop(): Promise<void>;
}
