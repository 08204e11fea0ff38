// The live page: connects to the feed's WebSocket (same origin), applies the snapshot, follows
// the events, and asks for a fresh snapshot whenever a `seq` number is skipped. On reconnect the
// server sends a new snapshot by itself.
import { createRateChart } from './chart.js';
import { renderDetail, renderTable, templateNode } from './table.js';

const BANNER = {
  ok: 'OK — keep going',
  watch: 'WATCH',
  'roll-forward': 'ROLL FORWARD',
  revert: 'REVERT',
  stop: 'STOP PUSHING',
};
/** Rates and counts arrive only in snapshots; ask for one at most this often while stats tick. */
const SNAPSHOT_REFRESH_MS = 5_000;
const RECONNECT_MAX_MS = 10_000;

const $ = (id) => document.getElementById(id);
const chart = createRateChart($('chart'));
let snapshot = null;
let selectedId = null;
let socket = null;
let lastSeq = 0;
let lastSnapshotAt = 0;
let reconnectMs = 500;

function send(message) {
  if (socket?.readyState === WebSocket.OPEN) socket.send(JSON.stringify(message));
}

function requestSnapshot() {
  lastSnapshotAt = Date.now();
  send({ type: 'snapshot' });
}

function renderVerdict() {
  const { verdict, deploys } = snapshot;
  const banner = $('verdict');
  banner.dataset.level = verdict.level;
  $('verdict-level').textContent = BANNER[verdict.level] ?? verdict.level;
  $('verdict-reason').textContent = verdict.headline ? `${verdict.headline} — ${verdict.reason}` : verdict.reason;
  const meta = [];
  if (verdict.attribution === 'deploy' && verdict.deploy !== null) meta.push(`attributed to deploy #${verdict.deploy}`);
  else if (verdict.level !== 'ok') meta.push('not a deploy: reverting will not help');
  if (verdict.countdownEndsAt !== null) meta.push(`revert at ${new Date(verdict.countdownEndsAt).toLocaleTimeString()} if still bursting`);
  if (verdict.resolvedBy !== null) meta.push(`previous verdict resolved by deploy #${verdict.resolvedBy}`);
  const last = deploys[deploys.length - 1];
  if (last) meta.push(`last deploy #${last.id} ${last.app}${last.version ? ` ${last.version}` : ''} at ${new Date(last.at).toLocaleTimeString()}`);
  const metaNode = $('verdict-meta');
  metaNode.replaceChildren(document.createTextNode(meta.join(' · ')));
  for (const telling of verdict.telling) {
    metaNode.append(' · ', templateNode(telling.value, [telling], 'telling-value'), ` ${telling.meaning}`);
  }
}

function renderSignatures() {
  renderTable($('signatures'), $('no-signatures'), snapshot.signatures, selectedId, select);
  renderDetail($('detail'), snapshot.signatures.find((view) => view.id === selectedId) ?? null);
}

/** Counts, and what was lost on the way in (never hidden, even at zero); lines counted on arrival once there are any. */
function renderStats(stats) {
  $('stats').textContent =
    `${stats.lines} lines · ${stats.records} records · ${stats.signatures} signatures · ${stats.hosts} hosts` +
    ` · dropped ${stats.dropped} · truncated ${stats.truncated} · evicted ${stats.evicted}` +
    (stats.ahead > 0 ? ` · ${stats.ahead} ahead of clock, counted on arrival` : '');
}

function applySnapshot(next) {
  snapshot = next;
  lastSnapshotAt = Date.now();
  renderVerdict();
  chart.render(snapshot);
  renderSignatures();
  renderStats(snapshot.stats);
}

function select(id) {
  selectedId = selectedId === id ? null : id;
  send({ type: 'subscribe', samplesOf: selectedId });
  renderSignatures();
}

const eventTime = (iso) => Date.parse(iso);

function applyEvent(message) {
  switch (message.type) {
    case 'verdict': {
      const { type: _type, seq: _seq, ...verdict } = message;
      snapshot.verdict = { ...verdict, at: eventTime(message.at) };
      renderVerdict();
      return;
    }
    case 'deploy': {
      const { type: _type, seq: _seq, ...deploy } = message;
      snapshot.deploys = [...snapshot.deploys.filter((d) => d.id !== deploy.id), { ...deploy, at: eventTime(message.at) }];
      chart.setDeploys(snapshot.deploys);
      renderVerdict();
      return;
    }
    case 'signature': {
      if (snapshot.signatures.some((view) => view.id === message.id)) return;
      const at = eventTime(message.at);
      snapshot.signatures = [...snapshot.signatures, {
        id: message.id, template: message.template, level: message.level, new: message.new, firstSeen: at, lastSeen: at,
        windowCount: 1, baseline: 0, ratio: 0, score: 0, hosts: 1, hostsTotal: snapshot.hostsTotal, sparkline: [],
        telling: message.telling, common: {}, samples: [], perHost: { [message.host]: 1 },
      }];
      renderSignatures();
      return;
    }
    case 'stats':
      renderStats(message);
      if (Date.now() - lastSnapshotAt > SNAPSHOT_REFRESH_MS) requestSnapshot();
      return;
    case 'samples':
      if (message.id === selectedId && message.found) {
        const view = snapshot.signatures.find((v) => v.id === message.id);
        if (view) Object.assign(view, { samples: message.samples, perHost: message.perHost });
        renderSignatures();
      }
      return;
    case 'error':
      console.warn('feed:', message.message);
      return;
  }
}

function receive(message) {
  // hello opens a connection's numbering; any other number but the next one means messages were shed.
  const gap = message.type !== 'hello' && message.seq !== lastSeq + 1;
  lastSeq = message.seq;
  if (message.type === 'hello') return;
  if (message.type === 'snapshot') {
    const { type: _type, seq: _seq, ...state } = message;
    applySnapshot(state);
    return;
  }
  if (snapshot === null) return;
  if (gap) requestSnapshot();
  applyEvent(message);
}

function setConnection(text) {
  $('connection').textContent = text;
  document.body.dataset.connection = text;
}

function connect() {
  const url = new URL('ws', location.href);
  url.protocol = location.protocol === 'https:' ? 'wss:' : 'ws:';
  const token = new URLSearchParams(location.search).get('token');
  url.search = token ? `?token=${encodeURIComponent(token)}` : '';
  socket = new WebSocket(url);
  socket.addEventListener('open', () => {
    reconnectMs = 500;
    setConnection('live');
    if (selectedId !== null) send({ type: 'subscribe', samplesOf: selectedId });
  });
  socket.addEventListener('message', (event) => receive(JSON.parse(event.data)));
  socket.addEventListener('close', () => {
    setConnection('reconnecting');
    setTimeout(connect, reconnectMs);
    reconnectMs = Math.min(reconnectMs * 2, RECONNECT_MAX_MS);
  });
}

connect();
