import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { SignatureCatalog } from '../../src/detect/clusters.js';
import { createFingerprinter, fingerprint, firstLine, templateId } from '../../src/detect/fingerprint.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const built = path.join(repoRoot, 'dist', 'detect', 'fingerprint.js');

const MESSAGES = [
  'PHP Fatal error:  Uncaught PDOException: SQLSTATE[22003]: Numeric value out of range: 1264 Out of range value for column id=2147483647',
  'Connection refused to db3.internal:3306 after 1500ms',
  'GET /api/listings/123 HTTP/1.1 500',
  'GET /api/listings/456 HTTP/1.1 404',
  'user ünïcødé 🚀 failed 3 times',
];

/** Reference FNV-1a 64 with BigInt over UTF-8, folded to 32 bits the way templateId documents it. */
function referenceId(text: string): string {
  let hash = 0xcbf29ce484222325n;
  for (const byte of new TextEncoder().encode(text)) {
    hash ^= BigInt(byte);
    hash = (hash * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return ((hash >> 32n) ^ (hash & 0xffffffffn)).toString(16).padStart(8, '0');
}

describe('fingerprint', () => {
  it('fingerprints only the first line: stack traces are samples, not identity', () => {
    const a = fingerprint('PHP Fatal error: boom in /app/a.php on line 12\nStack trace:\n#0 /app/b.php(3): f()');
    const b = fingerprint('PHP Fatal error: boom in /app/a.php on line 40\r\n#0 /app/c.php(9): g()');
    expect(a.id).toBe(b.id);
    expect(a.template).toBe('PHP Fatal error: boom in /app/a.php on line <NUM>');
    expect(b.values).toEqual(['40']);
    expect(firstLine('one\r\ntwo')).toBe('one');
  });

  it('ids are 8 hex characters of FNV-1a 64 over the template', () => {
    for (const message of MESSAGES) {
      const fp = fingerprint(message);
      expect(fp.id).toMatch(/^[0-9a-f]{8}$/);
      expect(fp.id).toBe(referenceId(fp.template));
    }
    expect(templateId('')).toBe(referenceId(''));
  });

  it('keeps an HTTP 500 and a 404 apart', () => {
    expect(fingerprint(MESSAGES[2]!).id).not.toBe(fingerprint(MESSAGES[3]!).id);
  });

  it('gives the same result whatever came before (no hidden state)', () => {
    const first = MESSAGES.map(fingerprint);
    const again = [...MESSAGES].reverse().map(fingerprint).reverse();
    expect(again).toEqual(first);
  });

  it('gives the same ids in another process', () => {
    expect(existsSync(built), 'build first: npx tsc -p tsconfig.json').toBe(true);
    const script = `import { fingerprint } from ${JSON.stringify(built)};
      const messages = JSON.parse(process.argv[1]);
      process.stdout.write(JSON.stringify(messages.map(fingerprint)));`;
    const run = (messages: string[]): unknown =>
      JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script, JSON.stringify(messages)], { encoding: 'utf8' }));
    const forward = run(MESSAGES);
    const backward = (run([...MESSAGES].reverse()) as unknown[]).reverse();
    expect(forward).toEqual(MESSAGES.map(fingerprint));
    expect(backward).toEqual(forward);
  });
});

describe('createFingerprinter', () => {
  it('signs as the catalog assigns the pure fingerprint, from its template cache or not', () => {
    const messages = [...MESSAGES, 'Lost connection to db3.prod.example.com during query', 'retry 3 of 5', 'retry 4 of 9', 'size 5 KB', 'size 7 MB'];
    const reference = new SignatureCatalog();
    const expected = messages.map((m) => reference.assign(fingerprint(m)));
    const fingerprinter = createFingerprinter();
    expect(messages.map((m) => fingerprinter.sign(m))).toEqual(expected);
    // Again: every template is now a cache hit.
    expect(messages.map((m) => fingerprinter.sign(m))).toEqual(messages.map((m) => reference.assign(fingerprint(m))));
  });

  it('stays right when its template cache is smaller than the templates seen', () => {
    const fingerprinter = createFingerprinter({ maxCachedTemplates: 2 });
    const messages = Array.from({ length: 30 }, (_, i) => `job ${'x'.repeat(i % 7)} failed after ${i} tries`);
    const signed = messages.map((m) => fingerprinter.sign(m));
    expect(signed.map((s) => s.template)).toEqual(messages.map((m) => fingerprint(m).template));
    expect(signed[29]!.values).toEqual(['29']);
    expect(fingerprinter.catalog.cachedTemplates).toBeLessThanOrEqual(2);
  });

  it('signs through the catalog: host names merge into the first template’s id', () => {
    const fingerprinter = createFingerprinter();
    const a = fingerprinter.sign('Lost connection to db3.prod.example.com during query');
    const b = fingerprinter.sign('Lost connection to db7.prod.example.com during query');
    expect(b.id).toBe(a.id);
    expect(b.template).toBe('Lost connection to <*> during query');
    expect(b.values).toEqual(['db7.prod.example.com']);
    expect(fingerprinter.catalog.size).toBe(1);
  });
});
