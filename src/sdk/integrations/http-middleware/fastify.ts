import type { IncomingHttpHeaders } from 'node:http';
import type { FastifyPluginCallback, FastifyRequest } from 'fastify';
import type { AuditScope } from '../scope/audit-scope.js';
import { createHttpAudit, type RequestAudit } from './http-audit-core.js';
import type { HttpAuditOptions } from './http-audit-options.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The auditrail scope of this request (null when its route is not audited). */
    audit: AuditScope | null;
  }
}

const first = (v: IncomingHttpHeaders[string]): string | undefined => (Array.isArray(v) ? v.join(', ') : v);

/**
 * A Fastify plugin (not encapsulated: it audits routes of the whole instance): audits the
 * configured routes, sets the session cookie, decorates `request.audit` (and `currentAudit()` in
 * the handler), and records the interaction when the response ends (onResponse), with the
 * handler's error (onError), or as cancelled when the client goes away first.
 */
export function auditFastify(options: HttpAuditOptions): FastifyPluginCallback {
  const core = createHttpAudit(options, 'auditFastify');
  const audits = new WeakMap<FastifyRequest, RequestAudit>();

  const plugin: FastifyPluginCallback = (fastify, _opts, done) => {
    fastify.decorateRequest('audit', null);
    fastify.addHook('onRequest', (request, reply, next) => {
      const audit = core.begin({
        method: request.method,
        path: request.url,
        header: (name) => first(request.headers[name]),
        socketAddress: request.socket.remoteAddress,
      });
      if (audit !== undefined) {
        if (audit.setCookie !== undefined) reply.header('set-cookie', audit.setCookie);
        audits.set(request, audit);
        request.audit = audit.scope;
        // The raw response closing unfinished is the one sign of a client gone after its body was read.
        reply.raw.once('close', () => {
          if (!reply.raw.writableFinished) audit.cancel(request.body);
        });
      }
      next();
    });
    // After body parsing, so the handler runs inside the scope (parsing leaves the request's async context).
    fastify.addHook('preHandler', (request, _reply, next) => {
      const audit = audits.get(request);
      if (audit === undefined) next();
      else audit.run(next);
    });
    fastify.addHook('onError', (request, _reply, error, next) => {
      audits.get(request)?.fail(error);
      next();
    });
    fastify.addHook('onResponse', (request, reply, next) => {
      audits.get(request)?.finish(reply.statusCode, request.body);
      next();
    });
    done();
  };
  // What fastify-plugin does: the hooks apply to every route, not only to this plugin's context.
  Object.assign(plugin, { [Symbol.for('skip-override')]: true, [Symbol.for('fastify.display-name')]: 'auditrail' });
  return plugin;
}

export { currentAudit, runWithAudit } from '../scope/current-audit.js';
export type { AuditScope, AuditScopeFields, SuggestionSource } from '../scope/audit-scope.js';
export type { HttpAuditOptions, HttpIdentity, HttpRequestInfo } from './http-audit-options.js';
export type { RoutePattern } from './route-matcher.js';
export type { TrustProxy } from './client-ip.js';
