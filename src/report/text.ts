/** Words and numbers shared by the Markdown and HTML reports. */
import type { VerdictLevel } from '../detect/model.js';

const LABELS: Record<VerdictLevel, string> = {
  ok: 'OK',
  watch: 'WATCH',
  'roll-forward': 'ROLL FORWARD',
  revert: 'REVERT',
  stop: 'STOP PUSHING',
};

export const levelLabel = (level: VerdictLevel): string => LABELS[level];

/** `95 s`, `4 min 05 s`, `1 h 02 min`: time to detection as a reader says it. */
export function formatDuration(ms: number): string {
  const seconds = Math.round(ms / 1000);
  if (Math.abs(seconds) < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${String(seconds % 60).padStart(2, '0')} s`;
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} min`;
}

export const formatNumber = (n: number): string => (Number.isInteger(n) ? String(n) : Math.abs(n) < 0.01 ? n.toExponential(2) : n.toFixed(2));
