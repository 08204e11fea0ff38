/**
 * Screen geometry as pure arithmetic: which table columns fit a width, and how the rows of a
 * terminal are shared. The whole frame stays at most `rows - 1` lines tall, because Ink clears
 * the screen and the user's scrollback on every frame that reaches the terminal's height.
 */

/** Below this width the table drops to level + count + template. */
export const COMPACT_BELOW_COLUMNS = 60;
/** The template is the point of a row: columns are dropped before it gets narrower than this. */
const MIN_TEMPLATE_COLUMNS = 28;
/** Assumed when the stream does not say (not a TTY, or a test stream). */
export const DEFAULT_COLUMNS = 80;
export const DEFAULT_ROWS = 24;

export type ColumnId = 'marker' | 'level' | 'new' | 'count' | 'baseline' | 'ratio' | 'hosts' | 'spark' | 'first' | 'template';

export interface Column {
  id: ColumnId;
  title: string;
  /** Cells including the one space that separates it from the next column. */
  width: number;
}

export interface TableLayout {
  compact: boolean;
  columns: Column[];
}

const MARKER: Column = { id: 'marker', title: '', width: 2 };
const LEVEL: Column = { id: 'level', title: 'LEVEL', width: 6 };
const COUNT: Column = { id: 'count', title: 'COUNT', width: 6 };

/** Full-width columns in display order. */
const FULL: Column[] = [
  MARKER,
  LEVEL,
  { id: 'new', title: '', width: 4 },
  COUNT,
  { id: 'baseline', title: 'BASE', width: 6 },
  { id: 'ratio', title: 'RATIO', width: 6 },
  { id: 'hosts', title: 'HOSTS', width: 7 },
  { id: 'spark', title: 'TREND', width: 9 },
  { id: 'first', title: 'FIRST', width: 6 },
];

/** Dropped first to last as the width shrinks: the least needed at a glance goes first. */
const DROP_ORDER: ColumnId[] = ['first', 'baseline', 'spark', 'level', 'ratio'];
/** Extra width beyond this template size widens the sparkline, up to this many cells. */
const ROOMY_TEMPLATE_COLUMNS = 70;
const MAX_SPARK_CELLS = 24;

export function tableLayout(width: number): TableLayout {
  const total = Math.max(1, Math.floor(width));
  if (total < COMPACT_BELOW_COLUMNS) {
    return { compact: true, columns: withTemplate([MARKER, LEVEL, COUNT], total) };
  }
  let columns = [...FULL];
  for (const id of DROP_ORDER) {
    if (templateRoom(columns, total) >= MIN_TEMPLATE_COLUMNS) break;
    columns = columns.filter((column) => column.id !== id);
  }
  columns = widenSpark(columns, total);
  return { compact: false, columns: withTemplate(columns, total) };
}

function templateRoom(columns: readonly Column[], total: number): number {
  return total - columns.reduce((sum, column) => sum + column.width, 0);
}

function widenSpark(columns: Column[], total: number): Column[] {
  const spare = templateRoom(columns, total) - ROOMY_TEMPLATE_COLUMNS;
  if (spare <= 0) return columns;
  return columns.map((column) =>
    column.id === 'spark' ? { ...column, width: Math.min(MAX_SPARK_CELLS + 1, column.width + spare) } : column,
  );
}

function withTemplate(columns: Column[], total: number): Column[] {
  return [...columns, { id: 'template', title: 'SIGNATURE', width: Math.max(1, templateRoom(columns, total)) }];
}

/** How the rows of the terminal are shared between the fixed parts and the body. */
export interface ScreenPlan {
  header: boolean;
  /** Draw the banner in a box (two more lines) when there is room. */
  bannerBox: boolean;
  /** Content lines of the banner, after cutting to fit. */
  bannerLines: number;
  footerLines: 0 | 1 | 2;
  /** Lines left for the table, detail view or help. */
  bodyLines: number;
}

/**
 * Shares `rows - 1` lines. The banner's first line (the verdict) is the last thing to go; the
 * body gets whatever remains, possibly nothing on a tiny terminal.
 */
export function planScreen(rows: number, bannerContentLines: number): ScreenPlan {
  let budget = Math.max(1, Math.floor(rows) - 1);
  const bannerLines = Math.max(1, Math.min(bannerContentLines, budget >= 12 ? bannerContentLines : 1));
  budget -= bannerLines;
  const footerLines = budget >= 10 ? 2 : budget >= 1 ? 1 : 0;
  budget -= footerLines;
  const header = budget >= 1;
  if (header) budget -= 1;
  const bannerBox = budget >= 12;
  if (bannerBox) budget -= 2;
  return { header, bannerBox, bannerLines, footerLines, bodyLines: Math.max(0, budget) };
}

/** Rows to show out of `total`, scrolled so that `selected` is visible. */
export function visibleWindow(total: number, selected: number, capacity: number): { start: number; end: number } {
  const room = Math.max(0, capacity);
  if (total <= room) return { start: 0, end: total };
  const start = Math.min(Math.max(0, selected - room + 1), total - room);
  return { start, end: start + room };
}

/**
 * Packs short entries (`web-01 50`) into at most `maxLines` lines of `width` cells, greedily,
 * ending with `+N more` when they do not all fit. Widths are counted in UTF-16 units, which is
 * exact for the ASCII host names this is for and only conservative for others (Ink truncates).
 */
export function packEntries(entries: readonly string[], width: number, maxLines: number): string[] {
  const separator = '  ';
  const lines: string[] = [];
  let current = '';
  for (let index = 0; index < entries.length; index++) {
    const entry = entries[index] ?? '';
    const candidate = current === '' ? entry : current + separator + entry;
    if (candidate.length <= width || current === '') {
      current = candidate;
      continue;
    }
    if (lines.length + 1 === maxLines) return [...lines, withMore(current, entries.length - index, width)];
    lines.push(current);
    current = entry;
  }
  if (current !== '' && lines.length < maxLines) lines.push(current);
  return lines;
}

/** Ends `line` with `+N more`, dropping whole entries from its end until that fits. */
function withMore(line: string, more: number, width: number): string {
  let kept = line;
  let count = more;
  while (kept.length + ` +${count} more`.length > width && kept.includes('  ')) {
    kept = kept.slice(0, kept.lastIndexOf('  '));
    count++;
  }
  return `${kept} +${count} more`;
}
