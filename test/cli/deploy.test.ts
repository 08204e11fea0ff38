import { appendFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CliProcess, cliProcesses, runCli, tempDir, waitFor } from '../support/cli.js';

describe('deploy markers reaching a running watch', () => {
  const start = cliProcesses();
  let running: CliProcess | undefined;

  it('takes deploys from logwatch deploy --to, --url and a followed deploys file', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'php_errors.log'), '');
    writeFileSync(path.join(dir, 'deploys.log'), '');
    running = start([
      'watch', 'php_errors.log', '--json', '--deploys-port', '0', '--deploys', 'deploys.log',
      '--listen', '127.0.0.1:0', '--token', 's3cret',
    ], { cwd: dir, env: { LOGWATCH_TOKEN: '' } });
    await waitFor(() => /deploy markers on [\d.]+:\d+/.test(running!.stderr) && /feed and web page at/.test(running!.stderr), 'listeners', 20_000);
    const port = /deploy markers on [\d.]+:(\d+)/.exec(running.stderr)![1]!;
    const url = /feed and web page at (http:\/\/\S+)/.exec(running.stderr)![1]!;

    const byPlaintext = await runCli(['deploy', '--app', 'website', '--to', `127.0.0.1:${port}`]);
    expect(byPlaintext.code).toBe(0);
    await waitFor(() => running!.ofType('deploy').length === 1, 'the plaintext deploy');

    const refused = await runCli(['deploy', '--url', url, '--version', 'abc123', '--by', 'sam', '--token', 'wrong']);
    expect(refused.code, refused.stdout + refused.stderr).toBe(1);
    expect(refused.stderr).toContain('401');
    const byHttp = await runCli(['deploy', '--url', url, '--version', 'abc123', '--by', 'sam', '--token', 's3cret', '--app', 'api']);
    expect(byHttp.code).toBe(0);
    await waitFor(() => running!.ofType('deploy').length === 2, 'the HTTP deploy');

    appendFileSync(path.join(dir, 'deploys.log'), `events.deploy.search 1 ${Math.floor(Date.now() / 1000)}\n`);
    await waitFor(() => running!.ofType('deploy').length === 3, 'the deploy from the file');

    const deploys = running.ofType('deploy');
    expect(deploys.map((d) => [d['id'], d['app']])).toEqual([[1, 'website'], [2, 'api'], [3, 'search']]);
    expect(deploys[1]).toMatchObject({ version: 'abc123', by: 'sam' });
    const state = (await (await fetch(new URL("/api/state", url))).json()) as { deploys: unknown[] };
    expect(state.deploys).toHaveLength(3);

    running.child.kill('SIGTERM');
    expect(await running.exited).toBe(0);
    expect(running.ofType('stats').length).toBeGreaterThan(0);
  });

  it('fails with exit 1 and one line when nothing listens', async () => {
    const result = await runCli(['deploy', '--to', '127.0.0.1:1']);
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('exits 2 for a bad --to and for --url with --to', async () => {
    expect((await runCli(['deploy', '--to', 'nowhere'])).code).toBe(2);
    expect((await runCli(['deploy', '--url', 'http://127.0.0.1:9', '--to', '127.0.0.1:9'])).code).toBe(2);
  });
});
