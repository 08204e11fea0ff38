/** Sparklines from bucket counts: pure text, so the table and the detail view share one drawing. */

const BARS = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'] as const;

/**
 * The last `width` values as bars scaled to their maximum, left-padded with spaces to `width`.
 * Zero is the lowest bar and any non-zero count is at least the second, so one line in a quiet
 * stretch is still visible.
 */
export function sparkline(values: readonly number[], width: number): string {
  const cells = Math.max(0, Math.floor(width));
  const shown = cells === 0 ? [] : values.slice(-cells);
  const max = shown.reduce((a, b) => Math.max(a, b), 0);
  const bars = shown.map((value) => barFor(value, max)).join('');
  return bars.padStart(cells, ' ');
}

function barFor(value: number, max: number): string {
  if (!(value > 0) || max <= 0) return BARS[0];
  const steps = BARS.length - 1;
  const level = 1 + Math.round(((value / max) * (steps - 1)));
  return BARS[Math.min(steps, Math.max(1, level))] ?? BARS[0];
}

/**
 * A line under a sparkline of `width` buckets ending at `end` (event ms): `▲` under the bucket
 * holding each deploy, followed by its id where there is room. Deploys outside the span are left out.
 */
export function deployMarkers(
  deploys: ReadonlyArray<{ id: number; at: number }>,
  width: number,
  end: number,
  bucketMs: number,
): string {
  const cells = Math.max(0, Math.floor(width));
  const line: string[] = Array.from({ length: cells }, () => ' ');
  if (bucketMs <= 0) return line.join('');
  const start = end - cells * bucketMs;
  const placed = [...deploys]
    .sort((a, b) => a.at - b.at)
    .map((deploy) => ({ id: deploy.id, index: Math.floor((deploy.at - start) / bucketMs) }))
    .filter(({ index }) => index >= 0 && index < cells);
  // Markers first, labels after: a label never takes the cell of a later marker.
  for (const { index } of placed) line[index] = '▲';
  for (const { id, index } of placed) writeLabel(line, index + 1, `#${id}`);
  return line.join('');
}

/** Writes the label only over blank cells, so a later marker never hides an earlier one. */
function writeLabel(line: string[], from: number, label: string): void {
  if (from + label.length > line.length) return;
  for (let i = 0; i < label.length; i++) if (line[from + i] !== ' ') return;
  for (let i = 0; i < label.length; i++) line[from + i] = label[i] ?? ' ';
}
