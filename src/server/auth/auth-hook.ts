import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AuditrailError } from '../../core/errors.js';
import type { ServerMetrics } from '../metrics/server-metrics.js';
import { sendProblem } from '../http/problem.js';
import '../http/request-context.js';
import type { Authenticator } from './authenticator.js';
import type { RateLimiter } from './rate-limiter.js';

export interface AuthHookOptions {
  readonly authenticator: Authenticator;
  readonly rateLimiter?: RateLimiter;
  readonly metrics: ServerMetrics;
}

/**
 * Every request is authenticated (Authorization: Bearer <key> or x-api-key: <key>) unless its
 * route is marked public; then its scope is checked and its key's token bucket charged.
 * Unknown routes are authenticated too, so probing them without a key learns nothing.
 */
export function registerAuthHook(app: FastifyInstance, options: AuthHookOptions): void {
  const { authenticator, rateLimiter, metrics } = options;
  app.addHook('onRequest', async (request, reply) => {
    const config = request.routeOptions.config;
    if (config.public) return;
    const token = tokenOf(request);
    const auth = token === undefined ? undefined : await authenticator.authenticate(token);
    if (!auth) {
      metrics.refused('unauthenticated');
      void reply.header('www-authenticate', 'Bearer realm="auditrail"');
      return sendProblem(reply, new AuditrailError('UNAUTHENTICATED', token === undefined ? 'no API key was sent' : 'the API key is unknown or revoked'));
    }
    request.auth = auth;
    if (config.scope !== undefined && !auth.scopes.includes(config.scope)) {
      return sendProblem(reply, new AuditrailError('SCOPE_MISSING', `this endpoint needs the "${config.scope}" scope; the key has ${auth.scopes.join(', ') || 'none'}`));
    }
    if (rateLimiter) {
      const verdict = rateLimiter.take(auth.keyId);
      if (!verdict.allowed) {
        metrics.refused('rate_limited');
        return sendProblem(reply, new AuditrailError('RATE_LIMITED', `key ${auth.keyId}`), { 'retry-after': verdict.retryAfterSeconds });
      }
    }
    return undefined;
  });
}

function tokenOf(request: FastifyRequest): string | undefined {
  const authz = request.headers.authorization;
  if (typeof authz === 'string') {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(authz);
    if (m) return m[1];
  }
  const key = request.headers['x-api-key'];
  return typeof key === 'string' && key.length > 0 ? key.trim() : undefined;
}
