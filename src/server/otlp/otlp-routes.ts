import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AuditrailError, isAuditrailError } from '../../core/errors.js';
import { toAuditrailError } from '../http/problem.js';
import '../http/request-context.js';
import type { ServerContext } from '../server-context.js';
import { decodeLogs, decodeTraces, type OtlpEncoding } from './decode-request.js';
import { mapLogs } from './map-logs.js';
import { mapTraces } from './map-traces.js';
import { JSON_TYPES, PROTOBUF_TYPES, otlpEncodingOf, readOtlpBody } from './read-body.js';
import { sendExportResponse, sendOtlpError, type OtlpSignal } from './otlp-response.js';
import { isRetryable, storeMapped, storedToolCallsReader } from './store-mapped.js';

/**
 * OTLP/HTTP ingestion (docs/otlp.md): POST /v1/traces and /v1/logs, OTLP/JSON or protobuf,
 * optionally gzip, authenticated like every route (an ingest-scoped API key in `Authorization:
 * Bearer` or `x-api-key`, as OTEL_EXPORTER_OTLP_HEADERS sends it); the org is the key's. Spans
 * and GenAI log events are mapped onto interactions and action events (map-traces.ts,
 * map-logs.ts) and answered per the OTLP/HTTP spec: 200 once the records are durable, with
 * partialSuccess when some items were refused; 400 for a body that does not decode (never
 * retried); 503 with Retry-After when the write queue is full.
 */
export function otlpRoutes(ctx: ServerContext) {
  const limits = ctx.config.limits;
  return (app: FastifyInstance): void => {
    // this plugin's own parsers: raw bytes, decoded (and gunzipped) in the handler
    app.removeAllContentTypeParsers();
    app.addContentTypeParser([...JSON_TYPES, ...PROTOBUF_TYPES], { parseAs: 'buffer', bodyLimit: limits.max_body_bytes }, (_request, body, done) => {
      done(null, body);
    });
    // errors before the handler (body too large, unsupported media type) answer in OTLP's shape too
    app.setErrorHandler((err, request, reply) => {
      const e = toAuditrailError(err);
      if (e.status >= 500) request.log.error({ err }, 'otlp ingestion failed');
      return sendOtlpError(reply, e, encodingOf(request));
    });
    const route = { config: { scope: 'ingest' as const }, bodyLimit: limits.max_body_bytes };
    app.post('/v1/traces', route, (request, reply) => handle(ctx, 'traces', request, reply));
    app.post('/v1/logs', route, (request, reply) => handle(ctx, 'logs', request, reply));
  };
}

async function handle(ctx: ServerContext, signal: OtlpSignal, request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
  const encoding = encodingOf(request);
  try {
    if (!ctx.config.audit.enabled) throw new AuditrailError('INGEST_DISABLED');
    const orgId = request.auth!.orgId;
    const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
    const body = await readOtlpBody(raw, header(request, 'content-encoding'), ctx.config.limits.max_body_bytes);
    let partial;
    if (signal === 'traces') {
      const decoded = decodeTraces(body, encoding);
      const mapped = await mapTraces(decoded.items, { orgId, storedToolCalls: storedToolCallsReader(ctx, orgId) });
      partial = await storeMapped(ctx, orgId, mapped, decoded.invalid, 'span');
    } else {
      const decoded = decodeLogs(body, encoding);
      partial = await storeMapped(ctx, orgId, mapLogs(decoded.items, orgId), decoded.invalid, 'log record');
    }
    return sendExportResponse(reply, signal, encoding, partial);
  } catch (err) {
    const e = toAuditrailError(err);
    if (isRetryable(e)) {
      const retryAfter = isAuditrailError(e, 'QUEUE_FULL') ? ctx.queue.retryAfterSeconds() : 1;
      return sendOtlpError(reply, e, encoding, { 'retry-after': retryAfter });
    }
    if (e.status >= 500) request.log.error({ err }, 'otlp ingestion failed');
    return sendOtlpError(reply, e, encoding);
  }
}

function encodingOf(request: FastifyRequest): OtlpEncoding {
  return otlpEncodingOf(header(request, 'content-type')) ?? 'json';
}

function header(request: FastifyRequest, name: string): string | undefined {
  const v = request.headers[name];
  return Array.isArray(v) ? v.join(',') : v;
}
