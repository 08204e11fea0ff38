/**
 * Telling values: numbers at integer type boundaries. An engineer who sees 2147483647 in an
 * error knows at once that a signed 32-bit column or counter ran out, so the fingerprinter keeps
 * these literal in templates and reports them with their meaning instead of hiding them as <NUM>.
 */
import type { Telling } from './model.js';

/** One boundary: its literal and what it means when it shows up in an error. */
interface Boundary {
  value: string;
  name: string;
  meaning: string;
}

/** Positive boundaries, smallest first. Negatives are derived below. */
const POSITIVE_BOUNDARIES: readonly Boundary[] = [
  { value: '127', name: 'INT8_MAX', meaning: 'signed 8-bit (TINYINT) maximum: overflow' },
  { value: '128', name: 'INT8_MAX+1', meaning: 'one past signed 8-bit maximum: overflow' },
  { value: '255', name: 'UINT8_MAX', meaning: 'unsigned 8-bit maximum: overflow' },
  { value: '256', name: 'UINT8_MAX+1', meaning: 'one past unsigned 8-bit maximum: overflow' },
  { value: '32767', name: 'INT16_MAX', meaning: 'signed 16-bit (SMALLINT) maximum: overflow' },
  { value: '32768', name: 'INT16_MAX+1', meaning: 'one past signed 16-bit maximum: overflow' },
  { value: '65535', name: 'UINT16_MAX', meaning: 'unsigned 16-bit maximum: overflow (also the last TCP port)' },
  { value: '65536', name: 'UINT16_MAX+1', meaning: 'one past unsigned 16-bit maximum: overflow' },
  { value: '2147483647', name: 'INT32_MAX', meaning: 'signed 32-bit overflow' },
  { value: '2147483648', name: 'INT32_MAX+1', meaning: 'one past signed 32-bit maximum: overflow' },
  { value: '4294967295', name: 'UINT32_MAX', meaning: 'unsigned 32-bit overflow' },
  { value: '4294967296', name: 'UINT32_MAX+1', meaning: 'one past unsigned 32-bit maximum: overflow' },
  { value: '9223372036854775807', name: 'INT64_MAX', meaning: 'signed 64-bit overflow' },
  { value: '18446744073709551615', name: 'UINT64_MAX', meaning: 'unsigned 64-bit overflow' },
];

/** Named negatives: the minimums a signed type wraps to. Other negatives are "-<name>". */
const NEGATIVE_NAMES: Readonly<Record<string, { name: string; meaning: string }>> = {
  '-128': { name: 'INT8_MIN', meaning: 'signed 8-bit minimum: underflow or wrapped overflow' },
  '-32768': { name: 'INT16_MIN', meaning: 'signed 16-bit minimum: underflow or wrapped overflow' },
  '-2147483648': { name: 'INT32_MIN', meaning: 'signed 32-bit minimum: underflow or wrapped overflow' },
  '-9223372036854775808': { name: 'INT64_MIN', meaning: 'signed 64-bit minimum: underflow or wrapped overflow' },
};

function negativeOf(boundary: Boundary): Boundary {
  const value = `-${boundary.value}`;
  const named = NEGATIVE_NAMES[value];
  const name = named?.name ?? `-${boundary.name}`;
  const meaning = named?.meaning ?? `negated ${boundary.name}: ${boundary.meaning}`;
  return { value, name, meaning };
}

function toTelling(boundary: Boundary): Telling {
  return Object.freeze({ value: boundary.value, name: boundary.name, meaning: `${boundary.name}: ${boundary.meaning}` });
}

const INT64_MIN: Boundary = { value: '-9223372036854775808', ...NEGATIVE_NAMES['-9223372036854775808']! };

/** Every telling literal, positive and negative, as data. */
export const TELLING_VALUES: readonly Telling[] = Object.freeze([
  ...POSITIVE_BOUNDARIES.map(toTelling),
  ...POSITIVE_BOUNDARIES.map(negativeOf).map(toTelling),
  toTelling(INT64_MIN),
]);

const BY_LITERAL: ReadonlyMap<string, Telling> = new Map(TELLING_VALUES.map((t) => [t.value, t]));

/** Bit n is set when some telling literal is n characters long (all are under 32): a filter before hashing. */
const TELLING_LENGTHS = TELLING_VALUES.reduce((bits, t) => bits | (1 << t.value.length), 0);

/** The telling value a literal integer is, if it is one (`2147483647` yes, `2147483646` no). */
export function tellingFor(literal: string): Telling | undefined {
  if (literal.length >= 32 || ((TELLING_LENGTHS >>> literal.length) & 1) === 0) return undefined;
  return BY_LITERAL.get(literal);
}

/** The digits of every telling literal, its sign dropped. */
const TELLING_DIGITS: readonly string[] = [...new Set(TELLING_VALUES.map((t) => t.value.replace(/^-/, '')))];
/** Bit n is set when some telling literal has n digits (all have fewer than 32): a filter before `isTellingDigits`. */
const TELLING_DIGIT_LENGTHS = TELLING_DIGITS.reduce((bits, d) => bits | (1 << d.length), 0);

/** The digits of every telling literal by their count (a shape's pattern excludes them from its runs). */
export const TELLING_DIGITS_BY_LENGTH: ReadonlyMap<number, readonly string[]> = TELLING_DIGITS.reduce((byLength, digits) => {
  byLength.set(digits.length, [...(byLength.get(digits.length) ?? []), digits]);
  return byLength;
}, new Map<number, string[]>());

/**
 * Whether the digits `text[start, end)` are those of a telling literal, signed or not: a line
 * holding such a run could keep it literal, so a memo keyed by the line's shape must key such a
 * run by its digits. Compares in place, no substring.
 */
export function isTellingDigits(text: string, start: number, end: number): boolean {
  const length = end - start;
  if (length >= 32 || ((TELLING_DIGIT_LENGTHS >>> length) & 1) === 0) return false;
  for (const digits of TELLING_DIGITS) if (digits.length === length && text.startsWith(digits, start)) return true;
  return false;
}

/** Maximums a climbing counter can run out of: the `*_MAX` entries, smallest first. */
const CLIMB_LIMITS: readonly { limit: bigint; name: string }[] = POSITIVE_BOUNDARIES.filter((b) =>
  b.name.endsWith('_MAX'),
).map((b) => ({ limit: BigInt(b.value), name: b.name }));

function parseInteger(value: string): bigint | undefined {
  if (!/^[+-]?\d{1,40}$/.test(value)) return undefined;
  return BigInt(value);
}

/**
 * Whether a numeric slot's new value has climbed past a type maximum that the slot's previous
 * maximum was still within: ids passing 2^31 - 1 are telling before any error mentions them.
 * Returns the highest maximum crossed, or undefined (also for non-integers). Reports every
 * `*_MAX` boundary from INT8_MAX up; the caller decides which ones are worth a flag.
 */
export function crossesIntegerBoundary(previousMax: bigint | number, value: string): Telling | undefined {
  const current = parseInteger(value);
  if (current === undefined || (typeof previousMax === 'number' && !Number.isFinite(previousMax))) return undefined;
  const previous = typeof previousMax === 'bigint' ? previousMax : BigInt(Math.trunc(previousMax));
  let crossed: { limit: bigint; name: string } | undefined;
  for (const candidate of CLIMB_LIMITS) {
    if (previous <= candidate.limit && current > candidate.limit) crossed = candidate;
  }
  if (crossed === undefined) return undefined;
  return {
    value,
    name: crossed.name,
    meaning: `${crossed.name}: values climbed past ${crossed.limit} (${value} > ${crossed.limit}); the type overflows`,
  };
}
