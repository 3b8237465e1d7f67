import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { AuditrailError } from '../../core/errors.js';
import { parseQuery } from '../../core/query.js';
import { toIssues } from '../../core/record.js';
import { exportStream } from '../export/export-stream.js';
import { accessDetails, queryInput } from '../http/query-input.js';
import '../http/request-context.js';
import type { ServerContext } from '../server-context.js';
import { createTenantReader } from '../tenancy/tenant-reader.js';

export const ExportParamsSchema = z
  .object({
    format: z.enum(['jsonl', 'csv']).default('jsonl'),
    kind: z.enum(['interactions', 'events']).default('interactions'),
    maxRows: z.coerce.number().int().min(1).optional(),
  })
  .strict();

const PAGE_SIZE = 1000;

/**
 * GET /v1/export: every record matching the filters, streamed as JSONL or CSV in constant memory,
 * resumable from a cursor. Default order is ascending (oldest first), the natural order to resume.
 */
export function exportRoute(ctx: ServerContext) {
  return (app: FastifyInstance): void => {
    app.get('/v1/export', { config: { scope: 'read' } }, async (request, reply) => {
      const raw = queryInput(request);
      const p = ExportParamsSchema.safeParse({ format: raw.format, kind: raw.kind, maxRows: raw.maxRows });
      if (!p.success) throw new AuditrailError('QUERY_INVALID', toIssues(p.error).map((i) => `${i.path}: ${i.message}`).join('; '), { issues: toIssues(p.error) });
      const { format, kind, maxRows } = p.data;
      const { format: _f, kind: _k, maxRows: _m, limit: _l, ...filters } = raw;
      if (filters.offset !== undefined) throw new AuditrailError('QUERY_INVALID', 'export pages by cursor; offset is not supported here', { issues: [{ path: 'offset', message: 'use cursor' }] });
      const query = parseQuery({ order: 'asc', ...filters });
      await ctx.access.record(request.auth!, 'auditrail.export', accessDetails(request, { ...query, format, kind, maxRows }));
      const stream = exportStream({ reader: createTenantReader(ctx.storage, request.auth!.orgId, ctx.encryption), kind, format, query, pageSize: PAGE_SIZE, ...(maxRows ? { maxRows } : {}) });
      const stamp = new Date().toISOString().replace(/[:.]/g, '-');
      return reply
        .type(format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson; charset=utf-8')
        .header('content-disposition', `attachment; filename="auditrail-${kind}-${stamp}.${format}"`)
        .header('x-auditrail-export-kind', kind)
        .send(stream);
    });
  };
}
