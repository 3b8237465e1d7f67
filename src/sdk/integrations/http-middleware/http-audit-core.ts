import { errorMessage, uuidv7, type InteractionStatus } from '../../../core/index.js';
import { createAuditScope, type AuditScope } from '../scope/audit-scope.js';
import { runWithAudit } from '../scope/current-audit.js';
import { clientIp } from './client-ip.js';
import { parseHttpAuditOptions, type HttpAuditOptions, type HttpRequestInfo, type ResolvedHttpAuditOptions } from './http-audit-options.js';
import { createRouteMatcher } from './route-matcher.js';
import { readSessionId, sessionCookie } from './session-cookie.js';

/** What an adapter tells the core about a request. */
export interface HttpRequestFacts {
  readonly method: string;
  /** The request path; a query string is ignored. */
  readonly path: string;
  /** A request header by lower-case name (first value). */
  header(name: string): string | undefined;
  readonly socketAddress: string | undefined;
}

/** The audit of one request, driven by a framework adapter. */
export interface RequestAudit {
  /** The interaction the handler fills (question, model, thoughts, tool calls, answer, status...). */
  readonly scope: AuditScope;
  readonly sessionId: string;
  /** A Set-Cookie value to add to the response: the request had no valid session cookie. */
  readonly setCookie: string | undefined;
  /** True once the interaction is recorded. */
  readonly done: boolean;
  /** Runs `fn` with this request's scope as currentAudit(). */
  run<T>(fn: () => T): T;
  /** The handler failed: the interaction ends with status error and this message when the response ends. */
  fail(error: unknown): void;
  /** The response ended: records the interaction (status: the handler's, else the error's, else from the HTTP status). */
  finish(statusCode: number, body?: unknown): void;
  /** The client went away before the response ended: records it as cancelled. */
  cancel(body?: unknown): void;
}

export interface HttpAudit {
  readonly options: ResolvedHttpAuditOptions;
  /** The audit of a request, or undefined when its route is not audited. */
  begin(request: HttpRequestFacts): RequestAudit | undefined;
}

/** 2xx/3xx success; 408/504 timeout; 499 (client closed) cancelled; other 4xx/5xx error. */
export function statusFromHttp(code: number): InteractionStatus {
  if (code < 400) return 'success';
  if (code === 408 || code === 504) return 'timeout';
  if (code === 499) return 'cancelled';
  return 'error';
}

const questionOf = (body: unknown, field: string | false): string | undefined => {
  if (field === false || typeof body !== 'object' || body === null) return undefined;
  const v = (body as Record<string, unknown>)[field];
  return typeof v === 'string' ? v : undefined;
};

/**
 * The framework-neutral part of the middleware: which routes, the session cookie, client IP and
 * user agent, the scope, and how the interaction ends. Express, Fastify and Hono adapters only
 * translate their request/response lifecycle into begin / fail / finish / cancel.
 */
export function createHttpAudit(input: HttpAuditOptions, label = 'http audit middleware'): HttpAudit {
  const o = parseHttpAuditOptions(input, label);
  const matches = createRouteMatcher(o.routes);
  const methods = o.methods === undefined ? undefined : new Set(o.methods);

  function begin(req: HttpRequestFacts): RequestAudit | undefined {
    const method = req.method.toUpperCase();
    if (methods !== undefined && !methods.has(method)) return undefined;
    if (!matches(req.path)) return undefined;
    const q = req.path.indexOf('?');
    const path = q === -1 ? req.path : req.path.slice(0, q);
    const existing = readSessionId(req.header('cookie'), o.cookie.name);
    const sessionId = existing ?? uuidv7();
    const ip = clientIp(req.socketAddress, o.trustProxy, req.header('forwarded'), req.header('x-forwarded-for'));
    const userAgent = req.header('user-agent');
    const info: HttpRequestInfo = { method, path, sessionId, clientIp: ip, userAgent, header: (n) => req.header(n.toLowerCase()) };
    let identity;
    try {
      identity = o.identify?.(info);
    } catch {
      identity = undefined; // the application's hook must not break the request; the interaction goes without identity
    }
    const scope = createAuditScope(o.logger, {}, { defaultModel: o.defaults.model, metadata: { ...identity?.metadata, http: { method, path } } });
    scope.suggest({ sessionId, clientIp: ip, userAgent, provider: o.defaults.provider, baseUrl: o.defaults.baseUrl, cluster: o.defaults.cluster, agentId: o.defaults.agentId }, 'request');
    scope.set({ sessionId, ...(ip === undefined ? {} : { clientIp: ip }), userId: identity?.userId, agentId: identity?.agentId });
    let failure: unknown;
    let failed = false;
    const suggestQuestion = (body: unknown): void => {
      const question = questionOf(body, o.questionField);
      if (question !== undefined) scope.suggest({ question }, 'request');
    };

    return {
      scope,
      sessionId,
      setCookie: existing === undefined ? sessionCookie(sessionId, o.cookie) : undefined,
      get done() {
        return scope.ended;
      },
      run: (fn) => runWithAudit(scope, fn),
      fail(error) {
        if (failed) return;
        failed = true;
        failure = error;
      },
      finish(statusCode, body) {
        if (scope.ended) return;
        suggestQuestion(body);
        scope.addMetadata({ http: { method, path, statusCode } });
        if (scope.status !== undefined) scope.end();
        else if (failed) scope.end({ status: 'error', errorMessage: errorMessage(failure) });
        else {
          const status = statusFromHttp(statusCode);
          scope.end(status === 'success' ? { status } : { status, errorMessage: `HTTP ${statusCode}` });
        }
      },
      cancel(body) {
        if (scope.ended) return;
        suggestQuestion(body);
        scope.addMetadata({ http: { method, path, clientClosed: true } });
        scope.end({ status: 'cancelled', errorMessage: 'client disconnected before the response ended' });
      },
    };
  }

  return Object.freeze({ options: o, begin });
}
