import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bucketOf, BucketSeries, peakSum } from '../../src/detect/buckets.js';

describe('BucketSeries', () => {
  it('counts, sums ranges, keeps each bucket’s first line and accepts late lines', () => {
    const series = new BucketSeries();
    series.add(bucketOf(12_000, 10_000), 12_000);
    series.add(1, 15_000);
    series.add(3, 31_000);
    series.add(2, 29_000);
    series.add(1, 11_000);
    expect(series.dense(0, 5)).toEqual([0, 3, 1, 1, 0]);
    expect(series.sum(1, 3)).toBe(4);
    expect(series.firstAt(1)).toBe(11_000);
    expect(series.firstAt(0)).toBeUndefined();
    series.prune(2);
    expect(series.dense(0, 5)).toEqual([0, 0, 1, 1, 0]);
    expect(series.oldest).toBe(2);
  });

  it('counts lines added in any order as a plain count per bucket does, first times included', () => {
    const line = fc.record({ bucket: fc.integer({ min: 0, max: 40 }), at: fc.integer({ min: 0, max: 1000 }) });
    fc.assert(
      fc.property(fc.array(line, { maxLength: 200 }), (lines) => {
        const series = new BucketSeries();
        const expected = new Map<number, { count: number; firstAt: number }>();
        for (const { bucket, at } of lines) {
          series.add(bucket, at);
          const seen = expected.get(bucket);
          expected.set(bucket, { count: (seen?.count ?? 0) + 1, firstAt: Math.min(seen?.firstAt ?? at, at) });
        }
        const stored = [...series.nonEmptyDescending(0, 41)].reverse();
        expect(stored).toEqual([...expected.keys()].sort((a, b) => a - b).map((bucket) => ({ bucket, ...expected.get(bucket)! })));
      }),
    );
  });

  it('finds the highest sum over a span of buckets', () => {
    const series = new BucketSeries();
    [[0, 2], [1, 5], [2, 1], [7, 4], [8, 4]].forEach(([bucket, count]) => series.add(bucket!, bucket! * 10, count));
    expect(peakSum(series, 0, 10, 1)).toBe(5);
    expect(peakSum(series, 0, 10, 2)).toBe(8);
    expect(peakSum(series, 0, 7, 2)).toBe(7);
  });

  it('finds the same peak over the stored buckets as over a dense copy of the range', () => {
    const densePeak = (counts: number[], span: number): number => {
      let peak = 0;
      for (let end = 0; end < counts.length; end++) {
        const sum = counts.slice(Math.max(0, end - span + 1), end + 1).reduce((a, b) => a + b, 0);
        peak = Math.max(peak, sum);
      }
      return peak;
    };
    const bucketCounts = fc.array(fc.tuple(fc.integer({ min: -5, max: 60 }), fc.integer({ min: 1, max: 9 })), { maxLength: 30 });
    fc.assert(fc.property(bucketCounts, fc.integer({ min: -10, max: 70 }), fc.integer({ min: 0, max: 40 }), fc.integer({ min: 1, max: 15 }), (adds, from, width, span) => {
      const series = new BucketSeries();
      for (const [bucket, count] of adds) series.add(bucket, bucket * 10, count);
      expect(peakSum(series, from, from + width, span)).toBe(width === 0 ? 0 : densePeak(series.dense(from, from + width), span));
    }));
  });
});
