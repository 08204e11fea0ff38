import { describe, expect, it } from 'vitest';
import { EventRate } from '../../src/detect/event-rate.js';

const T0 = Date.UTC(2026, 10, 23, 12, 0, 0);

describe('EventRate', () => {
  it('counts events in the last minute of event time', () => {
    const rate = new EventRate();
    for (let i = 0; i < 5; i++) rate.add(T0 + i * 10_000);
    expect(rate.lastMinute(T0 + 40_000)).toBe(5);
    expect(rate.lastMinute(T0 + 65_000)).toBe(4);
    expect(rate.lastMinute(T0 + 200_000)).toBe(0);
  });

  it('counts a late event in its own second', () => {
    const rate = new EventRate();
    rate.add(T0 + 30_000);
    rate.add(T0 + 10_500);
    rate.add(T0 + 10_200);
    rate.add(T0 + 20_000);
    expect(rate.lastMinute(T0 + 30_000)).toBe(4);
    expect(rate.lastMinute(T0 + 71_000)).toBe(2);
    expect(rate.lastMinute(T0 + 81_000)).toBe(1);
  });
});
