import { describe, expect, it } from 'vitest';
import { deployMarkers, sparkline } from '../../src/tui/sparkline.js';

describe('sparkline', () => {
  it('scales to the maximum, zero lowest, any count visible above zero', () => {
    expect(sparkline([0, 1, 50, 100], 4)).toBe('▁▂▅█');
  });

  it('keeps the last values and pads on the left to the width', () => {
    expect(sparkline([9, 9, 0, 8], 2)).toBe('▁█');
    expect(sparkline([4], 3)).toBe('  █');
    expect(sparkline([], 0)).toBe('');
  });

  it('draws all-zero as the floor', () => {
    expect(sparkline([0, 0, 0], 3)).toBe('▁▁▁');
  });
});

describe('deployMarkers', () => {
  it('puts ▲ under the bucket holding each deploy, with its id when there is room', () => {
    // 6 buckets of 10 s ending at 60 000: bucket 2 is [20 000, 30 000).
    expect(deployMarkers([{ id: 3, at: 25_000 }], 6, 60_000, 10_000)).toBe('  ▲#3 ');
  });

  it('leaves out deploys outside the span and never overwrites a marker with a label', () => {
    const line = deployMarkers([{ id: 1, at: -5 }, { id: 2, at: 10_000 }, { id: 3, at: 20_000 }], 6, 60_000, 10_000);
    expect(line).toBe(' ▲▲#3 ');
  });
});
