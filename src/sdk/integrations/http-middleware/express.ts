import type { IncomingHttpHeaders } from 'node:http';
import type { ErrorRequestHandler, Request, RequestHandler, Response } from 'express';
import type { AuditScope } from '../scope/audit-scope.js';
import { createHttpAudit, type RequestAudit } from './http-audit-core.js';
import type { HttpAuditOptions } from './http-audit-options.js';

export interface ExpressAudit {
  /** Register before the audited routes (and after express.json(), so the body's question field is seen). */
  readonly middleware: RequestHandler;
  /** Register after the routes: gives a handler's error to the interaction, then passes it on. */
  readonly errorHandler: ErrorRequestHandler;
}

const first = (v: IncomingHttpHeaders[string]): string | undefined => (Array.isArray(v) ? v.join(', ') : v);

// Requests are keys only while they live: the audit goes with them.
const audits = new WeakMap<Request, RequestAudit>();

/** The audit scope of an Express request (also at `res.locals.audit`), undefined when its route is not audited. */
export function expressAudit(req: Request): AuditScope | undefined {
  return audits.get(req)?.scope;
}

/**
 * Express 5 middleware: audits the configured routes, sets the session cookie, gives the handler
 * `res.locals.audit` (and `currentAudit()`), and records the interaction when the response ends,
 * when the handler fails (with `errorHandler`), or when the client disconnects.
 */
export function auditExpress(options: HttpAuditOptions): ExpressAudit {
  const core = createHttpAudit(options, 'auditExpress');

  const middleware: RequestHandler = (req, res: Response, next) => {
    const audit = core.begin({
      method: req.method,
      path: req.originalUrl || req.url,
      header: (name) => first(req.headers[name]),
      socketAddress: req.socket.remoteAddress,
    });
    if (audit === undefined) {
      next();
      return;
    }
    if (audit.setCookie !== undefined) res.append('Set-Cookie', audit.setCookie);
    audits.set(req, audit);
    res.locals.audit = audit.scope;
    res.once('finish', () => audit.finish(res.statusCode, req.body));
    res.once('close', () => {
      if (!res.writableFinished) audit.cancel(req.body);
    });
    audit.run(next);
  };

  const errorHandler: ErrorRequestHandler = (err, req, _res, next) => {
    audits.get(req)?.fail(err);
    next(err);
  };

  return Object.freeze({ middleware, errorHandler });
}

export { currentAudit, runWithAudit } from '../scope/current-audit.js';
export type { AuditScope, AuditScopeFields, SuggestionSource } from '../scope/audit-scope.js';
export type { HttpAuditOptions, HttpIdentity, HttpRequestInfo } from './http-audit-options.js';
export type { RoutePattern } from './route-matcher.js';
export type { TrustProxy } from './client-ip.js';
