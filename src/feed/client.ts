/**
 * One WebSocket client of the feed: numbers what it is sent, filters events by its subscription,
 * and keeps a client that does not read from growing the server's memory (watermarks on
 * `bufferedAmount`, the bytes queued for it and not yet written to the kernel).
 */
import WebSocket from 'ws';
import type { LogwatchEvent } from '../pipeline/events.js';
import type { PipelineSnapshot } from '../pipeline/handle.js';
import { DEFAULT_SUBSCRIPTION, type SamplesMessage, type ServerMessage, type Subscription } from './protocol.js';

export interface Watermarks {
  /** Above this many queued bytes the client is congested: events are shed (verdicts excepted). */
  softBytes: number;
  /** A congested client that drains below this gets a fresh snapshot and events again. */
  lowBytes: number;
  /** Queued bytes, or bytes shed while congested, beyond this terminate the client. */
  hardBytes: number;
}

export const DEFAULT_WATERMARKS: Watermarks = {
  softBytes: 1024 * 1024,
  lowBytes: 256 * 1024,
  hardBytes: 8 * 1024 * 1024,
};

/** What a client needs from the server around it. */
export interface ClientHooks {
  snapshot(): PipelineSnapshot;
  onTerminate(reason: string): void;
}

/** What the hub shares with every client while dispatching one event, computed at most once. */
export interface DispatchContext {
  snapshot(): PipelineSnapshot;
  scoreOf(signatureId: string): number;
}

export class FeedClient {
  subscription: Subscription = DEFAULT_SUBSCRIPTION;
  /** Cleared on each heartbeat ping, set again by the pong; still clear at the next ping means dead. */
  alive = true;
  private seq = 0;
  private congested = false;
  private shedBytes = 0;
  private lastSamples: string | null = null;

  constructor(
    readonly socket: WebSocket,
    readonly canWrite: boolean,
    private readonly watermarks: Watermarks,
    private readonly hooks: ClientHooks,
  ) {}

  /** A reply to this client (hello, acks, errors): never shed. */
  reply(message: ServerMessage): void {
    this.sendBody(JSON.stringify(message), false);
  }

  /** A full state; while congested the one owed on draining takes its place. */
  sendSnapshot(): void {
    if (this.congested) return;
    this.sendBody(JSON.stringify({ type: 'snapshot', ...this.hooks.snapshot() }), false);
  }

  /** `body` is the event serialized once for all clients. Verdicts are never shed. */
  offerEvent(event: LogwatchEvent, body: string, context: DispatchContext): void {
    if (this.wants(event, context)) this.sendBody(body, event.type !== 'verdict');
    if (event.type === 'stats' && this.subscription.samplesOf !== null) this.refreshSamples(context.snapshot());
  }

  subscribe(subscription: Subscription): void {
    this.subscription = subscription;
    this.lastSamples = null;
    this.reply({ type: 'subscribed', ...subscription });
    if (subscription.samplesOf !== null) this.refreshSamples(this.hooks.snapshot());
  }

  private wants(event: LogwatchEvent, context: DispatchContext): boolean {
    const { verdictsOnly, minScore } = this.subscription;
    if (verdictsOnly) return event.type === 'verdict';
    if (event.type === 'signature' && minScore !== null) return context.scoreOf(event.id) >= minScore;
    return true;
  }

  /** Sends the followed signature's samples when they changed since last sent. */
  private refreshSamples(snapshot: PipelineSnapshot): void {
    const id = this.subscription.samplesOf;
    if (id === null) return;
    const view = snapshot.signatures.find((signature) => signature.id === id);
    const message: SamplesMessage = view === undefined
      ? { type: 'samples', id, found: false, template: '', samples: [], perHost: {} }
      : { type: 'samples', id, found: true, template: view.template, samples: view.samples, perHost: view.perHost };
    const body = JSON.stringify(message);
    if (body === this.lastSamples) return;
    this.lastSamples = body;
    this.sendBody(body, true);
  }

  /**
   * Every message takes the next `seq`, including a shed one, so the client sees the gap and
   * knows its state is stale (it gets a snapshot once it drains, or may ask for one).
   */
  private sendBody(body: string, sheddable: boolean): void {
    if (this.socket.readyState !== WebSocket.OPEN) return;
    this.seq += 1;
    if (this.congested && sheddable) {
      this.shedBytes += body.length;
      if (this.shedBytes > this.watermarks.hardBytes) this.terminate('fell too far behind while not reading');
      return;
    }
    const frame = `{"seq":${this.seq},${body.slice(1)}`;
    if (this.socket.bufferedAmount + Buffer.byteLength(frame) > this.watermarks.hardBytes) {
      this.terminate('send queue over the hard mark');
      return;
    }
    this.socket.send(frame, () => this.afterWrite());
    if (!this.congested && this.socket.bufferedAmount > this.watermarks.softBytes) {
      this.congested = true;
      this.shedBytes = 0;
    }
  }

  /** Runs as each frame reaches the kernel: the moment to notice a congested client has drained. */
  private afterWrite(): void {
    if (!this.congested || this.socket.readyState !== WebSocket.OPEN) return;
    if (this.socket.bufferedAmount > this.watermarks.lowBytes) return;
    this.congested = false;
    this.lastSamples = null;
    this.sendSnapshot();
  }

  private terminate(reason: string): void {
    this.hooks.onTerminate(reason);
    this.socket.terminate();
  }
}
