/**
 * Who may talk to the feed. Binding to loopback does not stop a page in the user's own browser
 * from connecting (browsers apply no same-origin policy to WebSocket handshakes, and a simple
 * cross-site POST needs no preflight), so every request is checked for `Host` (DNS rebinding)
 * and `Origin` (cross-site pages), and writes need the token when one is set.
 */
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export interface AccessPolicy {
  /** The address the server is bound to, as configured. */
  host: string;
  /** The port actually bound (known after listen). */
  port: number;
  token: string | undefined;
}

export type AccessDecision = { ok: true } | { ok: false; status: 401 | 403; message: string };

const ALLOWED: AccessDecision = { ok: true };

const WILDCARD_HOSTS = new Set(['0.0.0.0', '::', '[::]']);

export function isLoopbackHost(hostname: string): boolean {
  const name = hostname.toLowerCase().replace(/^\[(.*)\]$/, '$1');
  return name === 'localhost' || name.endsWith('.localhost') || name === '::1' || /^127(\.\d{1,3}){3}$/.test(name);
}

/** Splits a `Host` header or URL authority into hostname and port (default 80). */
function splitAuthority(authority: string): { hostname: string; port: number } | null {
  try {
    const url = new URL(`http://${authority}`);
    if (url.username !== '' || url.pathname !== '/') return null;
    return { hostname: url.hostname, port: url.port === '' ? 80 : Number(url.port) };
  } catch {
    return null;
  }
}

function isOurAuthority(policy: AccessPolicy, hostname: string, port: number): boolean {
  if (port !== policy.port) return false;
  if (isLoopbackHost(hostname)) return true;
  const configured = policy.host.toLowerCase().replace(/^\[(.*)\]$/, '$1');
  return hostname.toLowerCase().replace(/^\[(.*)\]$/, '$1') === configured;
}

/**
 * `Host` must name us: a loopback name or IP, or the configured host, with our port. A server
 * bound to a wildcard address is reached under names we cannot know; there the token, which is
 * then required for reads as well, is what stops a rebinding page.
 */
export function checkHost(policy: AccessPolicy, hostHeader: string | undefined): AccessDecision {
  if (WILDCARD_HOSTS.has(policy.host)) return ALLOWED;
  const authority = hostHeader === undefined ? null : splitAuthority(hostHeader);
  if (authority !== null && isOurAuthority(policy, authority.hostname, authority.port)) return ALLOWED;
  return { ok: false, status: 403, message: 'Host header does not name this server' };
}

/** A missing `Origin` is a CLI client; a browser's origin must be this server or loopback on our port. */
export function checkOrigin(policy: AccessPolicy, origin: string | undefined, hostHeader: string | undefined): AccessDecision {
  if (origin === undefined) return ALLOWED;
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return { ok: false, status: 403, message: 'Origin not allowed' };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return { ok: false, status: 403, message: 'Origin not allowed' };
  const port = url.port === '' ? (url.protocol === 'https:' ? 443 : 80) : Number(url.port);
  const sameAsHost = hostHeader !== undefined && url.host.toLowerCase() === hostHeader.toLowerCase();
  if (sameAsHost || isOurAuthority(policy, url.hostname, port)) return ALLOWED;
  return { ok: false, status: 403, message: 'Origin not allowed' };
}

/** Beyond loopback anyone on the network can connect, so reads need the token too. */
export function readsNeedToken(boundHost: string): boolean {
  return !isLoopbackHost(boundHost);
}

/** Constant-time comparison, so the token cannot be guessed byte by byte from response times. */
export function tokenMatches(expected: string | undefined, given: string | undefined): boolean {
  if (expected === undefined) return true;
  if (given === undefined) return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The token a request carries: `Authorization: Bearer …`, or `?token=` for browsers, which cannot set headers on a WebSocket. */
export function requestToken(request: IncomingMessage): string | undefined {
  const header = request.headers.authorization;
  const bearer = header === undefined ? undefined : /^Bearer\s+(\S+)$/i.exec(header)?.[1];
  if (bearer !== undefined) return bearer;
  const query = new URL(request.url ?? '/', 'http://feed.invalid').searchParams.get('token');
  return query ?? undefined;
}

/** Host and Origin checks every request passes, then the token when reads need it. */
export function checkRequest(policy: AccessPolicy, request: IncomingMessage, needsToken: boolean): AccessDecision {
  const host = checkHost(policy, request.headers.host);
  if (!host.ok) return host;
  const origin = checkOrigin(policy, request.headers.origin, request.headers.host);
  if (!origin.ok) return origin;
  if (needsToken && !tokenMatches(policy.token, requestToken(request))) {
    return { ok: false, status: 401, message: 'token required' };
  }
  return ALLOWED;
}
