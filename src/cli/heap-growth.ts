/**
 * How far V8 lets the heap grow past what survived the last full collection. Its default (up
 * to about 4× when collections are cheap) suits short scripts; logwatch runs for hours behind
 * caps that keep its live heap at a few tens of MB, and under a stream of distinct messages
 * (each a new signature that the caps soon evict) the default let a 50 MB live heap reach
 * 330 MB RSS before each full collection. 1.5× holds that run near 200 MB at a cost within the
 * benchmark's noise on ordinary input (bench/README.md, "Memory under cardinality").
 *
 * Only the live commands (`watch`, `record`) set it: a replay holds its whole fixture's records
 * (its live heap grows with the input), where a tight growth factor only adds full collections
 * (15 % slower on a 100 MB replay, for no lower peak).
 *
 * V8 reads this flag whenever it sizes the heap after a collection, so setting it at start-up,
 * from code, takes effect (unlike the heap-size flags, which are fixed when the isolate starts).
 */
import v8 from 'node:v8';

export const HEAP_GROWING_PERCENT = 50;

export function boundHeapGrowth(): void {
  v8.setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}
