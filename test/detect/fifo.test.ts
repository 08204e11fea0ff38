import { describe, expect, it } from 'vitest';
import { Fifo } from '../../src/detect/fifo.js';

describe('Fifo', () => {
  it('gives items back oldest first, across compactions', () => {
    const fifo = new Fifo<number>();
    for (let i = 0; i < 5000; i++) fifo.push(i);
    const taken: number[] = [];
    for (let i = 0; i < 3000; i++) taken.push(fifo.shift()!);
    for (let i = 5000; i < 6000; i++) fifo.push(i);
    expect(taken).toEqual(Array.from({ length: 3000 }, (_, i) => i));
    expect(fifo.size).toBe(3000);
    expect(fifo.shift()).toBe(3000);
  });

  it('retains only what is kept, in order, and is empty after the last', () => {
    const fifo = new Fifo<number>();
    for (let i = 0; i < 10; i++) fifo.push(i);
    fifo.shift();
    fifo.retain((n) => n % 2 === 0);
    expect([fifo.shift(), fifo.shift(), fifo.shift(), fifo.shift(), fifo.shift()]).toEqual([2, 4, 6, 8, undefined]);
    expect(fifo.size).toBe(0);
  });
});
