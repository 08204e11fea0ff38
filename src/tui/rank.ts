/** Which signatures the table lists, and in what order. */
import type { SignatureView } from '../detect/model.js';

/** Case-insensitive substring match on the template; an empty filter keeps everything. */
export function matchesFilter(template: string, filter: string): boolean {
  return filter === '' || template.toLowerCase().includes(filter.toLowerCase());
}

/**
 * Filtered, most alarming first: by score, then by count, then by id so that equal rows keep
 * their places between snapshots instead of flickering.
 */
export function listSignatures(signatures: readonly SignatureView[], filter: string): SignatureView[] {
  return signatures
    .filter((signature) => matchesFilter(signature.template, filter))
    .sort((a, b) => b.score - a.score || b.windowCount - a.windowCount || a.id.localeCompare(b.id));
}
