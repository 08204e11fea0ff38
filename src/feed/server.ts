/**
 * The feed: one HTTP server with the WebSocket feed at /ws, the state and deploy API, Prometheus
 * metrics and the live web page, all over a running pipeline's handle.
 */
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import type { PipelineHandle } from '../pipeline/handle.js';
import { checkRequest, readsNeedToken, requestToken, tokenMatches, type AccessPolicy } from './access.js';
import { findAsset, PAGE_SECURITY_HEADERS } from './assets.js';
import { DEFAULT_WATERMARKS, type Watermarks } from './client.js';
import { acceptDeploy } from './deploy-intake.js';
import { readBody, refuseUpgrade, sendError, sendJson } from './http-io.js';
import { FeedHub } from './hub.js';
import { createFeedMetrics, type FeedMetrics } from './metrics.js';

export const DEFAULT_FEED_HOST = '127.0.0.1';
export const DEFAULT_FEED_PORT = 7077;
/** Ping interval; a peer that misses one ping is terminated at the next, so dead ones go within two. */
export const DEFAULT_HEARTBEAT_MS = 30_000;
/** Client messages are small JSON; anything bigger is closed with 1009 by ws (its default is 100 MiB). */
export const DEFAULT_MAX_PAYLOAD_BYTES = 64 * 1024;
/** How long close() waits for clients to answer the going-away close frame before cutting them. */
const CLOSE_GRACE_MS = 1_000;

export interface FeedOptions {
  /** Address to bind; loopback by default. Beyond loopback a token is required. */
  host?: string;
  /** 0 picks any free port. */
  port?: number;
  /** Guards writes, and reads too when bound beyond loopback. */
  token?: string;
  heartbeatMs?: number;
  maxPayloadBytes?: number;
  /** Slow-client marks; the defaults suit a browser on loopback. */
  watermarks?: Watermarks;
  /** Where the feed reports what it does (default: stderr). */
  log?: (line: string) => void;
}

export interface Feed {
  /** The page's address, e.g. `http://127.0.0.1:7077/`. */
  url: string;
  port: number;
  close(): Promise<void>;
}

interface FeedContext {
  handle: PipelineHandle;
  policy: AccessPolicy;
  readsNeedToken: boolean;
  maxPayloadBytes: number;
  metrics: FeedMetrics;
  log: (line: string) => void;
}

export async function startFeed(handle: PipelineHandle, options: FeedOptions = {}): Promise<Feed> {
  const host = options.host ?? DEFAULT_FEED_HOST;
  const token = options.token === '' ? undefined : options.token;
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const maxPayloadBytes = options.maxPayloadBytes ?? DEFAULT_MAX_PAYLOAD_BYTES;
  const heartbeatMs = options.heartbeatMs ?? DEFAULT_HEARTBEAT_MS;
  if (readsNeedToken(host) && token === undefined) {
    throw new Error(`the feed needs a token (--token or LOGWATCH_TOKEN) to listen beyond loopback on ${host}`);
  }

  const server = createServer();
  await listen(server, options.port ?? DEFAULT_FEED_PORT, host);
  const port = (server.address() as AddressInfo).port;
  const policy: AccessPolicy = { host, port, token };
  const wss = new WebSocketServer({ noServer: true, maxPayload: maxPayloadBytes, perMessageDeflate: false, clientTracking: false });
  const hub = new FeedHub(handle, policy, {
    heartbeatMs, maxPayloadBytes, watermarks: options.watermarks ?? DEFAULT_WATERMARKS, log,
  });
  const context: FeedContext = {
    handle, policy, readsNeedToken: readsNeedToken(host), maxPayloadBytes,
    metrics: createFeedMetrics(handle, () => hub.counters), log,
  };

  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    route(context, request, response).catch((error: unknown) => {
      log(`feed: ${request.method} ${request.url}: ${String(error)}`);
      if (!response.headersSent) sendError(response, 500, 'internal error');
      else response.destroy();
    });
  });
  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    // A peer resetting mid-handshake must not take the process down.
    socket.on('error', () => {});
    if (pathOf(request) !== '/ws') return refuseUpgrade(socket, 404, 'no WebSocket here; use /ws');
    const decision = checkRequest(policy, request, context.readsNeedToken);
    if (!decision.ok) return refuseUpgrade(socket, decision.status, decision.message);
    const canWrite = tokenMatches(token, requestToken(request));
    wss.handleUpgrade(request, socket, head, (ws) => hub.add(ws, canWrite));
  });

  const url = `http://${urlHost(host)}:${port}/`;
  log(`feed: ${url} (WebSocket ${url}ws)`);
  return {
    url,
    port,
    async close() {
      await hub.close(CLOSE_GRACE_MS);
      wss.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

async function route(context: FeedContext, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const { policy, handle } = context;
  const access = checkRequest(policy, request, false);
  if (!access.ok) return sendError(response, access.status, access.message);
  const path = pathOf(request);
  const method = request.method ?? 'GET';

  if (path === '/api/deploys') {
    if (method !== 'POST') return sendError(response, 405, 'use POST', { allow: 'POST' });
    if (!tokenMatches(policy.token, requestToken(request))) return sendError(response, 401, 'token required');
    return postDeploy(context, request, response);
  }
  if (method !== 'GET' && method !== 'HEAD') return sendError(response, 405, 'use GET', { allow: 'GET, HEAD' });
  if (path === '/ws') return sendError(response, 426, 'this is the WebSocket endpoint', { upgrade: 'websocket' });
  if (path === '/api/state' || path === '/metrics') {
    if (context.readsNeedToken && !tokenMatches(policy.token, requestToken(request))) return sendError(response, 401, 'token required');
    if (path === '/api/state') return sendJson(response, 200, handle.snapshot());
    const text = await context.metrics.render();
    response.writeHead(200, { 'content-type': context.metrics.contentType, 'cache-control': 'no-store' });
    response.end(text);
    return;
  }
  const asset = findAsset(path);
  if (asset === undefined) return sendError(response, 404, `nothing at ${path}`);
  const body = await readFile(asset.path);
  response.writeHead(200, { 'content-type': asset.contentType, 'content-length': body.length, ...PAGE_SECURITY_HEADERS });
  response.end(method === 'HEAD' ? undefined : body);
}

async function postDeploy(context: FeedContext, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const text = await readBody(request, context.maxPayloadBytes);
  if (text === null) {
    response.once('finish', () => request.destroy());
    return sendError(response, 413, `body over ${context.maxPayloadBytes} bytes`, { connection: 'close' });
  }
  const outcome = acceptDeploy(context.handle, text);
  if ('error' in outcome) return sendError(response, 400, outcome.error);
  context.log(`feed: deploy #${outcome.deploy.id} ${outcome.deploy.app} marked over HTTP`);
  sendJson(response, 201, outcome.deploy);
}

function pathOf(request: IncomingMessage): string {
  return new URL(request.url ?? '/', 'http://feed.invalid').pathname;
}

function urlHost(host: string): string {
  if (host === '0.0.0.0' || host === '::') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}
