import { describe, expect, it } from 'vitest';
import { crossesIntegerBoundary, isTellingDigits, TELLING_VALUES, tellingFor } from '../../src/detect/telling.js';

describe('TELLING_VALUES', () => {
  it('lists every boundary and its negative, each with a name and a meaning that starts with it', () => {
    const values = TELLING_VALUES.map((t) => t.value);
    for (const v of ['127', '128', '255', '256', '32767', '32768', '65535', '65536', '2147483647', '2147483648',
      '4294967295', '4294967296', '9223372036854775807', '18446744073709551615']) {
      expect(values).toContain(v);
      expect(values).toContain(`-${v}`);
    }
    for (const t of TELLING_VALUES) expect(t.meaning.startsWith(`${t.name}: `)).toBe(true);
    expect(new Set(values).size).toBe(values.length);
  });
});

describe('tellingFor', () => {
  it('explains boundary literals and nothing else', () => {
    expect(tellingFor('2147483647')?.meaning).toBe('INT32_MAX: signed 32-bit overflow');
    expect(tellingFor('-2147483648')?.name).toBe('INT32_MIN');
    expect(tellingFor('-32767')?.name).toBe('-INT16_MAX');
    expect(tellingFor('2147483646')).toBeUndefined();
    expect(tellingFor('0127')).toBeUndefined();
    expect(tellingFor('-9223372036854775808')?.name).toBe('INT64_MIN');
    expect(tellingFor('2'.repeat(40))).toBeUndefined();
  });
});

describe('crossesIntegerBoundary', () => {
  it('flags ids climbing past INT32_MAX', () => {
    const crossed = crossesIntegerBoundary(2147483600, '2147483650');
    expect(crossed?.name).toBe('INT32_MAX');
    expect(crossed?.value).toBe('2147483650');
  });

  it('accepts a bigint maximum and reports the highest boundary crossed', () => {
    expect(crossesIntegerBoundary(100n, '5000000000')?.name).toBe('UINT32_MAX');
    expect(crossesIntegerBoundary(9223372036854775000n, '9223372036854775808')?.name).toBe('INT64_MAX');
  });

  it('is quiet when nothing is crossed, when the value sits on the boundary, or for non-integers', () => {
    expect(crossesIntegerBoundary(2147483648, '2147483700')).toBeUndefined();
    expect(crossesIntegerBoundary(2147483000, '2147483647')).toBeUndefined();
    expect(crossesIntegerBoundary(10, '12.5')).toBeUndefined();
    expect(crossesIntegerBoundary(Number.NaN, '300')).toBeUndefined();
  });
});

describe('isTellingDigits', () => {
  it('knows the digits of every telling literal, in place in a longer text', () => {
    for (const t of TELLING_VALUES) {
      const digits = t.value.replace(/^-/, '');
      const text = `id ${digits} end`;
      expect(isTellingDigits(text, 3, 3 + digits.length)).toBe(true);
    }
  });

  it('says no to neighbours and to other lengths', () => {
    expect(isTellingDigits('2147483646', 0, 10)).toBe(false);
    expect(isTellingDigits('1270', 0, 4)).toBe(false);
    expect(isTellingDigits('x 12', 2, 4)).toBe(false);
  });
});
