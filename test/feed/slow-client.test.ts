/**
 * Clients that do not read (RELIABILITY table C, C7/C11): the server must neither grow with them
 * nor hold back the clients that do read.
 */
import { connect as netConnect, type NetConnectOpts, type Socket } from 'node:net';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startFeed, type Feed } from '../../src/feed/server.js';
import { FakeHandle } from '../support/fake-handle.js';
import { signatureEvent, verdictEvent } from './events.js';
import { ofType, probe, wsUrl, type Received } from './ws-probe.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const MiB = 1024 * 1024;
const TEMPLATE = 'x'.repeat(16 * 1024);

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** Does the WebSocket handshake over a raw socket, then stops reading for good. */
function neverReadingClient(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = netConnect(port, '127.0.0.1');
    let head = '';
    socket.on('error', () => {});
    socket.on('data', function onData(chunk: Buffer) {
      head += chunk.toString('latin1');
      if (!head.includes('\r\n\r\n')) return;
      socket.off('data', onData);
      socket.pause();
      if (head.startsWith('HTTP/1.1 101')) resolve(socket);
      else reject(new Error(head.split('\r\n')[0]));
    });
    socket.write(
      `GET /ws HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
        'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n',
    );
  });
}

/** A reading client that keeps only the last seq (not the messages), and fails on any gap. */
function countingClient(url: string): Promise<{ lastSeq: () => number; reach(seq: number): Promise<void>; gaps: number[]; close(): void }> {
  const socket = new WebSocket(url);
  let last = 0;
  const gaps: number[] = [];
  let waiter: { seq: number; resolve: () => void } | null = null;
  socket.on('message', (data) => {
    const seq = (JSON.parse(data.toString()) as Received).seq;
    if (seq !== last + 1) gaps.push(seq);
    last = seq;
    if (waiter !== null && last >= waiter.seq) {
      waiter.resolve();
      waiter = null;
    }
  });
  return new Promise((resolve) => socket.once('open', () => resolve({
    lastSeq: () => last,
    gaps,
    reach: (seq) => (last >= seq ? Promise.resolve() : new Promise((done) => { waiter = { seq, resolve: done }; })),
    close: () => socket.terminate(),
  })));
}

function memoryInUse(): number {
  gc();
  const { heapUsed, arrayBuffers } = process.memoryUsage();
  return heapUsed + arrayBuffers;
}

async function startQuietFeed(handle: FakeHandle, log: (line: string) => void, options: Parameters<typeof startFeed>[1] = {}): Promise<Feed> {
  const feed = await startFeed(handle, { port: 0, log, ...options });
  cleanups.push(() => feed.close());
  return feed;
}

describe('a client that never reads', () => {
  it('is terminated while ~64 MiB of events go out, the heap stays bounded, and a reading client gets every message', async () => {
    const handle = new FakeHandle();
    const lines: string[] = [];
    const feed = await startQuietFeed(handle, (line) => lines.push(line));
    const stalled = await neverReadingClient(feed.port);
    cleanups.push(() => { stalled.destroy(); });
    const reader = await countingClient(wsUrl(feed.url));
    cleanups.push(() => reader.close());
    await reader.reach(2); // hello + snapshot

    const baseline = memoryInUse();
    let peakGrowth = 0;
    const perRound = 32; // 512 KiB a round: below the soft mark, so the reader never lags.
    const rounds = (64 * MiB) / (perRound * TEMPLATE.length);
    for (let round = 0; round < rounds; round++) {
      for (let i = 0; i < perRound; i++) handle.emit(signatureEvent(`s${round}-${i}`, TEMPLATE));
      await reader.reach(2 + (round + 1) * perRound);
      if (round % 16 === 15) peakGrowth = Math.max(peakGrowth, memoryInUse() - baseline);
    }

    expect(lines.filter((line) => line.includes('terminated a WebSocket client'))).toHaveLength(1);
    expect(reader.gaps).toEqual([]);
    expect(reader.lastSeq()).toBe(2 + rounds * perRound);
    // Unbounded queueing would hold the whole 64 MiB; the hard mark is 8 MiB.
    expect(peakGrowth).toBeLessThan(24 * MiB);
    const metrics = await (await fetch(`${feed.url}metrics`)).text();
    expect(metrics).toMatch(/^logwatch_feed_clients 1$/m);
    expect(metrics).toMatch(/^logwatch_feed_clients_terminated_total 1$/m);
  });
});

describe('a client that stalls, then reads again', () => {
  it('sees a seq gap where events were shed, the verdict anyway, then a fresh snapshot', async () => {
    const handle = new FakeHandle();
    const lines: string[] = [];
    const feed = await startQuietFeed(handle, (line) => lines.push(line), {
      watermarks: { softBytes: 256 * 1024, lowBytes: 64 * 1024, hardBytes: 64 * MiB },
    });
    let raw: Socket | undefined;
    const client = await probe(wsUrl(feed.url), {
      createConnection: (options) => (raw = netConnect({ ...(options as NetConnectOpts), path: undefined } as NetConnectOpts)),
    });
    cleanups.push(() => client.socket.terminate());
    await client.next(ofType('snapshot'));
    raw!.pause();

    const events = 24 * MiB / TEMPLATE.length;
    for (let i = 0; i < events; i++) {
      handle.emit(signatureEvent(`s${i}`, TEMPLATE));
      // Let the socket write between bursts so the kernel buffers fill as they would live.
      if (i % 64 === 63) await new Promise((resolve) => setImmediate(resolve));
    }
    handle.emit(verdictEvent('stop'));
    raw!.resume();

    const verdict = await client.next(ofType('verdict'));
    const snapshot = await client.next((m) => m.type === 'snapshot' && m.seq > verdict.seq);
    const seqs = client.messages.map((m) => m.seq);
    const firstGap = seqs.findIndex((seq, i) => i > 0 && seq !== seqs[i - 1]! + 1);
    expect(firstGap).toBeGreaterThan(0);
    const received = client.messages.filter((m) => m.type === 'signature').length;
    expect(received).toBeLessThan(events);
    // Every number was used: the shed messages are exactly the missing ones.
    expect(verdict.seq).toBe(2 + events + 1);
    expect(snapshot.seq).toBe(verdict.seq + 1);

    handle.emit(signatureEvent('after'));
    expect((await client.next((m) => m.type === 'signature' && m.id === 'after')).seq).toBe(snapshot.seq + 1);
    expect(lines.filter((line) => line.includes('terminated'))).toEqual([]);
  });
});
