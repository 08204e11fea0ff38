import { describe, expect, it } from 'vitest';
import {
  compileDeployPatterns,
  parseDeployJson,
  parseDeploysLog,
  parseDeploysNdjson,
  parseGraphiteLine,
} from '../../src/pipeline/deploy-marker.js';

const NOW = Date.parse('2026-11-23T14:00:00Z');
const NOW_S = NOW / 1000;

describe('parseGraphiteLine', () => {
  it("reads Etsy's events.deploy line", () => {
    expect(parseGraphiteLine('events.deploy.website 1 1287106599', NOW)).toEqual({
      marker: { at: 1287106599000, app: 'website' },
    });
  });

  it('reads a Deployinator line: the app is the stack, the environment is ignored', () => {
    expect(parseGraphiteLine(`deploys.search.production 1 ${NOW_S}`, NOW)).toEqual({ marker: { at: NOW, app: 'search' } });
  });

  it('accepts tabs, repeated spaces, CR and fractional seconds', () => {
    expect(parseGraphiteLine(`events.deploy.api\t1.0  ${NOW_S}.5\r`, NOW)).toEqual({ marker: { at: NOW + 500, app: 'api' } });
  });

  it('uses configured patterns instead of the defaults', () => {
    const patterns = ['deploys.{app}.production'];
    expect(parseGraphiteLine(`deploys.web.production 1 ${NOW_S}`, NOW, { patterns })).toEqual({ marker: { at: NOW, app: 'web' } });
    expect(parseGraphiteLine(`deploys.web.staging 1 ${NOW_S}`, NOW, { patterns })).toMatchObject({ code: 'path' });
    expect(parseGraphiteLine(`events.deploy.website 1 ${NOW_S}`, NOW, { patterns })).toMatchObject({ code: 'path' });
  });

  it.each([
    ['events.deploy.website 1', 'fields', /expected 3 fields.*got 2/],
    ['', 'fields', /got 0/],
    ['events.deploy.website 1 1287106599 extra', 'fields', /got 4/],
    ['events.deploy.website one 1287106599', 'value', /value "one" is not a number/],
    ['events.deploy.website 1 yesterday', 'time', /time "yesterday" is not a positive number/],
    ['events.deploy.website 1 -5', 'time', /not a positive number/],
    [`events.deploy.website 1 ${NOW_S + 2 * 86400}`, 'future', /48\.0 h after now: more than 1 day in the future/],
    [`servers.web01.cpu.user 12.5 ${NOW_S}`, 'path', /path "servers\.web01\.cpu\.user" matches no deploy pattern \(events\.deploy\.\{app\}, deploys\.\{app\}\.\*\)/],
    [`events.deploy 1 ${NOW_S}`, 'path', /matches no deploy pattern/],
  ])('rejects %j with code %s', (line, code, message) => {
    const parsed = parseGraphiteLine(line, NOW);
    expect(parsed).toMatchObject({ code });
    expect('error' in parsed && parsed.error).toMatch(message);
    expect('error' in parsed && parsed.error.includes('\n')).toBe(false);
  });

  it('allows up to a day ahead (clock skew between hosts)', () => {
    expect(parseGraphiteLine(`events.deploy.website 1 ${NOW_S + 3600}`, NOW)).toEqual({ marker: { at: NOW + 3_600_000, app: 'website' } });
  });
});

describe('compileDeployPatterns', () => {
  it.each([[['events.deploy']], [['{app}.{app}']], [['events deploy.{app}']], [[]]])('refuses %j', (patterns) => {
    expect(() => compileDeployPatterns(patterns)).toThrow(/deploy pattern/);
  });
});

describe('parseDeployJson', () => {
  it('reads our JSON with an ISO time', () => {
    expect(parseDeployJson('{"at":"2026-11-23T13:59:00Z","app":"website","version":"abc123","by":"sam"}', NOW)).toEqual({
      marker: { at: NOW - 60_000, app: 'website', version: 'abc123', by: 'sam' },
    });
  });

  it('reads epoch seconds and epoch milliseconds, and defaults the time to now', () => {
    expect(parseDeployJson(`{"at":${NOW_S},"app":"website"}`, NOW)).toEqual({ marker: { at: NOW, app: 'website' } });
    expect(parseDeployJson(`{"at":${NOW - 5},"app":"website"}`, NOW)).toEqual({ marker: { at: NOW - 5, app: 'website' } });
    expect(parseDeployJson('{"app":"website"}', NOW)).toEqual({ marker: { at: NOW, app: 'website' } });
  });

  it("reads Graphite's events-API body with string tags", () => {
    const body = JSON.stringify({ what: 'Deploy website', tags: 'deploy website', when: NOW_S, data: 'abc123' });
    expect(parseDeployJson(body, NOW)).toEqual({ marker: { at: NOW, app: 'website', version: 'abc123' } });
  });

  it("reads Graphite's events-API body with array tags, no time, and free-text data", () => {
    const body = JSON.stringify({ what: 'release', tags: ['release', 'search'], data: 'rolled out by sam after review' });
    expect(parseDeployJson(body, NOW)).toEqual({ marker: { at: NOW, app: 'search' } });
  });

  it('takes the app from "what" when the tags only say deploy', () => {
    expect(parseDeployJson(JSON.stringify({ what: 'deployed checkout', tags: 'deploy' }), NOW)).toEqual({
      marker: { at: NOW, app: 'checkout' },
    });
  });

  it.each([
    ['{}', /^app: /],
    ['{"app":""}', /^app: /],
    ['{"app":"web\\u001b[2J"}', /^app: must not contain control characters/],
    ['{"app":"website","at":"yesterday"}', /^at: /],
    ['{"app":"website","at":-1}', /^at: /],
    ['{"app":"website","version":42}', /^version: /],
    ['{"app":"website","by":""}', /^by: /],
    ['{"app":"website","who":"sam"}', /^unknown field who/],
    [`{"app":"website","at":${NOW_S + 3 * 86400}}`, /^at: .* more than 1 day in the future/],
    ['{"what":"deploy","tags":"deploy"}', /^tags: name the app/],
    ['{"what":"deploy website","when":"now"}', /^when: /],
    ['{"tags":42}', /^tags: /],
    ['not json', /^body: not valid JSON/],
    ['[1,2]', /^body: expected a JSON object/],
    ['null', /^body: expected a JSON object/],
  ])('rejects %s naming the field', (body, message) => {
    const parsed = parseDeployJson(body, NOW);
    expect('error' in parsed ? parsed.error : 'accepted').toMatch(message);
  });
});

describe('fixture deploy files', () => {
  it('parses deploys.log, skipping blank and comment lines', () => {
    const text = '# deploys of the day\nevents.deploy.website 1 1795442160\n\nevents.deploy.website 1 1795442520\n';
    expect(parseDeploysLog(text)).toEqual({
      markers: [{ at: 1795442160000, app: 'website' }, { at: 1795442520000, app: 'website' }],
    });
  });

  it('names the line of a bad deploys.log entry', () => {
    expect(parseDeploysLog('events.deploy.website 1 1795442160\nevents.deploy.website 1\n')).toEqual({
      error: 'line 2: expected 3 fields "<path> <value> <unix-seconds>", got 2',
    });
  });

  it('parses deploys.ndjson and requires a time on every line', () => {
    const text = '{"at":"2026-11-23T13:59:00Z","app":"website","version":"abc123","by":"sam"}\n';
    expect(parseDeploysNdjson(text)).toEqual({ markers: [{ at: NOW - 60_000, app: 'website', version: 'abc123', by: 'sam' }] });
    expect(parseDeploysNdjson(`${text}{"app":"website"}\n`)).toEqual({ error: 'line 2: at: required (ISO-8601 time or epoch)' });
    expect(parseDeploysNdjson('{"at":"2026-11-23T13:59:00Z"')).toEqual({ error: 'line 1: not valid JSON' });
  });
});
