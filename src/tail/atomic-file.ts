/**
 * Replacing a file so that a crash leaves either the old or the new content, never a torn one:
 * write a temp file beside it, fsync, rename over, fsync the directory (Vector's checkpointer).
 */
import { closeSync, fsyncSync, openSync, renameSync, writeSync } from 'node:fs';
import path from 'node:path';

export function replaceFileAtomically(file: string, content: string, tempFile = `${file}.${process.pid}.tmp`): void {
  const fd = openSync(tempFile, 'w');
  try {
    writeSync(fd, content);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tempFile, file);
  syncDirectory(path.dirname(path.resolve(file)));
}

function syncDirectory(directory: string): void {
  const fd = openSync(directory, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
