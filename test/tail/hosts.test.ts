import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileHostPattern } from '../../src/tail/hosts.js';

const cwd = '/srv/app';

describe('compileHostPattern', () => {
  it('takes the host from the {host} segment of a glob, relative or absolute paths alike', () => {
    const hostOf = compileHostPattern('logs/{host}/*.log', cwd);
    expect(hostOf('logs/alpha/php_errors.log')).toBe('alpha');
    expect(hostOf('./logs/beta/x.log')).toBe('beta');
    expect(hostOf('/srv/app/logs/gamma/x.log')).toBe('gamma');
    expect(hostOf('logs/alpha/deeper/x.log')).toBeUndefined();
    expect(hostOf('logs/alpha/x.txt')).toBeUndefined();
    expect(hostOf('other/alpha/x.log')).toBeUndefined();
  });

  it('matches an absolute glob against the absolute path, and {host} inside a segment', () => {
    const hostOf = compileHostPattern('/var/log/**/web-{host}.log', cwd);
    expect(hostOf('/var/log/nginx/web-h7.log')).toBe('h7');
    expect(hostOf('/var/log/web-h8.log')).toBe('h8');
    expect(hostOf('/var/log/nginx/api-h7.log')).toBeUndefined();
  });

  it('keeps the other glob syntax working (braces, ?)', () => {
    const hostOf = compileHostPattern('{logs,archive}/{host}/app?.log', cwd);
    expect(hostOf('archive/db1/app1.log')).toBe('db1');
    expect(hostOf('logs/db2/app.log')).toBeUndefined();
  });

  it('takes the host from a regex named group', () => {
    const hostOf = compileHostPattern('/hosts/(?<host>[a-z0-9-]+)\\.log$', cwd);
    expect(hostOf('/data/hosts/web-1.log')).toBe('web-1');
    expect(hostOf(path.join(cwd, 'hosts', 'db.log'))).toBe('db');
    expect(hostOf('/data/other/web-1.log')).toBeUndefined();
  });

  it.each([
    ['logs/*/x.log', /'logs\/\*\/x\.log' has no \{host\} placeholder/],
    ['logs/{host}/{host}.log', /has 2 \{host\} placeholders/],
    ['(?<host>[a-z', /'\(\?<host>\[a-z' is not a valid regex/],
  ])('rejects %s with a one-line message naming the pattern and the fix', (pattern, message) => {
    expect(() => compileHostPattern(pattern, cwd)).toThrow(message);
    try {
      compileHostPattern(pattern, cwd);
    } catch (error) {
      expect((error as Error).message).not.toContain('\n');
      expect((error as Error).message).toMatch(/logs\/\{host\}\/\*\.log/);
    }
  });
});
