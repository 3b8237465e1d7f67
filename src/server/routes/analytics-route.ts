import type { FastifyInstance } from 'fastify';
import { parseAnalyticsQuery } from '../../core/analytics.js';
import { accessDetails, queryInput } from '../http/query-input.js';
import '../http/request-context.js';
import type { ServerContext } from '../server-context.js';
import { createTenantReader } from '../tenancy/tenant-reader.js';

/** GET /v1/analytics: volume, errors, latency p50/p95/p99 and tokens per time bucket and group. */
export function analyticsRoute(ctx: ServerContext) {
  return (app: FastifyInstance): void => {
    app.get('/v1/analytics', { config: { scope: 'read' } }, async (request) => {
      const query = parseAnalyticsQuery(queryInput(request));
      await ctx.access.record(request.auth!, 'auditrail.analytics', accessDetails(request, { ...query }));
      const rows = await createTenantReader(ctx.storage, request.auth!.orgId, ctx.encryption).analytics(query);
      return { bucket: query.bucket, groupBy: query.groupBy ?? null, from: query.from, to: query.to, rows };
    });
  };
}
