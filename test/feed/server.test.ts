import { request as httpRequest } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { startFeed, type Feed, type FeedOptions } from '../../src/feed/server.js';
import { FakeHandle, signatureView } from '../support/fake-handle.js';
import { signatureEvent, statsEvent, stopState, verdictEvent } from './events.js';
import { ofType, probe, wsUrl, type Probe } from './ws-probe.js';

const feeds: Feed[] = [];
const probes: Probe[] = [];

async function start(handle: FakeHandle, options: FeedOptions = {}): Promise<Feed> {
  const feed = await startFeed(handle, { port: 0, log: () => {}, ...options });
  feeds.push(feed);
  return feed;
}

async function connect(url: string, options: Parameters<typeof probe>[1] = {}): Promise<Probe> {
  const client = await probe(url, options);
  probes.push(client);
  return client;
}

afterEach(async () => {
  for (const client of probes.splice(0)) client.socket.terminate();
  await Promise.all(feeds.splice(0).map((feed) => feed.close()));
});

/** Status of a raw HTTP request, for headers `fetch` will not let a test set (Host). */
function rawStatus(port: number, path: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path, headers });
    req.on('response', (res) => { res.resume(); resolve(res.statusCode ?? 0); });
    // Node emits 'upgrade' only for 101; a refused upgrade arrives as a plain response.
    req.on('upgrade', (_res, socket) => { socket.destroy(); resolve(101); });
    req.on('error', reject);
    req.end();
  });
}

/** Status of a POST whose body may be refused before it is all sent. */
function rawPostStatus(port: number, path: string, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path, method: 'POST', headers: { 'content-length': Buffer.byteLength(body) } });
    req.on('response', (res) => { res.resume(); resolve(res.statusCode ?? 0); });
    req.on('error', reject);
    req.end(body);
  });
}

const upgradeHeaders = (extra: Record<string, string>): Record<string, string> => ({
  connection: 'Upgrade', upgrade: 'websocket', 'sec-websocket-version': '13', 'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==', ...extra,
});

describe('WebSocket feed', () => {
  it('greets with hello, then the snapshot, numbered from 1', async () => {
    const handle = new FakeHandle();
    handle.state = stopState();
    const feed = await start(handle);
    const client = await connect(wsUrl(feed.url));
    const hello = await client.next(ofType('hello'));
    const snapshot = await client.next(ofType('snapshot'));
    expect(hello).toMatchObject({ seq: 1, protocol: 1, server: 'logwatch', mode: 'replay', canWrite: true });
    const { seq, type: _type, ...state } = snapshot;
    expect(seq).toBe(2);
    expect(state).toEqual(JSON.parse(JSON.stringify(handle.state)));
    expect(client.socket.extensions).toBe('');
  });

  it('forwards every pipeline event with the next seq', async () => {
    const handle = new FakeHandle();
    const feed = await start(handle);
    const client = await connect(wsUrl(feed.url));
    await client.next(ofType('snapshot'));
    handle.emit(signatureEvent('s1'));
    handle.emit(statsEvent());
    handle.emit(verdictEvent('watch'));
    const verdict = await client.next(ofType('verdict'));
    expect(verdict).toMatchObject({ seq: 5, level: 'watch', attribution: 'none' });
    expect(client.messages.map((m) => [m.seq, m.type])).toEqual([
      [1, 'hello'], [2, 'snapshot'], [3, 'signature'], [4, 'stats'], [5, 'verdict'],
    ]);
  });

  it('answers malformed and unknown messages with an error and keeps the connection', async () => {
    const feed = await start(new FakeHandle());
    const client = await connect(wsUrl(feed.url));
    client.send('{not json');
    expect((await client.next(ofType('error'))).message).toBe('message is not JSON');
    client.send({ type: 'teleport' });
    expect((await client.next(ofType('error'))).message).toMatch(/unknown message type/);
    client.send({ type: 'subscribe', minScore: 'high' });
    expect((await client.next(ofType('error'))).message).toMatch(/^minScore: /);
    client.socket.send(Buffer.from('{"type":"snapshot"}'), { binary: true });
    expect((await client.next(ofType('error'))).message).toMatch(/binary/);
    client.send({ type: 'snapshot' });
    const again = await client.next((m) => m.type === 'snapshot' && m.seq > 2);
    expect(again.seq).toBe(7);
  });

  it('closes a text frame of invalid UTF-8 with 1007 and stays up for others', async () => {
    const handle = new FakeHandle();
    const feed = await start(handle);
    const bad = await connect(wsUrl(feed.url));
    const good = await connect(wsUrl(feed.url));
    bad.socket.send(Buffer.from([0x7b, 0xff, 0x7d]), { binary: false });
    expect((await bad.closed).code).toBe(1007);
    handle.emit(verdictEvent('watch'));
    expect((await good.next(ofType('verdict'))).level).toBe('watch');
  });

  it('with verdictsOnly sends only verdicts, numbering only what it sends', async () => {
    const handle = new FakeHandle();
    const feed = await start(handle);
    const client = await connect(wsUrl(feed.url));
    client.send({ type: 'subscribe', verdictsOnly: true });
    expect(await client.next(ofType('subscribed'))).toMatchObject({ seq: 3, verdictsOnly: true, minScore: null, samplesOf: null });
    handle.emit(signatureEvent('s1'));
    handle.emit(statsEvent());
    handle.emit(verdictEvent('revert'));
    handle.emit(signatureEvent('s2'));
    handle.emit(verdictEvent('ok'));
    await client.next((m) => m.type === 'verdict' && m.level === 'ok');
    expect(client.messages.map((m) => [m.seq, m.type, m.level])).toEqual([
      [1, 'hello', undefined], [2, 'snapshot', undefined], [3, 'subscribed', undefined], [4, 'verdict', 'revert'], [5, 'verdict', 'ok'],
    ]);
  });

  it('with minScore sends signature events only for signatures scoring at least that', async () => {
    const handle = new FakeHandle();
    handle.state = { ...handle.state, signatures: [signatureView({ id: 'hot', score: 5 }), signatureView({ id: 'cold', score: 0.5 })] };
    const feed = await start(handle);
    const client = await connect(wsUrl(feed.url));
    client.send({ type: 'subscribe', minScore: 1 });
    await client.next(ofType('subscribed'));
    handle.emit(signatureEvent('cold'));
    handle.emit(signatureEvent('hot'));
    handle.emit(signatureEvent('unknown'));
    handle.emit(statsEvent());
    await client.next(ofType('stats'));
    expect(client.messages.filter((m) => m.type === 'signature').map((m) => m.id)).toEqual(['hot']);
  });

  it('sends one signature\'s samples on samplesOf, and again when they change', async () => {
    const handle = new FakeHandle();
    handle.state = { ...handle.state, signatures: [signatureView({ id: 'abc', samples: ['first'] })] };
    const feed = await start(handle);
    const client = await connect(wsUrl(feed.url));
    client.send({ type: 'subscribe', samplesOf: 'abc' });
    expect(await client.next(ofType('samples'))).toMatchObject({ id: 'abc', found: true, samples: ['first'] });
    handle.emit(statsEvent(1));
    handle.state = { ...handle.state, signatures: [signatureView({ id: 'abc', samples: ['first', 'second'] })] };
    handle.emit(statsEvent(2));
    expect(await client.next(ofType('samples'))).toMatchObject({ samples: ['first', 'second'] });
    // Unchanged samples are not re-sent on the first stats tick.
    expect(client.messages.filter((m) => m.type === 'samples')).toHaveLength(2);
    client.send({ type: 'subscribe', samplesOf: 'gone' });
    expect(await client.next(ofType('samples'))).toMatchObject({ id: 'gone', found: false, samples: [] });
  });

  it('shuts oversize frames with 1009 and leaves other clients alone', async () => {
    const handle = new FakeHandle();
    const feed = await start(handle, { maxPayloadBytes: 64 * 1024 });
    const big = await connect(wsUrl(feed.url));
    const other = await connect(wsUrl(feed.url));
    big.send({ type: 'snapshot', pad: 'x'.repeat(1024 * 1024) });
    expect((await big.closed).code).toBe(1009);
    handle.emit(verdictEvent('watch'));
    expect((await other.next(ofType('verdict'))).level).toBe('watch');
  });

  it('gives 200 clients the same verdict event', async () => {
    const handle = new FakeHandle();
    const feed = await start(handle);
    const clients = await Promise.all(Array.from({ length: 200 }, () => connect(wsUrl(feed.url))));
    await Promise.all(clients.map((client) => client.next(ofType('snapshot'))));
    handle.emit(verdictEvent('stop', 'The site is down.'));
    const verdicts = await Promise.all(clients.map((client) => client.next(ofType('verdict'))));
    const expected = { seq: 3, ...JSON.parse(JSON.stringify(verdictEvent('stop', 'The site is down.'))) };
    for (const verdict of verdicts) expect(verdict).toEqual(expected);
  });

  it('terminates a peer that does not answer pings', async () => {
    const lines: string[] = [];
    const feed = await start(new FakeHandle(), { heartbeatMs: 200, log: (line) => lines.push(line) });
    const healthy = await connect(wsUrl(feed.url));
    const dead = await connect(wsUrl(feed.url), { autoPong: false });
    expect((await dead.closed).code).toBe(1006);
    expect(lines.some((line) => line.includes('no pong'))).toBe(true);
    expect(healthy.socket.readyState).toBe(healthy.socket.OPEN);
    const metrics = await (await fetch(`${feed.url}metrics`)).text();
    expect(metrics).toMatch(/^logwatch_feed_clients 1$/m);
  });

  it('closes its clients with 1001 when it stops', async () => {
    const handle = new FakeHandle();
    const feed = await startFeed(handle, { port: 0, log: () => {} });
    const client = await connect(wsUrl(feed.url));
    await feed.close();
    expect((await client.closed).code).toBe(1001);
  });
});

describe('access', () => {
  it('refuses cross-site origins with 403 before any WebSocket exists', async () => {
    const feed = await start(new FakeHandle());
    await expect(connect(wsUrl(feed.url), { origin: 'http://evil.example' })).rejects.toThrow('HTTP 403');
    await expect(connect(wsUrl(feed.url), { origin: `http://evil.example:${feed.port}` })).rejects.toThrow('HTTP 403');
    await expect(connect(wsUrl(feed.url), { origin: 'http://127.0.0.1:1' })).rejects.toThrow('HTTP 403');
    await expect(connect(wsUrl(feed.url), { origin: 'null' })).rejects.toThrow('HTTP 403');
    for (const origin of [`http://127.0.0.1:${feed.port}`, `http://localhost:${feed.port}`]) {
      const client = await connect(wsUrl(feed.url), { origin });
      expect((await client.next(ofType('hello'))).type).toBe('hello');
    }
  });

  it('refuses a Host that is not this server (DNS rebinding) with 403, on upgrade and on HTTP', async () => {
    const feed = await start(new FakeHandle());
    const port = feed.port;
    expect(await rawStatus(port, '/ws', upgradeHeaders({ host: `evil.example:${port}` }))).toBe(403);
    expect(await rawStatus(port, '/ws', upgradeHeaders({ host: `127.0.0.1:${port + 1}` }))).toBe(403);
    expect(await rawStatus(port, '/ws', upgradeHeaders({ host: `localhost:${port}` }))).toBe(101);
    expect(await rawStatus(port, '/ws', upgradeHeaders({ host: `[::1]:${port}` }))).toBe(101);
    expect(await rawStatus(port, '/api/state', { host: `evil.example:${port}` })).toBe(403);
    expect(await rawStatus(port, '/api/state', { host: `localhost:${port}` })).toBe(200);
    expect(await rawStatus(port, '/api/state', { host: `127.0.0.1:${port}`, origin: 'https://evil.example' })).toBe(403);
    expect(await rawStatus(port, '/elsewhere', upgradeHeaders({ host: `127.0.0.1:${port}` }))).toBe(404);
  });

  it('needs the token for POST /api/deploys, and writes nothing without it', async () => {
    const handle = new FakeHandle();
    const feed = await start(handle, { token: 'sekret' });
    const body = JSON.stringify({ app: 'website', version: 'abc123', by: 'sam' });
    const denied = await fetch(`${feed.url}api/deploys`, { method: 'POST', body });
    expect(denied.status).toBe(401);
    const wrong = await fetch(`${feed.url}api/deploys`, { method: 'POST', body, headers: { authorization: 'Bearer sekreT' } });
    expect(wrong.status).toBe(401);
    expect(handle.deployRequests).toEqual([]);
    const accepted = await fetch(`${feed.url}api/deploys`, { method: 'POST', body, headers: { authorization: 'Bearer sekret' } });
    expect(accepted.status).toBe(201);
    expect(await accepted.json()).toEqual({ id: 1, at: handle.state.at, app: 'website', version: 'abc123', by: 'sam' });
    expect(handle.deployRequests).toEqual([{ app: 'website', version: 'abc123', by: 'sam', at: handle.state.at }]);
    // Reads stay open on loopback.
    expect((await fetch(`${feed.url}api/state`)).status).toBe(200);
  });

  it('needs the token for a WebSocket deploy: in the message or on the connection', async () => {
    const handle = new FakeHandle();
    const feed = await start(handle, { token: 'sekret' });
    const anonymous = await connect(wsUrl(feed.url));
    expect((await anonymous.next(ofType('hello'))).canWrite).toBe(false);
    anonymous.send({ type: 'deploy', app: 'website' });
    expect((await anonymous.next(ofType('error'))).message).toBe('deploy needs the token');
    anonymous.send({ type: 'deploy', app: 'website', token: 'nope' });
    expect((await anonymous.next(ofType('error'))).message).toBe('deploy needs the token');
    expect(handle.deployRequests).toEqual([]);
    anonymous.send({ type: 'deploy', app: 'website', version: 'v1', token: 'sekret' });
    expect((await anonymous.next(ofType('deployed'))).deploy).toMatchObject({ id: 1, app: 'website', version: 'v1' });

    const trusted = await connect(wsUrl(feed.url, '?token=sekret'));
    expect((await trusted.next(ofType('hello'))).canWrite).toBe(true);
    trusted.send({ type: 'deploy', app: 'api', at: '2026-11-23T13:59:00Z' });
    expect((await trusted.next(ofType('deployed'))).deploy).toMatchObject({ id: 2, app: 'api', at: Date.parse('2026-11-23T13:59:00Z') });
    trusted.send({ type: 'deploy' });
    expect((await trusted.next(ofType('error'))).message).toMatch(/^app: /);
    expect(handle.deployRequests).toHaveLength(2);
  });

  it('needs the token for reads too when bound beyond loopback, and refuses to bind there without one', async () => {
    await expect(startFeed(new FakeHandle(), { host: '0.0.0.0', port: 0, log: () => {} })).rejects.toThrow(/token/);
    const feed = await start(new FakeHandle(), { host: '0.0.0.0', token: 'sekret' });
    expect((await fetch(`${feed.url}api/state`)).status).toBe(401);
    expect((await fetch(`${feed.url}metrics`)).status).toBe(401);
    expect((await fetch(`${feed.url}api/state`, { headers: { authorization: 'Bearer sekret' } })).status).toBe(200);
    await expect(connect(wsUrl(feed.url))).rejects.toThrow('HTTP 401');
    const client = await connect(wsUrl(feed.url, '?token=sekret'));
    expect((await client.next(ofType('hello'))).canWrite).toBe(true);
  });
});

describe('HTTP API', () => {
  it('GET /api/state is the snapshot', async () => {
    const handle = new FakeHandle();
    handle.state = stopState();
    const feed = await start(handle);
    const response = await fetch(`${feed.url}api/state`);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await response.json()).toEqual(JSON.parse(JSON.stringify(handle.snapshot())));
  });

  it('POST /api/deploys answers bad bodies with 400 naming the field', async () => {
    const handle = new FakeHandle();
    const feed = await start(handle);
    const post = async (body: string) => {
      const response = await fetch(`${feed.url}api/deploys`, { method: 'POST', body, headers: { 'content-type': 'application/json' } });
      return { status: response.status, body: (await response.json()) as { error?: string } };
    };
    const missingApp = await post('{}');
    expect(missingApp.status).toBe(400);
    expect(missingApp.body.error).toMatch(/^app: /);
    expect((await post('{"app":')).body.error).toMatch(/JSON/);
    expect((await post('{"app":"w","colour":"red"}')).body.error).toMatch(/colour/);
    expect(handle.deployRequests).toEqual([]);
    const graphite = await post(JSON.stringify({ what: 'deploy', tags: 'deploy website', when: 1_795_000_000, data: 'abc123' }));
    expect(graphite).toEqual({ status: 201, body: { id: 1, at: 1_795_000_000_000, app: 'website', version: 'abc123' } });
    expect(await rawPostStatus(feed.port, '/api/deploys', 'x'.repeat(200 * 1024))).toBe(413);
    expect(handle.deployRequests).toHaveLength(1);
  });

  it('GET /metrics has the counters, the verdict and at most 20 labelled signatures', async () => {
    const handle = new FakeHandle();
    const state = stopState();
    const many = Array.from({ length: 30 }, (_, i) => signatureView({ id: `sig${i}`, score: i, windowCount: 100 + i, template: `E${i} "q"` }));
    handle.state = { ...state, signatures: [...state.signatures, ...many] };
    const feed = await start(handle);
    const response = await fetch(`${feed.url}metrics`);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await response.text();
    expect(text).toMatch(/^logwatch_lines_total 123456$/m);
    expect(text).toMatch(/^logwatch_records_total 120001$/m);
    expect(text).toMatch(/^logwatch_dropped_total 7$/m);
    expect(text).toMatch(/^logwatch_truncated_total 3$/m);
    expect(text).toMatch(/^logwatch_ahead_total 5$/m);
    expect(text).toMatch(/^logwatch_signatures 2$/m);
    expect(text).toMatch(/^logwatch_verdict_level 4$/m);
    expect(text).toMatch(/^logwatch_verdict\{level="stop"\} 1$/m);
    expect(text).toMatch(/^logwatch_verdict\{level="ok"\} 0$/m);
    expect(text).toMatch(/^logwatch_deploys 3$/m);
    const signatureLines = text.split('\n').filter((line) => line.startsWith('logwatch_signature_window_count{'));
    expect(signatureLines).toHaveLength(20);
    // The 20 highest scores are sig29 … sig10; deadbeef (9.5) and the low ones are left out.
    expect(text).toContain('logwatch_signature_window_count{signature="sig29",template="E29 \\"q\\""} 129');
    expect(text).toContain('signature="sig10"');
    expect(text).not.toContain('signature="sig9"');
    expect(text).not.toContain('signature="deadbeef"');

    // Values follow the state on the next scrape.
    handle.state = { ...handle.state, verdict: { ...handle.state.verdict, level: 'watch' }, stats: { ...handle.state.stats, lines: 200_000 } };
    const again = await (await fetch(`${feed.url}metrics`)).text();
    expect(again).toMatch(/^logwatch_lines_total 200000$/m);
    expect(again).toMatch(/^logwatch_verdict_level 1$/m);
    expect(again).toMatch(/^logwatch_verdict\{level="stop"\} 0$/m);
  });

  it('serves the page, its scripts and uPlot from the package, with a strict CSP', async () => {
    const feed = await start(new FakeHandle());
    const page = await fetch(feed.url);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(await page.text()).toContain('vendor/uPlot.iife.min.js');
    for (const path of ['app.js', 'chart.js', 'table.js', 'app.css', 'vendor/uPlot.iife.min.js', 'vendor/uPlot.min.css']) {
      const response = await fetch(`${feed.url}${path}`);
      expect(response.status, path).toBe(200);
      expect((await response.text()).length, path).toBeGreaterThan(100);
    }
    expect((await fetch(`${feed.url}../package.json`)).status).toBe(404);
    expect((await fetch(`${feed.url}nothing`)).status).toBe(404);
    expect((await fetch(`${feed.url}api/state`, { method: 'DELETE' })).status).toBe(405);
  });
});
