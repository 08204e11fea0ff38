import { readdirSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Detector } from '../../src/detect/detector.js';
import type { KnownSignature } from '../../src/detect/known-signatures.js';
import { loadCatalog, saveCatalog } from '../../src/tail/catalog-file.js';
import { tempDirsRemovedAfterEach } from './helpers.js';

const tempDir = tempDirsRemovedAfterEach();

const T0 = Date.UTC(2026, 10, 23, 12, 0, 0);
const entry = (id: string, lastSeen: number): KnownSignature => ({ id, template: `Undefined index <*> in ${id}`, firstSeen: T0, lastSeen, count: 3 });

function warnings(): { lines: string[]; warn: (line: string) => void } {
  const lines: string[] = [];
  return { lines, warn: (line) => lines.push(line) };
}

describe('catalog file', () => {
  it('round-trips entries in the documented format, leaving no temp file', async () => {
    const dir = await tempDir();
    const file = path.join(dir, 'nested', 'catalog.json');
    const saved = [entry('a1b2', T0 + 2), entry('c3d4', T0 + 1)];
    saveCatalog(file, saved);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({
      version: 1,
      signatures: {
        a1b2: { template: 'Undefined index <*> in a1b2', firstSeen: T0, lastSeen: T0 + 2, count: 3 },
        c3d4: { template: 'Undefined index <*> in c3d4', firstSeen: T0, lastSeen: T0 + 1, count: 3 },
      },
    });
    const { lines, warn } = warnings();
    expect(loadCatalog(file, warn)).toEqual(saved);
    expect(lines).toEqual([]);
    expect(readdirSync(path.dirname(file))).toEqual(['catalog.json']);
  });

  it('a missing file is an empty catalog without a warning', async () => {
    const { lines, warn } = warnings();
    expect(loadCatalog(path.join(await tempDir(), 'none.json'), warn)).toEqual([]);
    expect(lines).toEqual([]);
  });

  it.each([
    ['not JSON', '{"version": 1, "signa'],
    ['another version', JSON.stringify({ version: 2, signatures: {} })],
    ['a bad entry', JSON.stringify({ version: 1, signatures: { x: { template: 't', firstSeen: 'yesterday', lastSeen: 1, count: 1 } } })],
  ])('%s: one warning line, empty catalog', async (_what, text) => {
    const file = path.join(await tempDir(), 'catalog.json');
    writeFileSync(file, text);
    const { lines, warn } = warnings();
    expect(loadCatalog(file, warn)).toEqual([]);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^catalog: .*catalog\.json is not a version 1 catalog; starting with an empty catalog$/);
  });

  it('an unreadable path (a directory): one warning line, empty catalog', async () => {
    const dir = path.join(await tempDir(), 'catalog.json');
    mkdirSync(dir);
    const { lines, warn } = warnings();
    expect(loadCatalog(dir, warn)).toEqual([]);
    expect(lines).toEqual([expect.stringMatching(/^catalog: .* unreadable \(EISDIR\); starting with an empty catalog$/)]);
  });

  it('what a capped detector exposes is what is saved: at most the cap, least recently seen dropped', async () => {
    const file = path.join(await tempDir(), 'catalog.json');
    const loaded = [entry('old1', T0 - 3_000), entry('old2', T0 - 2_000)];
    const detector = new Detector({}, {}, { known: loaded, cap: 3 });
    detector.addRecords(['n1', 'n2'].map((id, i) => ({
      at: T0 + i, timeFromLine: true, level: 'error' as const, host: 'web-01', source: 'php_errors.log',
      message: id, fingerprint: { id, template: id, telling: [], values: [] },
    })));
    saveCatalog(file, detector.knownSignatures());
    expect(loadCatalog(file, () => {}).map((e) => e.id)).toEqual(['n2', 'n1', 'old2']);
  });
});
