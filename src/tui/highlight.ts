/** Splits display text around telling values (2147483647) so the view can paint them. */

export interface Segment {
  text: string;
  telling: boolean;
}

/**
 * Cuts `text` into plain and telling segments. A value matches only as a whole number: the
 * digits around it must not continue it, so `2147483647` is not found inside `21474836470`.
 */
export function splitTelling(text: string, values: readonly string[]): Segment[] {
  const pattern = tellingPattern(values);
  if (pattern === null) return text === '' ? [] : [{ text, telling: false }];
  const segments: Segment[] = [];
  let from = 0;
  for (const match of text.matchAll(pattern)) {
    const at = match.index;
    if (at > from) segments.push({ text: text.slice(from, at), telling: false });
    segments.push({ text: match[0], telling: true });
    from = at + match[0].length;
  }
  if (from < text.length) segments.push({ text: text.slice(from), telling: false });
  return segments;
}

function tellingPattern(values: readonly string[]): RegExp | null {
  const distinct = [...new Set(values.filter((value) => value !== ''))];
  if (distinct.length === 0) return null;
  // Longest first, so -2147483648 wins over 2147483648 at the same place.
  distinct.sort((a, b) => b.length - a.length);
  const alternatives = distinct.map(escapeRegExp).join('|');
  return new RegExp(`(?<![0-9])(?:${alternatives})(?![0-9])`, 'g');
}

function escapeRegExp(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
