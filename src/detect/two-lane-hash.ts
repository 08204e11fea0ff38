/**
 * The two 32-bit lanes the masker and the shape memo hash text with, step by step inside their
 * own character loops (a function per step would cost the hot loops their speed): FNV-1a's prime
 * and a second odd multiplier (MurmurHash2's), each from its own seed. With the text's length, the
 * two lanes are a 64-bit key: two different texts agree on it about once in 2^64 pairs.
 */
export const LANE_A = 0x01000193;
export const LANE_B = 0x5bd1e995;
export const SEED_A = 0x811c9dc5;
export const SEED_B = 0x9747b28c;
