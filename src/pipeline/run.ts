/**
 * A running pipeline: an Engine fed by one merged RxJS stream of inputs, exposed to the sinks as a
 * PipelineHandle. Watch and replay build their input streams differently and share this.
 */
import { Subject, type Observable, type Subscription } from 'rxjs';
import type { Deploy } from '../detect/model.js';
import type { Engine, EngineInput } from './engine.js';
import type { LogwatchEvent } from './events.js';
import type { DeployRequest, PipelineHandle, PipelineSnapshot } from './handle.js';
import { RateMeter } from './rate-meter.js';

export interface RunOptions {
  mode: PipelineSnapshot['mode'];
  /** The clock's now: wall time live, the engine's virtual time in replay. */
  now: () => number;
  /** Called after the input stream completes (replay end) or when stop() is called. */
  onFinish?: () => void;
  /** Events before this event time (a replay's `--from`) build state but are not published. */
  quietBefore?: number;
  /** Inputs still on their way when stop() is called (batches at pre-signing workers): handled before the end, none lost. */
  pendingOnStop?: () => EngineInput[];
}

export class PipelineRun implements PipelineHandle {
  private readonly subject = new Subject<LogwatchEvent>();
  readonly events: Observable<LogwatchEvent> = this.subject.asObservable();
  private subscription: Subscription | undefined;
  private finished = false;
  private readonly rate = new RateMeter();
  private readonly done: Promise<void>;
  private resolveDone!: () => void;

  constructor(private readonly engine: Engine, private readonly options: RunOptions) {
    this.done = new Promise((resolve) => { this.resolveDone = resolve; });
  }

  /** Starts consuming inputs; resolves when the input stream completes (or stop() is called). */
  run(inputs: Observable<EngineInput>): Promise<void> {
    this.subscription = inputs.subscribe({
      next: (input) => this.publish(this.engine.handle(input)),
      error: (error: unknown) => { this.subject.error(error); this.resolveDone(); },
      complete: () => this.finish(),
    });
    return this.done;
  }

  snapshot(): PipelineSnapshot {
    const now = this.options.now();
    const stats = this.engine.stats();
    return {
      ...this.engine.detector.snapshot(now),
      mode: this.options.mode,
      finished: this.finished,
      stats: { ...stats, linesPerSecond: this.rate.perSecond(stats.lines) },
    };
  }

  markDeploy(request: DeployRequest): Deploy {
    const marker = { at: request.at ?? this.options.now(), app: request.app ?? 'website' };
    const deploy = this.engine.addDeploy({
      ...marker,
      ...(request.version === undefined ? {} : { version: request.version }),
      ...(request.by === undefined ? {} : { by: request.by }),
    });
    this.publish([this.engine.deployEvent(deploy)]);
    return deploy;
  }

  async stop(): Promise<void> {
    this.subscription?.unsubscribe();
    if (!this.finished) for (const input of this.options.pendingOnStop?.() ?? []) this.publish(this.engine.handle(input));
    this.finish();
    await this.done;
  }

  private finish(): void {
    if (this.finished) return;
    this.finished = true;
    this.publish(this.engine.finish(this.options.now(), this.options.mode === 'replay'));
    this.options.onFinish?.();
    this.subject.complete();
    this.resolveDone();
  }

  private publish(events: LogwatchEvent[]): void {
    const quietBefore = this.options.quietBefore;
    for (const event of events) {
      if (quietBefore === undefined || Date.parse(event.at) >= quietBefore) this.subject.next(event);
    }
  }
}
