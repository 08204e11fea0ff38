/**
 * A real `ws` client for the feed tests that records every message and lets a test wait for the
 * one it expects, without sleeps.
 */
import WebSocket from 'ws';

export interface Received {
  seq: number;
  type: string;
  [key: string]: unknown;
}

export interface Probe {
  socket: WebSocket;
  messages: Received[];
  /** The first matching message not yet returned by an earlier call, received already or later. */
  next(match: (message: Received) => boolean): Promise<Received>;
  send(message: unknown): void;
  closed: Promise<{ code: number; reason: string }>;
}

export const ofType = (type: string) => (message: Received): boolean => message.type === type;

export function probe(url: string, options: WebSocket.ClientOptions = {}): Promise<Probe> {
  const socket = new WebSocket(url, options);
  const messages: Received[] = [];
  const taken = new Set<Received>();
  const waiters: { match: (m: Received) => boolean; resolve: (m: Received) => void }[] = [];
  socket.on('message', (data) => {
    const message = JSON.parse(data.toString()) as Received;
    messages.push(message);
    const waiter = waiters.find((w) => w.match(message));
    if (waiter === undefined) return;
    waiters.splice(waiters.indexOf(waiter), 1);
    taken.add(message);
    waiter.resolve(message);
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) => {
    socket.on('close', (code, reason) => resolve({ code, reason: reason.toString() }));
  });
  const client: Probe = {
    socket,
    messages,
    closed,
    send: (message) => socket.send(typeof message === 'string' ? message : JSON.stringify(message)),
    next(match) {
      const found = messages.find((m) => !taken.has(m) && match(m));
      if (found !== undefined) {
        taken.add(found);
        return Promise.resolve(found);
      }
      return new Promise((resolve, reject) => {
        waiters.push({ match, resolve });
        void closed.then(({ code }) => reject(new Error(`socket closed (${code}) while waiting`)));
      });
    },
  };
  return new Promise((resolve, reject) => {
    socket.once('error', reject);
    socket.once('unexpected-response', (_request, response) => reject(new Error(`HTTP ${response.statusCode}`)));
    socket.once('open', () => resolve(client));
  });
}

/** The WebSocket URL of a feed started at `url` (`http://127.0.0.1:PORT/`). */
export const wsUrl = (url: string, query = ''): string => `${url.replace(/^http/, 'ws')}ws${query}`;
