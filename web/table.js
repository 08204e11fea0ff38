// The signature table and the samples panel. Everything that comes from logs is inserted as
// text (textContent / text nodes), never as HTML.

const MAX_ROWS = 200;
const MASK = /<[A-Z][A-Z0-9_]*>/g;

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/** Where each telling value occurs in the template as a whole number (not inside a longer one). */
function tellingSpans(template, telling) {
  const spans = [];
  const values = [...new Set(telling.map((t) => t.value))].sort((a, b) => b.length - a.length);
  for (const value of values) {
    let from = 0;
    for (let at = template.indexOf(value, from); at >= 0; at = template.indexOf(value, from)) {
      const before = template[at - 1] ?? '';
      const after = template[at + value.length] ?? '';
      const whole = !/[0-9]/.test(after) && !/[0-9]/.test(before) && (value.startsWith('-') || before !== '-');
      const overlaps = spans.some((s) => at < s.end && at + value.length > s.start);
      if (whole && !overlaps) spans.push({ start: at, end: at + value.length, telling: telling.find((t) => t.value === value) });
      from = at + value.length;
    }
  }
  return spans.sort((a, b) => a.start - b.start);
}

/** Plain text with masks (<NUM>) dimmed. */
function appendMasked(parent, text) {
  let last = 0;
  for (const match of text.matchAll(MASK)) {
    if (match.index > last) parent.append(document.createTextNode(text.slice(last, match.index)));
    parent.append(el('span', 'mask', match[0]));
    last = match.index + match[0].length;
  }
  if (last < text.length) parent.append(document.createTextNode(text.slice(last)));
}

/** The template with telling values (2147483647) highlighted and explained on hover. */
export function templateNode(template, telling, className = 'template') {
  const node = el('span', className);
  let last = 0;
  for (const span of tellingSpans(template, telling)) {
    appendMasked(node, template.slice(last, span.start));
    const mark = el('mark', 'telling', template.slice(span.start, span.end));
    mark.title = span.telling.meaning;
    node.append(mark);
    last = span.end;
  }
  appendMasked(node, template.slice(last));
  return node;
}

function formatNumber(value, digits = 0) {
  return Number.isFinite(value) ? value.toFixed(digits) : '–';
}

function row(view, selectedId, onSelect) {
  const tr = el('tr');
  tr.dataset.signature = view.id;
  tr.className = `level-${view.level}${view.id === selectedId ? ' selected' : ''}`;
  tr.tabIndex = 0;
  const badge = el('td');
  if (view.new) badge.append(el('span', 'badge-new', 'NEW'));
  const template = el('td');
  template.append(templateNode(view.template, view.telling));
  tr.append(
    badge,
    el('td', 'id', view.id),
    el('td', 'num', formatNumber(view.windowCount)),
    el('td', 'num', formatNumber(view.baseline, 1)),
    el('td', 'num', view.ratio > 0 ? `×${formatNumber(view.ratio, 1)}` : '–'),
    el('td', 'num', `${view.hosts}/${view.hostsTotal}`),
    el('td', 'level', view.level),
    template,
  );
  tr.addEventListener('click', () => onSelect(view.id));
  tr.addEventListener('keydown', (event) => { if (event.key === 'Enter') onSelect(view.id); });
  return tr;
}

export function renderTable(table, empty, signatures, selectedId, onSelect) {
  const rows = [...signatures].sort((a, b) => b.score - a.score || b.windowCount - a.windowCount).slice(0, MAX_ROWS);
  table.tBodies[0].replaceChildren(...rows.map((view) => row(view, selectedId, onSelect)));
  empty.hidden = rows.length > 0;
}

/** The samples panel: `view` is a SignatureView or a `samples` message from the feed. */
export function renderDetail(panel, view) {
  if (view === null) {
    panel.hidden = true;
    return;
  }
  panel.hidden = false;
  panel.querySelector('#detail-id').textContent = view.id;
  panel.querySelector('#detail-template').replaceChildren(templateNode(view.template, view.telling ?? []));
  const common = Object.entries(view.common ?? {});
  panel.querySelector('#detail-common').textContent =
    common.length > 0 ? `every line: ${common.map(([key, value]) => `${key}=${value}`).join(', ')}` : '';
  const samples = view.samples.length > 0 ? view.samples : ['(no samples kept)'];
  panel.querySelector('#detail-samples').replaceChildren(...samples.map((sample) => el('li', null, sample)));
  const hosts = Object.entries(view.perHost).sort((a, b) => b[1] - a[1]);
  panel.querySelector('#detail-hosts').replaceChildren(...hosts.map(([host, count]) => el('li', null, `${host}: ${count}`)));
}
