import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI, runCli, tempDir } from '../support/cli.js';

const LOG = [
  '[23-Nov-2026 14:03:11 UTC] PHP Fatal error:  Uncaught PDOException: SQLSTATE[22003]: Numeric value out of range: 1264 Out of range value for column \'id\' at row 1 in /var/www/lib/Db.php:88',
  'Stack trace:',
  '#0 /var/www/lib/Db.php(88): PDOStatement->execute(Array)',
  '#1 {main}',
  '  thrown in /var/www/lib/Db.php on line 88',
  '[23-Nov-2026 14:03:12 UTC] PHP Warning:  Duplicate entry \'2147483647\' for key \'listings.PRIMARY\' in /var/www/lib/Db.php on line 120',
  '[23-Nov-2026 14:03:13 UTC] PHP Warning:  Duplicate entry \'2147483646\' for key \'listings.PRIMARY\' in /var/www/lib/Db.php on line 120',
].join('\n') + '\n';

type Row = { line: string; id: string; template: string; telling: Array<{ value: string; name: string }> };
const rows = (stdout: string): Row[] => stdout.trim().split('\n').map((line) => JSON.parse(line) as Row);

describe('logwatch fingerprint', () => {
  it('prints one line per record (a stack trace joins its error) with the telling value kept and explained', async () => {
    const file = path.join(tempDir(), 'php_errors.log');
    writeFileSync(file, LOG);
    const result = await runCli(['fingerprint', file]);
    expect(result.code).toBe(0);
    const out = rows(result.stdout);
    expect(out).toHaveLength(3);
    expect(out[0]!.line).toContain('#1 {main}');
    expect(out[1]!.template).toContain('2147483647');
    expect(out[1]!.telling.map((t) => t.name)).toEqual(['INT32_MAX']);
    expect(out[2]!.template).not.toContain('2147483646');
    expect(out[1]!.id).not.toBe(out[2]!.id);
  });

  it('reads envelopes (Docker json-file, CRI, journalctl -o json) as the lines inside: the same records and ids', async () => {
    const lines = LOG.trimEnd().split('\n');
    const time = (i: number) => `2026-11-23T14:03:${String(10 + i).padStart(2, '0')}.123456789Z`;
    const wrapped = {
      docker: lines.map((line, i) => JSON.stringify({ log: `${line}\n`, stream: 'stderr', time: time(i) })),
      cri: lines.map((line, i) => `${time(i)} stderr F ${line}`),
      journal: lines.map((line, i) => JSON.stringify({ __REALTIME_TIMESTAMP: String(Date.parse(time(i)) * 1000), PRIORITY: '3', MESSAGE: line })),
    };
    const plain = rows((await runCli(['fingerprint', '-'], { input: LOG })).stdout);
    for (const [name, wrappedLines] of Object.entries(wrapped)) {
      const file = path.join(tempDir(), `${name}.log`);
      writeFileSync(file, `${wrappedLines.join('\n')}\n`);
      const result = await runCli(['fingerprint', file]);
      expect(result.code, name).toBe(0);
      expect(rows(result.stdout), name).toEqual(plain);
    }
  });

  it('reads a gzip-compressed log as its text; names other compressed formats (exit 2)', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'php_errors.log.2.gz'), gzipSync(LOG));
    writeFileSync(path.join(dir, 'php_errors.log.3.xz'), Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00, 0x00, 0x04, 0xe6, 0xd6, 0xb4, 0x46]));
    const [gzipped, plain, xz] = await Promise.all([
      runCli(['fingerprint', path.join(dir, 'php_errors.log.2.gz')]), runCli(['fingerprint', '-'], { input: LOG }), runCli(['fingerprint', path.join(dir, 'php_errors.log.3.xz')]),
    ]);
    expect(gzipped.code).toBe(0);
    expect(rows(gzipped.stdout)).toEqual(rows(plain.stdout));
    expect(xz.code).toBe(2);
    expect(xz.stderr).toMatch(/^logwatch: fingerprint: .*php_errors\.log\.3\.xz: xz-compressed; decompress it and pipe it in \(logwatch fingerprint -\)\n$/);
  });

  it('stops quietly when its reader goes away (| head), without a stack trace', async () => {
    const file = path.join(tempDir(), 'php_errors.log');
    writeFileSync(file, LOG.repeat(20_000));
    const child = spawn(process.execPath, [CLI, 'fingerprint', file]);
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => { stderr += chunk; });
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(stderr).toBe('');
    expect(code).toBe(0);
  });

  it('gives the same ids in two separate processes, and from stdin', async () => {
    const file = path.join(tempDir(), 'php_errors.log');
    writeFileSync(file, LOG);
    const [first, second, piped] = await Promise.all([
      runCli(['fingerprint', file]), runCli(['fingerprint', file]), runCli(['fingerprint', '-'], { input: LOG }),
    ]);
    expect(rows(second.stdout).map((r) => r.id)).toEqual(rows(first.stdout).map((r) => r.id));
    expect(rows(piped.stdout).map((r) => r.id)).toEqual(rows(first.stdout).map((r) => r.id));
  });

  it('--message-only takes every line as a whole message', async () => {
    const result = await runCli(['fingerprint', '--message-only', '-'], { input: LOG });
    expect(rows(result.stdout)).toHaveLength(7);
    expect(rows(result.stdout)[1]!.line).toBe('Stack trace:');
  });

  it('exits 2 with one line for a missing file', async () => {
    const result = await runCli(['fingerprint', '/nonexistent/php_errors.log']);
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  });
});
