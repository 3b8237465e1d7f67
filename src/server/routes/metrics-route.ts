import type { FastifyContextConfig, FastifyInstance } from 'fastify';
import '../http/request-context.js';
import type { ServerContext } from '../server-context.js';

/** GET /metrics: Prometheus text format, from the server's own registry. */
export function metricsRoute(ctx: ServerContext) {
  return (app: FastifyInstance): void => {
    const config: FastifyContextConfig = ctx.config.auth.public_metrics ? { public: true } : { scope: 'admin' };
    app.get('/metrics', { config }, async (_request, reply) => {
      const body = await ctx.metrics.registry.metrics();
      return reply.type(ctx.metrics.registry.contentType).send(body);
    });
  };
}
