import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { compressionOf, COMPRESSION_MAGIC_BYTES } from '../../src/tail/compressed.js';

const start = (bytes: Uint8Array | number[]) => Uint8Array.from(bytes).subarray(0, COMPRESSION_MAGIC_BYTES);

describe('compressionOf', () => {
  it('names the compressed formats logrotate and friends write', () => {
    expect(compressionOf(start(gzipSync('[23-Nov-2026 00:00:00 UTC] PHP Warning:  x\n')))).toBe('gzip');
    expect(compressionOf(start([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00, 0x00, 0x04, 0xe6, 0xd6]))).toBe('xz');
    expect(compressionOf(start([0x28, 0xb5, 0x2f, 0xfd, 0x24, 0x10, 0x81, 0x00, 0x00, 0x5b]))).toBe('zstd');
    expect(compressionOf(start([0x42, 0x5a, 0x68, 0x39, 0x31, 0x41, 0x59, 0x26, 0x53, 0x59]))).toBe('bzip2');
    expect(compressionOf(start([0x04, 0x22, 0x4d, 0x18, 0x64, 0x40, 0xa7, 0x00, 0x00, 0x00]))).toBe('lz4');
    expect(compressionOf(start([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x00, 0x00, 0x08, 0x00]))).toBe('zip');
  });

  it('takes log text for text, a NUL hole included; waits while a few bytes begin a magic', () => {
    for (const text of ['[23-Nov-2026 00:00:00 UTC] PHP', 'PHP Fatal error', 'BZh9 is not bzip2', '(x) y', '\0\0\0\0[23-Nov', 'x\n', 'P']) {
      const bytes = Buffer.from(text, 'latin1');
      expect(compressionOf(bytes.subarray(0, COMPRESSION_MAGIC_BYTES)), text).toBe(text === 'P' ? undefined : null);
    }
    expect(compressionOf(Uint8Array.from([0x1f]))).toBeUndefined();
    expect(compressionOf(Uint8Array.from([0x42, 0x5a, 0x68, 0x39]))).toBeUndefined();
    expect(compressionOf(new Uint8Array(0))).toBeUndefined();
  });
});
