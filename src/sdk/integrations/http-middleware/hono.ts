import type { Context, MiddlewareHandler } from 'hono';
import type { AuditScope } from '../scope/audit-scope.js';
import { createHttpAudit, type RequestAudit } from './http-audit-core.js';
import type { HttpAuditOptions } from './http-audit-options.js';

/** Hono variables set by the middleware: `c.get('audit')`. Use `new Hono<{ Variables: AuditVariables }>()`. */
export interface AuditVariables {
  audit: AuditScope;
}

export interface HonoAuditOptions extends HttpAuditOptions {
  /**
   * The peer address of the request. Default: the Node socket of @hono/node-server
   * (`c.env.incoming.socket.remoteAddress`); give one for other runtimes (Bun, Deno, workers).
   */
  socketAddress?: (c: Context) => string | undefined;
}

const nodeSocketAddress = (c: Context): string | undefined => {
  const env = c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined;
  return env?.incoming?.socket?.remoteAddress;
};

async function jsonBody(c: Context): Promise<unknown> {
  if (!(c.req.header('content-type') ?? '').includes('json')) return undefined;
  try {
    return await c.req.json(); // cached by Hono when the handler read it already
  } catch {
    return undefined;
  }
}

/** Passes the body through and tells when it was read to the end, or cancelled (the client went away). */
function watchBody(body: ReadableStream<Uint8Array>, onEnd: () => void, onCancel: () => void): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { done, value } = await reader.read();
        if (done) {
          controller.close();
          onEnd();
        } else controller.enqueue(value);
      } catch (err) {
        onCancel();
        controller.error(err);
      }
    },
    async cancel(reason) {
      onCancel();
      await reader.cancel(reason);
    },
  });
}

/**
 * Hono middleware: audits the configured routes, sets the session cookie, gives the handler
 * `c.get('audit')` (and `currentAudit()`), and records the interaction when the response body has
 * been sent, with the handler's error, or as cancelled when the client goes away.
 */
export function auditHono(options: HonoAuditOptions): MiddlewareHandler<{ Variables: AuditVariables }> {
  const { socketAddress = nodeSocketAddress, ...rest } = options ?? ({} as HonoAuditOptions);
  const core = createHttpAudit(rest, 'auditHono');
  const questionField = core.options.questionField;

  return async (c, next) => {
    const audit: RequestAudit | undefined = core.begin({ method: c.req.method, path: c.req.path, header: (name) => c.req.header(name), socketAddress: socketAddress(c) });
    if (audit === undefined) return next();
    if (audit.setCookie !== undefined) c.header('Set-Cookie', audit.setCookie, { append: true });
    c.set('audit', audit.scope);
    // Read before the handler (Hono caches it for the handler) so that a cancelled request has its question too.
    const body = questionField === false ? undefined : await jsonBody(c);
    const signal = c.req.raw.signal;
    const onAbort = (): void => audit.cancel(body);
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      await audit.run(next);
    } catch (err) {
      audit.fail(err);
      signal.removeEventListener('abort', onAbort);
      audit.finish(500, body);
      throw err;
    }
    if (c.error !== undefined) audit.fail(c.error);
    const res = c.res;
    const finish = (): void => {
      signal.removeEventListener('abort', onAbort);
      audit.finish(res.status, body);
    };
    if (res.body === null || audit.done) {
      finish();
      return;
    }
    c.res = new Response(watchBody(res.body, finish, onAbort), { status: res.status, statusText: res.statusText, headers: res.headers });
  };
}

export { currentAudit, runWithAudit } from '../scope/current-audit.js';
export type { AuditScope, AuditScopeFields, SuggestionSource } from '../scope/audit-scope.js';
export type { HttpAuditOptions, HttpIdentity, HttpRequestInfo } from './http-audit-options.js';
export type { RoutePattern } from './route-matcher.js';
export type { TrustProxy } from './client-ip.js';
