import { describe, expect, it } from 'vitest';
import { createMemoryStorage, isAuditrailError } from '../../../core/index.js';
import { createAuditLogger } from '../../logger.js';
import { clientIp } from './client-ip.js';
import { createHttpAudit, statusFromHttp } from './http-audit-core.js';
import { createRouteMatcher } from './route-matcher.js';
import { readSessionId, sessionCookie } from './session-cookie.js';

const logger = createAuditLogger({ storage: createMemoryStorage(), flushOnExit: false, onDiagnostic: () => {} });

describe('route matcher', () => {
  it('matches exact paths, :param segments, /* prefixes and RegExps, ignoring the query string', () => {
    const m = createRouteMatcher(['/api/execute', '/api/clusters/:id/diagnose', '/api/agent/*', /^\/v\d+\/analyze$/]);
    for (const p of ['/api/execute', '/api/execute?x=1', '/api/clusters/prod-1/diagnose', '/api/agent', '/api/agent/run/2', '/v2/analyze']) expect(m(p), p).toBe(true);
    for (const p of ['/api/execute/', '/api/executex', '/api/clusters/a/b/diagnose', '/api/agents', '/health', '/v2/analyze/x']) expect(m(p), p).toBe(false);
  });

  it('matches nothing without patterns', () => {
    expect(createRouteMatcher([])('/api/execute')).toBe(false);
  });

  it('treats regex characters in string patterns literally', () => {
    expect(createRouteMatcher(['/api/v1.0/run'])('/api/v1x0/run')).toBe(false);
  });
});

describe('session cookie', () => {
  const id = '0190f1d2-7c3a-7b4e-9f10-1234567890ab';
  it('reads a UUID session id among other cookies, quoted or not', () => {
    expect(readSessionId(`a=1; s=${id}; b=2`, 's')).toBe(id);
    expect(readSessionId(`s="${id.toUpperCase()}"`, 's')).toBe(id);
  });
  it('refuses values that are not UUIDs and other cookies with a similar name', () => {
    for (const header of ['s=abc', 's=', `ss=${id}`, `s=${id}x`, 's=../../etc', undefined]) expect(readSessionId(header, 's'), String(header)).toBeUndefined();
  });
  it('writes HttpOnly with SameSite, and Secure, Domain and Max-Age when asked', () => {
    expect(sessionCookie(id, { name: 's', secure: false, sameSite: 'Lax', path: '/' })).toBe(`s=${id}; Path=/; HttpOnly; SameSite=Lax`);
    expect(sessionCookie(id, { name: 's', secure: true, sameSite: 'None', path: '/app', domain: 'example.com', maxAgeSeconds: 3600 })).toBe(
      `s=${id}; Path=/app; HttpOnly; SameSite=None; Secure; Domain=example.com; Max-Age=3600`,
    );
  });
});

describe('client IP', () => {
  it('uses the socket address unless proxies are trusted', () => {
    expect(clientIp('::ffff:10.1.2.3', false, 'for=1.1.1.1', '2.2.2.2')).toBe('10.1.2.3');
    expect(clientIp('::1', 0, undefined, '2.2.2.2')).toBe('::1');
  });
  it('takes the left-most forwarded address when every proxy is trusted', () => {
    expect(clientIp('10.0.0.1', true, undefined, '203.0.113.9:5555, 10.0.0.2')).toBe('203.0.113.9');
    expect(clientIp('10.0.0.1', true, 'for="[2001:db8::1]:80";proto=https, for=10.0.0.2', '9.9.9.9')).toBe('2001:db8::1');
  });
  it('counts trusted hops from the server', () => {
    expect(clientIp('10.0.0.1', 1, undefined, 'spoofed, 203.0.113.9')).toBe('203.0.113.9');
    expect(clientIp('10.0.0.1', 2, undefined, 'spoofed, 203.0.113.9, 10.0.0.2')).toBe('203.0.113.9');
    expect(clientIp('10.0.0.1', 5, undefined, '203.0.113.9')).toBe('203.0.113.9');
  });
  it('falls back to the socket when forwarding headers are absent or say unknown', () => {
    expect(clientIp('10.0.0.1', true, undefined, undefined)).toBe('10.0.0.1');
    expect(clientIp('10.0.0.1', true, 'for=unknown', undefined)).toBe('10.0.0.1');
  });
});

describe('http audit core', () => {
  it('maps HTTP statuses to interaction statuses', () => {
    expect([200, 302, 404, 408, 499, 500, 504].map(statusFromHttp)).toEqual(['success', 'success', 'error', 'timeout', 'cancelled', 'error', 'timeout']);
  });

  it('audits only the configured methods', () => {
    const core = createHttpAudit({ logger, routes: ['/api/execute'], methods: ['post'] });
    const facts = (method: string) => ({ method, path: '/api/execute', header: () => undefined, socketAddress: '127.0.0.1' });
    expect(core.begin(facts('GET'))).toBeUndefined();
    expect(core.begin(facts('POST'))).toBeDefined();
  });

  it('refuses bad options, listing every problem', () => {
    let err: unknown;
    try {
      createHttpAudit({ logger: {} as never, routes: ['api/x'], cookie: { name: 'a b', sameSite: 'None' }, trustProxy: -1 });
    } catch (e) {
      err = e;
    }
    expect(isAuditrailError(err, 'OPTIONS_INVALID')).toBe(true);
    const paths = (err as { issues: { path: string }[] }).issues.map((i) => i.path);
    expect(paths).toEqual(expect.arrayContaining(['logger', 'routes.0', 'cookie.name', 'trustProxy']));
  });

  it('refuses SameSite=None without Secure', () => {
    expect(() => createHttpAudit({ logger, cookie: { sameSite: 'None' } })).toThrow(/SameSite=None needs secure/);
  });
});
