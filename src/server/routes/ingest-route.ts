import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AuditrailError, isAuditrailError } from '../../core/errors.js';
import { decodeBody } from '../ingest/decode-body.js';
import { inspectValue } from '../ingest/inspect-value.js';
import { parseBatch, type BatchFormat } from '../ingest/parse-batch.js';
import { mergeResults, prepareRecords } from '../ingest/prepare-records.js';
import { sendProblem } from '../http/problem.js';
import '../http/request-context.js';
import type { ServerContext } from '../server-context.js';

const NDJSON_TYPES = ['application/x-ndjson', 'application/jsonl', 'application/ndjson'];

/**
 * POST /v1/events: a batch of records (JSON array, {"records": [...]}, or NDJSON; optionally
 * gzip). Request-level problems (size, count, encoding, syntax, nesting, string length,
 * prototype keys) refuse the whole request with a 4xx and store nothing; schema problems reject
 * single records. The answer (200, one result per record) is sent only after the accepted
 * records are durable.
 */
export function ingestRoute(ctx: ServerContext) {
  const limits = ctx.config.limits;
  return (app: FastifyInstance): void => {
    // this plugin's own parsers: raw bytes, so that gzip, UTF-8 and JSON are checked here
    app.removeAllContentTypeParsers();
    app.addContentTypeParser(['application/json', ...NDJSON_TYPES], { parseAs: 'buffer', bodyLimit: limits.max_body_bytes }, (_req, body, done) => {
      done(null, body);
    });
    app.post('/v1/events', { config: { scope: 'ingest' }, bodyLimit: limits.max_body_bytes }, async (request, reply) => {
      if (!ctx.config.audit.enabled) return sendProblem(reply, new AuditrailError('INGEST_DISABLED'));
      const orgId = request.auth!.orgId;
      const values = await readBatch(request, ctx);
      const prepared = prepareRecords(values, orgId, ctx.redaction.forOrg(orgId, request.log));
      let stored: { id: string; status: 'accepted' | 'duplicate' }[] = [];
      try {
        stored = [...(await ctx.queue.submit(orgId, prepared.records)).results];
      } catch (err) {
        if (isAuditrailError(err, 'QUEUE_FULL')) return sendProblem(reply, err, { 'retry-after': ctx.queue.retryAfterSeconds() });
        if (isAuditrailError(err, 'STORAGE_UNAVAILABLE') || isAuditrailError(err, 'SHUTTING_DOWN')) return sendProblem(reply, err, { 'retry-after': 1 });
        throw err;
      }
      const results = mergeResults(values.length, prepared, stored);
      let accepted = 0;
      let duplicates = 0;
      for (const r of results) if (r.status === 'accepted') accepted++;
      else if (r.status === 'duplicate') duplicates++;
      const rejected = results.length - accepted - duplicates;
      ctx.metrics.recordOutcomes(accepted, duplicates, rejected);
      return reply.code(200).send({ accepted, duplicates, rejected, results });
    });
  };
}

async function readBatch(request: FastifyRequest, ctx: ServerContext): Promise<unknown[]> {
  const limits = ctx.config.limits;
  const raw = request.body;
  if (!Buffer.isBuffer(raw)) throw new AuditrailError('BODY_MALFORMED', 'the body is empty; send a JSON array of records');
  const text = await decodeBody(raw, header(request, 'content-encoding'), limits.max_body_bytes);
  const mediaType = (header(request, 'content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  const format: BatchFormat = NDJSON_TYPES.includes(mediaType) ? 'ndjson' : 'json';
  const values = parseBatch(text, format, limits.max_batch_records);
  const valueLimits = { maxDepth: limits.max_depth, maxStringLength: limits.max_string_length };
  values.forEach((v, i) => inspectValue(v, valueLimits, `records.${i}`));
  return values;
}

function header(request: FastifyRequest, name: string): string | undefined {
  const v = request.headers[name];
  return Array.isArray(v) ? v.join(',') : v;
}
