/**
 * The two 32-bit lanes the masker and the shape memo hash text with, step by step inside their
 * own character loops (a function per step would cost the hot loops their speed): FNV-1a's prime
 * and a second odd multiplier (MurmurHash2's), each from its own seed. With the text's length, the
 * two lanes are a 64-bit key: two different texts agree on it about once in 2^64 pairs.
 *
 * One object, which users unpack into constants of their own module: a hot loop that reads an
 * imported binding pays a check on every read (the shape pass ran at 6.0 ns per character that
 * way, 4.3 with module constants).
 */
export const TWO_LANE_HASH: Readonly<Record<'LANE_A' | 'LANE_B' | 'SEED_A' | 'SEED_B', number>> = Object.freeze({
  LANE_A: 0x01000193,
  LANE_B: 0x5bd1e995,
  SEED_A: 0x811c9dc5,
  SEED_B: 0x9747b28c,
});
