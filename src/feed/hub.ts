/**
 * The set of connected WebSocket clients: greets each one, answers its messages, fans every
 * pipeline event out to all of them (serialized once), and pings them so dead peers are dropped.
 */
import type { Subscription as RxSubscription } from 'rxjs';
import type WebSocket from 'ws';
import type { LogwatchEvent } from '../pipeline/events.js';
import type { PipelineHandle, PipelineSnapshot } from '../pipeline/handle.js';
import { tokenMatches, type AccessPolicy } from './access.js';
import { FeedClient, type DispatchContext, type Watermarks } from './client.js';
import { acceptDeploy } from './deploy-intake.js';
import { parseClientMessage, PROTOCOL_VERSION } from './protocol.js';

export interface HubOptions {
  heartbeatMs: number;
  maxPayloadBytes: number;
  watermarks: Watermarks;
  log: (line: string) => void;
}

export interface HubCounters {
  clients: number;
  /** Clients terminated for not reading or not answering pings. */
  terminated: number;
}

export class FeedHub {
  private readonly clients = new Set<FeedClient>();
  private readonly eventSubscription: RxSubscription;
  private readonly heartbeat: NodeJS.Timeout;
  private terminated = 0;

  constructor(
    private readonly handle: PipelineHandle,
    private readonly policy: AccessPolicy,
    private readonly options: HubOptions,
  ) {
    this.eventSubscription = handle.events.subscribe({ next: (event) => this.dispatch(event) });
    this.heartbeat = setInterval(() => this.pingAll(), options.heartbeatMs);
    this.heartbeat.unref();
  }

  get counters(): HubCounters {
    return { clients: this.clients.size, terminated: this.terminated };
  }

  /** Takes a socket that passed the upgrade checks; `canWrite` when it presented the token. */
  add(socket: WebSocket, canWrite: boolean): void {
    const client = new FeedClient(socket, canWrite, this.options.watermarks, {
      snapshot: () => this.handle.snapshot(),
      onTerminate: (reason) => this.noteTermination(reason),
    });
    this.clients.add(client);
    socket.on('pong', () => { client.alive = true; });
    socket.on('message', (data, isBinary) => this.receive(client, isBinary ? null : data.toString()));
    socket.on('close', () => this.clients.delete(client));
    // Errors (oversize frame, bad UTF-8) close the socket with the right code; nothing else to do.
    socket.on('error', () => {});
    client.reply({
      type: 'hello', protocol: PROTOCOL_VERSION, server: 'logwatch', mode: this.handle.snapshot().mode,
      canWrite, heartbeatMs: this.options.heartbeatMs, maxPayloadBytes: this.options.maxPayloadBytes,
    });
    client.sendSnapshot();
  }

  /** Stops listening to the pipeline and closes every client (going away), cutting those that do not answer in time. */
  async close(graceMs: number): Promise<void> {
    clearInterval(this.heartbeat);
    this.eventSubscription.unsubscribe();
    const sockets = [...this.clients].map((client) => client.socket);
    const closed = sockets.map((socket) => new Promise<void>((resolve) => {
      socket.once('close', () => resolve());
      socket.close(1001, 'server shutting down');
    }));
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise<void>((resolve) => { timer = setTimeout(resolve, graceMs); });
    await Promise.race([Promise.all(closed), grace]);
    clearTimeout(timer);
    for (const socket of sockets) socket.terminate();
  }

  private dispatch(event: LogwatchEvent): void {
    if (this.clients.size === 0) return;
    const body = JSON.stringify(event);
    const context = lazyContext(() => this.handle.snapshot());
    for (const client of this.clients) client.offerEvent(event, body, context);
  }

  private receive(client: FeedClient, text: string | null): void {
    const message = text === null ? { error: 'binary frames are not accepted; send JSON text' } : parseClientMessage(text);
    if ('error' in message) {
      client.reply({ type: 'error', message: message.error });
      return;
    }
    switch (message.type) {
      case 'subscribe':
        client.subscribe(message.subscription);
        return;
      case 'snapshot':
        client.sendSnapshot();
        return;
      case 'deploy':
        this.deploy(client, message.token, message.body);
        return;
    }
  }

  private deploy(client: FeedClient, token: string | undefined, body: Record<string, unknown>): void {
    if (!client.canWrite && !tokenMatches(this.policy.token, token)) {
      client.reply({ type: 'error', message: 'deploy needs the token' });
      return;
    }
    const outcome = acceptDeploy(this.handle, JSON.stringify(body));
    if ('error' in outcome) client.reply({ type: 'error', message: outcome.error });
    else client.reply({ type: 'deployed', deploy: outcome.deploy });
  }

  /** The ws README's heartbeat: a peer that did not answer the previous ping is gone. */
  private pingAll(): void {
    for (const client of this.clients) {
      if (!client.alive) {
        this.noteTermination('no pong to the last ping');
        client.socket.terminate();
        continue;
      }
      client.alive = false;
      client.socket.ping();
    }
  }

  private noteTermination(reason: string): void {
    this.terminated += 1;
    this.options.log(`feed: terminated a WebSocket client: ${reason}`);
  }
}

/** The snapshot and score index, built only if some client's filter needs them for this event. */
function lazyContext(read: () => PipelineSnapshot): DispatchContext {
  let snapshot: PipelineSnapshot | undefined;
  let scores: Map<string, number> | undefined;
  const current = (): PipelineSnapshot => (snapshot ??= read());
  return {
    snapshot: current,
    scoreOf(signatureId) {
      scores ??= new Map(current().signatures.map((view) => [view.id, view.score]));
      return scores.get(signatureId) ?? 0;
    },
  };
}
