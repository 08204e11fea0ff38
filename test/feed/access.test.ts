import { describe, expect, it } from 'vitest';
import { checkHost, checkOrigin, isLoopbackHost, readsNeedToken, tokenMatches, type AccessPolicy } from '../../src/feed/access.js';

const loopback: AccessPolicy = { host: '127.0.0.1', port: 7077, token: undefined };

describe('isLoopbackHost', () => {
  it('knows loopback names and addresses, and nothing else', () => {
    for (const name of ['localhost', 'LOCALHOST', 'app.localhost', '127.0.0.1', '127.1.2.3', '::1', '[::1]']) {
      expect(isLoopbackHost(name), name).toBe(true);
    }
    for (const name of ['0.0.0.0', '10.0.0.1', 'localhost.evil.example', '127.0.0.1.evil.example', '::', 'example.com']) {
      expect(isLoopbackHost(name), name).toBe(false);
    }
  });
});

describe('checkHost', () => {
  it('accepts loopback names on our port only', () => {
    expect(checkHost(loopback, '127.0.0.1:7077').ok).toBe(true);
    expect(checkHost(loopback, 'localhost:7077').ok).toBe(true);
    expect(checkHost(loopback, '[::1]:7077').ok).toBe(true);
    expect(checkHost(loopback, 'localhost:7078')).toMatchObject({ ok: false, status: 403 });
    expect(checkHost(loopback, 'localhost')).toMatchObject({ ok: false, status: 403 });
    expect(checkHost(loopback, 'rebind.evil.example:7077')).toMatchObject({ ok: false, status: 403 });
    expect(checkHost(loopback, 'user@localhost:7077')).toMatchObject({ ok: false });
    expect(checkHost(loopback, undefined)).toMatchObject({ ok: false });
  });

  it('accepts the configured host, and any name when bound to a wildcard address', () => {
    const lan: AccessPolicy = { host: 'logs.internal', port: 80, token: 't' };
    expect(checkHost(lan, 'logs.internal').ok).toBe(true);
    expect(checkHost(lan, 'other.internal')).toMatchObject({ ok: false });
    expect(checkHost({ host: '0.0.0.0', port: 7077, token: 't' }, 'anything:7077').ok).toBe(true);
  });
});

describe('checkOrigin', () => {
  it('accepts no origin (CLI), our own origin and loopback origins on our port', () => {
    expect(checkOrigin(loopback, undefined, '127.0.0.1:7077').ok).toBe(true);
    expect(checkOrigin(loopback, 'http://127.0.0.1:7077', '127.0.0.1:7077').ok).toBe(true);
    expect(checkOrigin(loopback, 'http://localhost:7077', '127.0.0.1:7077').ok).toBe(true);
  });

  it('refuses other sites, other ports, opaque and non-http origins', () => {
    for (const origin of ['http://evil.example', 'http://localhost:3000', 'null', 'file://', 'chrome-extension://abc', 'not a url']) {
      expect(checkOrigin(loopback, origin, '127.0.0.1:7077'), origin).toMatchObject({ ok: false, status: 403 });
    }
  });
});

describe('tokens', () => {
  it('match exactly, and any request matches when no token is set', () => {
    expect(tokenMatches(undefined, undefined)).toBe(true);
    expect(tokenMatches('sekret', 'sekret')).toBe(true);
    expect(tokenMatches('sekret', 'sekre')).toBe(false);
    expect(tokenMatches('sekret', 'SEKRET')).toBe(false);
    expect(tokenMatches('sekret', undefined)).toBe(false);
  });

  it('guard reads only beyond loopback', () => {
    expect(readsNeedToken('127.0.0.1')).toBe(false);
    expect(readsNeedToken('localhost')).toBe(false);
    expect(readsNeedToken('0.0.0.0')).toBe(true);
    expect(readsNeedToken('192.168.1.5')).toBe(true);
  });
});
