/**
 * The feed under abuse (issue 7.5, RELIABILITY.md C2, C3, C9): floods of tiny fragments, a header
 * flood on the upgrade, and connection churn. Raw `net` sockets where `ws` would not misbehave.
 */
import { connect, type Socket } from 'node:net';
import { readdirSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startFeed, type Feed } from '../../src/feed/server.js';
import { FakeHandle } from '../support/fake-handle.js';
import { waitFor } from '../support/cli.js';

const feeds: Feed[] = [];
afterEach(async () => {
  await Promise.all(feeds.splice(0).map((feed) => feed.close()));
});

async function start(): Promise<Feed> {
  const feed = await startFeed(new FakeHandle(), { port: 0, log: () => {} });
  feeds.push(feed);
  return feed;
}

/** A raw socket that did the WebSocket handshake; collects what the server sends after it. */
async function handshake(port: number): Promise<{ socket: Socket; received: () => Buffer; closed: Promise<void> }> {
  const socket = connect(port, '127.0.0.1');
  const chunks: Buffer[] = [];
  let upgraded = false;
  const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
  socket.on('error', () => undefined);
  await new Promise<void>((resolve, reject) => {
    socket.on('data', (chunk: Buffer) => {
      if (upgraded) {
        chunks.push(chunk);
        return;
      }
      const text = chunk.toString('latin1');
      const end = text.indexOf('\r\n\r\n');
      if (!text.startsWith('HTTP/1.1 101')) reject(new Error(`no upgrade: ${text.slice(0, 80)}`));
      upgraded = true;
      chunks.push(chunk.subarray(end + 4));
      resolve();
    });
    socket.write(['GET /ws HTTP/1.1', `Host: 127.0.0.1:${port}`, 'Connection: Upgrade', 'Upgrade: websocket',
      'Sec-WebSocket-Version: 13', 'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==', '', ''].join('\r\n'));
  });
  return { socket, received: () => Buffer.concat(chunks), closed };
}

/** A masked client frame (RFC 6455 §5.2), payload under 126 bytes. */
function frame(fin: boolean, opcode: number, payload: Buffer): Buffer {
  const mask = Buffer.from([1, 2, 3, 4]);
  const masked = Buffer.from(payload.map((byte, i) => byte ^ mask[i % 4]!));
  return Buffer.concat([Buffer.from([(fin ? 0x80 : 0) | opcode, 0x80 | payload.length]), mask, masked]);
}

/** The status code of the server's close frame among the bytes it sent, if any. */
function closeCode(bytes: Buffer): number | undefined {
  let at = 0;
  while (at + 2 <= bytes.length) {
    const opcode = bytes[at]! & 0x0f;
    let length = bytes[at + 1]! & 0x7f;
    let header = 2;
    if (length === 126) { length = bytes.readUInt16BE(at + 2); header = 4; }
    if (length === 127) { length = Number(bytes.readBigUInt64BE(at + 2)); header = 10; }
    if (opcode === 0x8) return length >= 2 ? bytes.readUInt16BE(at + header) : 1005;
    at += header + length;
  }
  return undefined;
}

async function stateStatus(port: number): Promise<number> {
  return (await fetch(`http://127.0.0.1:${port}/api/state`)).status;
}

/** Reads until the value is `expected` or about 10 s passed (doubling delays); returns the last value read. */
async function eventually(read: () => Promise<number>, expected: number): Promise<number> {
  let value = await read();
  for (let delay = 10; value !== expected && delay <= 5_120; delay *= 2) {
    await new Promise((resolve) => setTimeout(resolve, delay));
    value = await read();
  }
  return value;
}

function openFds(): number {
  return readdirSync('/proc/self/fd').length;
}

async function feedClients(port: number): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  return Number(/^logwatch_feed_clients (\d+)/m.exec(text)?.[1]);
}

describe('the feed under abuse', () => {
  it.each([
    ['one-byte', Buffer.from('a'), [1008, 1009]],
    ['empty (ws#2329)', Buffer.alloc(0), [1008]],
  ])('C2: 200 000 %s continuation frames: that socket is closed (%j), the server stays up', async (_what, payload, codes) => {
    const feed = await start();
    const attacker = await handshake(feed.port);
    const frames: Buffer[] = [frame(false, 0x1, payload)];
    for (let i = 0; i < 200_000; i++) frames.push(frame(false, 0x0, payload));
    attacker.socket.write(Buffer.concat(frames));
    await attacker.closed;
    expect(codes).toContain(closeCode(attacker.received()));
    expect(await stateStatus(feed.port)).toBe(200);
  });

  it('C3: an upgrade with 2000 distinct headers (CVE-2024-37890) does not crash the server', async () => {
    const feed = await start();
    const socket = connect(feed.port, '127.0.0.1');
    socket.on('error', () => undefined);
    const answered = new Promise<string>((resolve) => {
      let text = '';
      socket.on('data', (chunk: Buffer) => { text += chunk.toString('latin1'); });
      socket.on('close', () => resolve(text));
    });
    const flood = Array.from({ length: 2000 }, (_, i) => `X-Flood-${i}: ${i}`);
    socket.end(['GET /ws HTTP/1.1', `Host: 127.0.0.1:${feed.port}`, 'Connection: Upgrade', 'Upgrade: websocket',
      'Sec-WebSocket-Version: 13', 'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==', ...flood, '', ''].join('\r\n'));
    const reply = await answered;
    expect(reply).toMatch(/^HTTP\/1\.1 \d{3}/);
    expect(await stateStatus(feed.port)).toBe(200);
  });

  it('C9: 1000 clients opened and closed, 1000 opened and reset: no client or fd left behind', async () => {
    const feed = await start();
    const baseline = openFds();
    const url = `ws://127.0.0.1:${feed.port}/ws`;
    const open = (): Promise<WebSocket> => new Promise((resolve, reject) => {
      const socket = new WebSocket(url);
      socket.once('open', () => resolve(socket));
      socket.once('error', reject);
    });
    for (let round = 0; round < 20; round++) {
      const sockets = await Promise.all(Array.from({ length: 100 }, open));
      const closing = sockets.map((socket) => new Promise((resolve) => socket.once('close', resolve)));
      for (const socket of sockets) {
        if (round % 2 === 0) socket.close(1000);
        else socket.terminate(); // the socket is destroyed without a close handshake
      }
      await Promise.all(closing);
    }
    await waitFor(() => openFds() <= baseline + 5, `fds back to baseline ${baseline} (now ${openFds()})`, 20_000);
    expect(await eventually(() => feedClients(feed.port), 0)).toBe(0);
    expect(await stateStatus(feed.port)).toBe(200);
  });
});
