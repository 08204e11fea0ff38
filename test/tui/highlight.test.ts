import { describe, expect, it } from 'vitest';
import { splitTelling } from '../../src/tui/highlight.js';

describe('splitTelling', () => {
  it('marks whole telling numbers only', () => {
    expect(splitTelling('id 2147483647 and 21474836470', ['2147483647'])).toEqual([
      { text: 'id ', telling: false },
      { text: '2147483647', telling: true },
      { text: ' and 21474836470', telling: false },
    ]);
  });

  it('prefers the negative value at the same place', () => {
    expect(splitTelling('x=-2147483648', ['2147483648', '-2147483648'])).toEqual([
      { text: 'x=', telling: false },
      { text: '-2147483648', telling: true },
    ]);
  });

  it('returns the text as one plain segment when nothing is telling', () => {
    expect(splitTelling('plain', [])).toEqual([{ text: 'plain', telling: false }]);
  });
});
