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

  it('finds the highest sum over a span of buckets', () => {
    const series = new BucketSeries();
    [[0, 2], [1, 5], [2, 1], [7, 4], [8, 4]].forEach(([bucket, count]) => series.add(bucket!, bucket! * 10, count));
    expect(peakSum(series, 0, 10, 1)).toBe(5);
    expect(peakSum(series, 0, 10, 2)).toBe(8);
    expect(peakSum(series, 0, 7, 2)).toBe(7);
  });
});
