import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CliProcess, cliProcesses, phpWarning, tempDir, waitFor } from '../support/cli.js';
import { parseConfig } from '../../src/cli/config.js';
import { watchOptions } from '../../src/cli/watch.js';


describe('logwatch watch --catalog', () => {
  const start = cliProcesses();
  let running: CliProcess | undefined;

  /** One watch of `log` from its beginning until every line is counted, stopped by SIGINT; its signature events. */
  async function watchOnce(dir: string, lines: number): Promise<Array<Record<string, unknown>>> {
    running = start(['watch', 'php_errors.log', '--from-start', '--catalog', 'state/catalog.json', '--json', '--no-listen', '--stats-every', '1s'], { cwd: dir });
    await waitFor(() => running!.ofType('stats').at(-1)?.['lines'] === lines, `${lines} lines in stats`, 20_000);
    running.child.kill('SIGINT');
    expect(await running.exited).toBe(0);
    const signatures = running.ofType('signature');
    running = undefined;
    return signatures;
  }

  const newness = (events: Array<Record<string, unknown>>): Array<[string, unknown]> =>
    events.map((e) => [String(e['template']).split(' ')[0]!, e['new']]);

  it('a second run on the same files knows the first run\'s signatures and calls a fresh one new at once', async () => {
    const dir = tempDir();
    const log = path.join(dir, 'php_errors.log');
    writeFileSync(log, [1, 2, 3].map((n) => phpWarning(n, `Undefined offset: ${n * 17}`)).join(''));
    // First run: no catalog yet, so the newness warm-up applies (nothing is new in its first 30 minutes).
    expect(newness(await watchOnce(dir, 3))).toEqual([['Undefined', false]]);
    const catalog = JSON.parse(readFileSync(path.join(dir, 'state', 'catalog.json'), 'utf8')) as { version: number; signatures: Record<string, { template: string; count: number }> };
    expect(catalog.version).toBe(1);
    expect(Object.values(catalog.signatures)).toEqual([expect.objectContaining({ template: expect.stringContaining('Undefined offset'), count: 3 })]);

    appendFileSync(log, phpWarning(4, 'Division by zero'));
    const second = await watchOnce(dir, 4);
    expect(newness(second)).toEqual([['Undefined', false], ['Division', true]]);
    const saved = JSON.parse(readFileSync(path.join(dir, 'state', 'catalog.json'), 'utf8')) as { signatures: Record<string, { count: number }> };
    expect(Object.values(saved.signatures).map((s) => s.count).sort()).toEqual([1, 6]);
  });

  it('a corrupt catalog: one warning line, an empty start, and a good file written on stop', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'php_errors.log'), phpWarning(1, 'Undefined index: id1'));
    writeFileSync(path.join(dir, 'catalog.json'), '{"version": 1, "signat');
    running = start(['watch', 'php_errors.log', '--from-start', '--catalog', 'catalog.json', '--json', '--no-listen', '--stats-every', '1s'], { cwd: dir });
    await waitFor(() => running!.ofType('stats').at(-1)?.['lines'] === 1, '1 line in stats', 20_000);
    running.child.kill('SIGINT');
    expect(await running.exited).toBe(0);
    expect(running.stderr.split('\n').filter((l) => l.includes('catalog'))).toEqual([
      'logwatch: catalog: catalog.json is not a version 1 catalog; starting with an empty catalog',
    ]);
    expect(existsSync(path.join(dir, 'catalog.json'))).toBe(true);
    expect(Object.keys((JSON.parse(readFileSync(path.join(dir, 'catalog.json'), 'utf8')) as { signatures: object }).signatures)).toHaveLength(1);
  });
});

describe('catalog in the configuration', () => {
  it('"catalog" in logwatch.config.json sets the catalog file; --catalog overrides it', () => {
    const dir = tempDir();
    const log = path.join(dir, 'php_errors.log');
    writeFileSync(log, '');
    const config = parseConfig(JSON.stringify({ catalog: 'team/catalog.json' }), 'logwatch.config.json');
    expect(watchOptions([log], {}, config).catalogFile).toBe('team/catalog.json');
    expect(watchOptions([log], { catalog: 'mine.json' }, config).catalogFile).toBe('mine.json');
    expect(watchOptions([log], {}, {}).catalogFile).toBeUndefined();
    expect(() => parseConfig(JSON.stringify({ catalog: 7 }), 'logwatch.config.json')).toThrow(/catalog/);
  });
});
