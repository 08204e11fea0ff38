/**
 * The known-signature catalog on disk (`--catalog FILE`): which signatures earlier runs saw, so a
 * fresh run can call a signature new from its first second. Fingerprints are pure functions of
 * the message, so ids are stable across runs and hosts.
 *
 * `{ "version": 1, "signatures": { "<id>": { "template", "firstSeen", "lastSeen", "count" } } }`,
 * times in ms since the epoch, most recently seen first. Replaced atomically (temp file, fsync,
 * rename, fsync directory) as `src/tail/state.ts` does, so a crash leaves the old or the new file.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { replaceFileAtomically } from './atomic-file.js';
import { z } from 'zod';
import type { KnownSignature } from '../detect/known-signatures.js';

const FORMAT_VERSION = 1;

const time = z.number().int().nonnegative();
const catalogSchema = z.object({
  version: z.literal(FORMAT_VERSION),
  signatures: z.record(z.string().min(1), z.object({ template: z.string(), firstSeen: time, lastSeen: time, count: z.number().int().nonnegative() })),
});

/** The saved catalog, or none (no file yet; or unreadable or corrupt, with one warning line). */
export function loadCatalog(file: string, warn: (line: string) => void): KnownSignature[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT') warn(`catalog: ${file} unreadable (${code ?? String(error)}); starting with an empty catalog`);
    return [];
  }
  const parsed = parseCatalog(text);
  if (parsed === undefined) warn(`catalog: ${file} is not a version ${FORMAT_VERSION} catalog; starting with an empty catalog`);
  return parsed ?? [];
}

/** Replaces the file atomically with `signatures` (the detector caps them). */
export function saveCatalog(file: string, signatures: readonly KnownSignature[]): void {
  const directory = path.dirname(path.resolve(file));
  mkdirSync(directory, { recursive: true });
  const body = { version: FORMAT_VERSION, signatures: Object.fromEntries(signatures.map(({ id, ...entry }) => [id, entry])) };
  replaceFileAtomically(file, JSON.stringify(body));
}

function parseCatalog(text: string): KnownSignature[] | undefined {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return undefined;
  }
  const result = catalogSchema.safeParse(json);
  if (!result.success) return undefined;
  return Object.entries(result.data.signatures).map(([id, entry]) => ({ id, ...entry }));
}

