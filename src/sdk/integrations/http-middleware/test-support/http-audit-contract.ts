import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMemoryStorage, isUuid } from '../../../../core/index.js';
import { createAuditLogger, type AuditLogger } from '../../../logger.js';
import type { AuditScope } from '../../scope/audit-scope.js';
import { currentAudit } from '../../scope/current-audit.js';
import { deferred, recordedInteractions } from '../../test-support/recorded.js';
import type { HttpAuditOptions } from '../http-audit-options.js';

/** What a handler answers, framework-neutral. */
export interface Reply {
  status: number;
  json?: unknown;
  /** Streamed instead of json: chunks written `chunkDelayMs` apart. */
  chunks?: string[];
  chunkDelayMs?: number;
}

/**
 * The application under test. Each framework's test maps these routes onto its own API and gives
 * each handler the request's scope through its own accessor (res.locals, request.audit, c.get):
 *   POST /api/execute, /api/diagnose, /api/status, /api/stream, /api/fail, /api/slow; GET /health.
 */
export interface ContractHandlers {
  handle(route: string, scope: AuditScope | undefined, body: unknown): Promise<Reply>;
}

export interface RunningApp {
  readonly url: string;
  close(): Promise<void>;
}

export type StartApp = (options: HttpAuditOptions, handlers: ContractHandlers) => Promise<RunningApp>;

const ROUTES = ['/api/execute', '/api/diagnose', '/api/status', '/api/stream', '/api/fail', '/api/slow'];

/** The one test suite every framework adapter runs against a real server of its framework. */
export function httpAuditContract(framework: string, start: StartApp): void {
  describe(`${framework} audit middleware (contract)`, () => {
    let logger: AuditLogger;
    let app: RunningApp | undefined;
    let slowStarted = deferred();
    let releaseSlow = deferred();

    const handlers: ContractHandlers = {
      async handle(route, scope, body) {
        await new Promise((r) => setImmediate(r));
        scope?.addMetadata({ sameScopeInAls: currentAudit() === scope && scope !== undefined });
        switch (route) {
          case '/api/execute': {
            const b = body as { question: string };
            scope?.set({ question: b.question, model: 'gpt-4o', provider: 'openai', baseUrl: 'https://api.openai.com/v1', cluster: 'prod-eu' });
            scope?.thought('List the pods first.');
            await scope?.tool('kubectl_get', { resource: 'pods' }, () => ['api-1', 'api-2']);
            scope?.answer('2 pods are running.');
            return { status: 200, json: { answer: '2 pods are running.' } };
          }
          case '/api/diagnose':
            return { status: 201, json: { ok: true } };
          case '/api/status':
            return { status: 503, json: { error: 'cluster unreachable' } };
          case '/api/stream':
            scope?.answer('streamed');
            return { status: 200, chunks: ['a', 'b', 'c'], chunkDelayMs: 30 };
          case '/api/fail':
            throw new Error('kubectl exploded');
          case '/api/slow':
            slowStarted.resolve();
            await releaseSlow.promise;
            return { status: 200, json: { late: true } };
          default:
            return { status: 200, json: { ok: true } };
        }
      },
    };

    const startWith = async (extra: Partial<HttpAuditOptions> = {}): Promise<string> => {
      app = await start({ logger, routes: ROUTES, ...extra }, handlers);
      return app.url;
    };
    const post = (url: string, body: unknown, headers: Record<string, string> = {}, signal?: AbortSignal) =>
      fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', 'user-agent': 'contract-test/1.0', ...headers }, body: JSON.stringify(body), ...(signal ? { signal } : {}) });

    beforeEach(() => {
      logger = createAuditLogger({ storage: createMemoryStorage(), context: { orgId: 'org_1' }, flushOnExit: false, onDiagnostic: () => {} });
      slowStarted = deferred();
      releaseSlow = deferred();
    });
    afterEach(async () => {
      releaseSlow.resolve();
      await app?.close();
      app = undefined;
      await logger.shutdown();
    });

    it('records what the handler filled in, with a new session cookie, client IP and user agent', async () => {
      const url = await startWith();
      const res = await post(`${url}/api/execute`, { question: 'How many pods?' });
      expect(res.status).toBe(200);
      const cookies = res.headers.getSetCookie();
      expect(cookies).toHaveLength(1);
      expect(cookies[0]).toMatch(/^auditrail_session=[0-9a-f-]{36}; Path=\/; HttpOnly; SameSite=Lax$/);
      const sessionId = /=([^;]+)/.exec(cookies[0]!)![1]!;
      const [i] = await recordedInteractions(logger);
      expect(i).toMatchObject({
        orgId: 'org_1',
        sessionId,
        clientIp: '127.0.0.1',
        userAgent: 'contract-test/1.0',
        question: 'How many pods?',
        model: 'gpt-4o',
        provider: 'openai',
        baseUrl: 'https://api.openai.com/v1',
        cluster: 'prod-eu',
        finalAnswer: '2 pods are running.',
        status: 'success',
        metadata: { http: { method: 'POST', path: '/api/execute', statusCode: 200 }, sameScopeInAls: true },
      });
      expect(i!.thoughts).toEqual([expect.objectContaining({ sequence: 0, content: 'List the pods first.' })]);
      expect(i!.toolCalls).toEqual([expect.objectContaining({ sequence: 1, name: 'kubectl_get', input: { resource: 'pods' }, observation: ['api-1', 'api-2'], status: 'success' })]);
      expect(i!.totalDurationMs).toBeGreaterThanOrEqual(0);
    });

    it('keeps the session of a valid cookie and sets no new one', async () => {
      const url = await startWith();
      const sessionId = '0190f1d2-7c3a-7b4e-9f10-1234567890ab';
      const res = await post(`${url}/api/execute`, { question: 'q' }, { cookie: `theme=dark; auditrail_session=${sessionId}` });
      expect(res.headers.getSetCookie()).toEqual([]);
      const [i] = await recordedInteractions(logger);
      expect(i!.sessionId).toBe(sessionId);
    });

    it('gives a request with a malformed session cookie a new session', async () => {
      const url = await startWith();
      const res = await post(`${url}/api/execute`, { question: 'q' }, { cookie: "auditrail_session=' OR 1=1 --" });
      const cookie = res.headers.getSetCookie()[0]!;
      const sessionId = /=([^;]+)/.exec(cookie)![1]!;
      expect(isUuid(sessionId)).toBe(true);
      const [i] = await recordedInteractions(logger);
      expect(i!.sessionId).toBe(sessionId);
    });

    it('audits no route unless configured, and leaves other routes alone', async () => {
      app = await start({ logger }, handlers);
      const a = await post(`${app.url}/api/execute`, { question: 'q' });
      const b = await fetch(`${app.url}/health`);
      expect([a.status, b.status]).toEqual([200, 200]);
      expect([...a.headers.getSetCookie(), ...b.headers.getSetCookie()]).toEqual([]);
      await logger.flush();
      expect(await logger.countInteractions({})).toBe(0);
    });

    it('fills the question from the body field and the default model when the handler sets none', async () => {
      const url = await startWith({ defaults: { model: 'ops-model', cluster: 'staging' } });
      const res = await post(`${url}/api/diagnose`, { question: 'Why is api-1 crashing?' });
      expect(res.status).toBe(201);
      const [i] = await recordedInteractions(logger);
      expect(i).toMatchObject({ question: 'Why is api-1 crashing?', model: 'ops-model', cluster: 'staging', status: 'success', metadata: { http: { statusCode: 201 } } });
    });

    it('takes the status from the HTTP status when the handler sets none', async () => {
      const url = await startWith();
      const res = await post(`${url}/api/status`, { question: 'q' });
      expect(res.status).toBe(503);
      const [i] = await recordedInteractions(logger);
      expect(i).toMatchObject({ status: 'error', errorMessage: 'HTTP 503', metadata: { http: { statusCode: 503 } } });
    });

    it('records a handler that throws as an error with its message', async () => {
      const url = await startWith();
      const res = await post(`${url}/api/fail`, { question: 'break it' });
      expect(res.status).toBe(500);
      const [i] = await recordedInteractions(logger);
      expect(i).toMatchObject({ question: 'break it', status: 'error', errorMessage: 'kubectl exploded', metadata: { http: { statusCode: 500 } } });
    });

    it('records a request whose client disconnects as cancelled', async () => {
      const url = await startWith();
      const abort = new AbortController();
      const pending = post(`${url}/api/slow`, { question: 'slow one' }, {}, abort.signal).catch((e: unknown) => e);
      await slowStarted.promise;
      abort.abort();
      expect(await pending).toBeInstanceOf(Error);
      const [i] = await recordedInteractions(logger);
      expect(i).toMatchObject({ question: 'slow one', status: 'cancelled' });
      releaseSlow.resolve();
    });

    it('records a streamed response when its body ends', async () => {
      const url = await startWith();
      const res = await post(`${url}/api/stream`, { question: 'stream it' });
      expect(await res.text()).toBe('abc');
      const [i] = await recordedInteractions(logger);
      expect(i).toMatchObject({ question: 'stream it', finalAnswer: 'streamed', status: 'success' });
      expect(i!.totalDurationMs).toBeGreaterThanOrEqual(60);
    });

    it('ignores X-Forwarded-For and Forwarded unless trustProxy is set', async () => {
      const url = await startWith();
      await post(`${url}/api/diagnose`, { question: 'q' }, { 'x-forwarded-for': '203.0.113.9', forwarded: 'for=198.51.100.7' });
      const [i] = await recordedInteractions(logger);
      expect(i!.clientIp).toBe('127.0.0.1');
    });

    it('takes the client IP from forwarding headers when trustProxy is set', async () => {
      const url = await startWith({ trustProxy: 1 });
      await post(`${url}/api/diagnose`, { question: 'a' }, { 'x-forwarded-for': '203.0.113.9, 10.0.0.5' });
      await post(`${url}/api/diagnose`, { question: 'b' }, { forwarded: 'for="[2001:db8::1]:4711", for=10.0.0.6' });
      const items = await recordedInteractions(logger, 2);
      expect(items.map((i) => [i.question, i.clientIp]).sort()).toEqual([
        ['a', '10.0.0.5'],
        ['b', '10.0.0.6'],
      ]);
    });

    it('sets a Secure cookie with the configured name and identifies the user', async () => {
      const url = await startWith({ cookie: { name: 'sid', secure: true, sameSite: 'Strict' }, identify: (r) => ({ userId: r.header('x-user') ?? 'anonymous', metadata: { tenant: 'acme' } }) });
      const res = await post(`${url}/api/diagnose`, { question: 'q' }, { 'x-user': 'alice' });
      expect(res.headers.getSetCookie()[0]).toMatch(/^sid=[0-9a-f-]{36}; Path=\/; HttpOnly; SameSite=Strict; Secure$/);
      const [i] = await recordedInteractions(logger);
      expect(i).toMatchObject({ userId: 'alice', metadata: { tenant: 'acme' } });
    });
  });
}
