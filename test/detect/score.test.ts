import { poissonDistribution } from 'simple-statistics';
import { describe, expect, it } from 'vitest';
import { baselineRate, poissonSurprise, poissonUpperTail } from '../../src/detect/score.js';

describe('Poisson tail', () => {
  it('matches the tail summed from simple-statistics’ distribution table', () => {
    for (const mean of [0.3, 2, 7.5, 40]) {
      const cells = poissonDistribution(mean)!;
      for (const k of [1, 3, 10, 50]) {
        const tail = cells.slice(k).reduce((a, b) => a + b, 0);
        // The table stops once it holds 1 − 1e-4 of the mass, so agreement is to ~1e-4.
        expect(poissonUpperTail(k, mean)).toBeCloseTo(tail, 3);
      }
    }
  });

  it('is 1 for k ≤ 0 and tiny but finite for a never-seen signature', () => {
    expect(poissonUpperTail(0, 3)).toBe(1);
    const surprise = poissonSurprise(200, 0.001);
    expect(Number.isFinite(surprise)).toBe(true);
    expect(surprise).toBe(300);
    expect(poissonSurprise(20, 0.001)).toBeCloseTo(-(20 * Math.log10(0.001) - 0.001 / Math.LN10 - Math.log10(2432902008176640000)), 3);
  });

  it('grows with the count and shrinks with the mean', () => {
    expect(poissonSurprise(5, 1)).toBeGreaterThan(poissonSurprise(4, 1));
    expect(poissonSurprise(5, 1)).toBeGreaterThan(poissonSurprise(5, 2));
    expect(poissonSurprise(1, 5)).toBeCloseTo(-Math.log10(1 - Math.exp(-5)), 6);
  });
});

describe('baseline rate with a prior', () => {
  it('is positive from a zero baseline, so one line is surprising but not infinitely', () => {
    const rate = baselineRate(0, 30 * 60_000, 0.5);
    expect(rate).toBeGreaterThan(0);
    const expectedIn10s = rate * 10_000;
    expect(poissonSurprise(1, expectedIn10s)).toBeLessThan(6);
    expect(poissonSurprise(3, expectedIn10s)).toBeGreaterThan(6);
  });

  it('is so high over a short observed span that nothing is surprising (warm-up)', () => {
    const rate = baselineRate(0, 10_000, 0.5);
    expect(poissonSurprise(3, rate * 10_000)).toBeLessThan(2);
  });
});
