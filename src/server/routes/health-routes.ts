import type { FastifyInstance } from 'fastify';
import { errorMessage } from '../../core/errors.js';
import { parseQuery } from '../../core/query.js';
import '../http/request-context.js';
import type { ServerContext } from '../server-context.js';

const pub = { config: { public: true } };

/** /healthz: the process is alive. /readyz: storage answers, the queue has room, not shutting down. */
export function healthRoutes(ctx: ServerContext) {
  return (app: FastifyInstance): void => {
    app.get('/healthz', pub, () => ({ status: 'ok' }));

    app.get('/readyz', pub, async (_request, reply) => {
      const checks: Record<string, { ok: boolean; detail?: string }> = {};
      checks.shutdown = { ok: !ctx.isShuttingDown() };
      const q = ctx.queue.stats();
      checks.queue = { ok: !ctx.queue.isFull(1), detail: `${q.pendingRecords + q.inFlightRecords}/${q.capacity} records queued` };
      try {
        // a cheap read that touches the backend; org-less: it only proves the storage answers
        await ctx.storage.countEvents(parseQuery({ orgId: '\u0000readyz', limit: 1 }));
        checks.storage = { ok: true, detail: ctx.storage.name };
      } catch (err) {
        checks.storage = { ok: false, detail: errorMessage(err) };
      }
      const ready = Object.values(checks).every((c) => c.ok);
      return reply.code(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not_ready', checks });
    });
  };
}
