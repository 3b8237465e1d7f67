import { z } from 'zod';
import { AnalyticsQuerySchema } from '../../core/analytics.js';
import { AuditEventSchema } from '../../core/audit-event.js';
import { ERRORS } from '../../core/errors.js';
import { InteractionSchema } from '../../core/interaction.js';
import { AuditQuerySchema } from '../../core/query.js';
import { AuditRecordSchema } from '../../core/record.js';
import { CreateKeyBodySchema } from '../routes/keys-routes.js';
import { ExportParamsSchema } from '../routes/export-route.js';
import {
  AnalyticsResponseSchema,
  ApiKeyInfoSchema,
  CreatedKeySchema,
  EventPageSchema,
  IngestResponseSchema,
  InteractionDetailSchema,
  InteractionPageSchema,
  ProblemSchema,
  ReadyzSchema,
  RecordResultSchema,
  SessionDetailSchema,
  SessionPageSchema,
  SessionSummarySchema,
  WhoamiSchema,
} from './response-schemas.js';

type Json = Record<string, unknown>;
const ref = (id: string): Json => ({ $ref: `#/components/schemas/${id}` });
const uri = (id: string): string => `#/components/schemas/${id}`;

const PARAM_DOCS: Readonly<Record<string, string>> = {
  orgId: 'Optional: always the org of the API key; another org is refused (403).',
  eventTypes: 'Comma-separated event types.',
  from: 'Inclusive start (ISO 8601).',
  to: 'Exclusive end (ISO 8601).',
  search: 'Full-text search over questions and answers: every term must occur.',
  cursor: 'The nextCursor of the previous page (keyset pagination, stable under concurrent writes).',
  offset: 'Seed compatibility; prefer cursor.',
  actionName: 'For interactions: those with a tool call of this name.',
  maxRows: 'Stop after this many rows; the JSONL end line then carries the cursor to continue.',
  format: 'jsonl (exact values; ends with an export_end line) or csv (one row per record, with its resume cursor).',
  kind: 'Which records to export.',
};

/** Components: request shapes in their input form (defaults optional), answers in their output form. */
function components(): Json {
  const input = z.registry<{ id: string }>();
  input.add(AuditRecordSchema, { id: 'AuditRecordInput' });
  input.add(CreateKeyBodySchema, { id: 'CreateKeyRequest' });
  const output = z.registry<{ id: string }>();
  const named: [z.ZodType, string][] = [
    [AuditEventSchema, 'AuditEvent'],
    [InteractionSchema, 'Interaction'],
    [ProblemSchema, 'Problem'],
    [RecordResultSchema, 'RecordResult'],
    [IngestResponseSchema, 'IngestResponse'],
    [SessionSummarySchema, 'SessionSummary'],
    [EventPageSchema, 'EventPage'],
    [InteractionPageSchema, 'InteractionPage'],
    [SessionPageSchema, 'SessionPage'],
    [InteractionDetailSchema, 'InteractionDetail'],
    [SessionDetailSchema, 'SessionDetail'],
    [AnalyticsResponseSchema, 'AnalyticsResponse'],
    [ApiKeyInfoSchema, 'ApiKey'],
    [CreatedKeySchema, 'CreatedApiKey'],
    [WhoamiSchema, 'Whoami'],
    [ReadyzSchema, 'Readiness'],
  ];
  for (const [s, id] of named) output.add(s, { id });
  const opts = { uri, unrepresentable: 'any' as const, target: 'draft-2020-12' as const };
  const a = z.toJSONSchema(input, { ...opts, io: 'input' }).schemas as Record<string, Json>;
  const b = z.toJSONSchema(output, { ...opts, io: 'output' }).schemas as Record<string, Json>;
  const schemas = { ...a, ...b };
  for (const s of Object.values(schemas)) {
    delete s.$schema;
    delete s.$id;
  }
  relaxOrg(schemas.AuditRecordInput);
  return schemas;
}

/** In requests orgId is optional: the server fills in the key's org. */
function relaxOrg(schema: Json | undefined): void {
  for (const branch of (schema?.oneOf ?? schema?.anyOf ?? []) as Json[]) {
    if (Array.isArray(branch.required)) branch.required = (branch.required as string[]).filter((k) => k !== 'orgId');
    const props = branch.properties as Record<string, Json> | undefined;
    if (props?.orgId) props.orgId.description = 'Optional: the server sets the org of the API key; another org is rejected.';
  }
}

function queryParams(shape: Record<string, z.ZodType>, omit: readonly string[] = []): Json[] {
  return Object.entries(shape)
    .filter(([name]) => !omit.includes(name))
    .map(([name, s]) => {
      const schema = z.toJSONSchema(s, { io: 'output', unrepresentable: 'any' }) as Json;
      delete schema.$schema;
      const p: Json = { name, in: 'query', required: false, schema };
      if (schema.type === 'array') Object.assign(p, { style: 'form', explode: false });
      if (PARAM_DOCS[name]) p.description = PARAM_DOCS[name];
      return p;
    });
}

const countSchema: Json = { type: 'object', required: ['count'], properties: { count: { type: 'integer', minimum: 0 } } };
const idParam = (what: string): Json => ({ name: 'id', in: 'path', required: true, schema: { type: 'string' }, description: what });
const json = (schema: Json): Json => ({ 'application/json': { schema } });

function responses(ok: Json, okStatus = '200', ...errors: (keyof typeof ERRORS)[]): Json {
  const out: Json = { [okStatus]: ok };
  for (const name of ['UNAUTHENTICATED', 'RATE_LIMITED', ...errors] as (keyof typeof ERRORS)[]) {
    const s = ERRORS[name];
    const key = String(s.status);
    const prev = out[key] as { description: string } | undefined;
    out[key] = { description: prev ? `${prev.description}; ${s.code}` : s.code, content: { 'application/problem+json': { schema: ref('Problem') } } };
  }
  return out;
}

function op(tag: string, summary: string, scope: string | null, extra: Json): Json {
  const more = typeof extra.description === 'string' ? ` ${extra.description}` : '';
  return { tags: [tag], summary, ...extra, ...(scope ? { description: `Needs the \`${scope}\` scope.${more}` } : { security: [] }) };
}

/** The OpenAPI 3.1 document, generated from the zod schemas that validate requests and answers. */
export function buildOpenApiDocument(version: string): Json {
  const auditParams = queryParams(AuditQuerySchema.shape);
  const readErrors = ['QUERY_INVALID', 'CURSOR_INVALID', 'ORG_MISMATCH', 'SCOPE_MISSING'] as const;
  return {
    openapi: '3.1.0',
    info: {
      title: 'auditrail',
      version,
      description: 'The audit trail for AI agents. Every request needs an API key (Authorization: Bearer <key> or x-api-key), bound to one org: every record stored and every row read belongs to that org. Errors are application/problem+json with a stable code (docs/errors.md).',
    },
    security: [{ bearer: [] }, { apiKey: [] }],
    paths: {
      '/v1/events': {
        post: op('ingest', 'Ingest a batch of events and interactions', 'ingest', {
          description:
            'A JSON array of records, {"records": [...]}, or NDJSON (Content-Type application/x-ndjson); Content-Encoding gzip accepted. Each record is validated on its own; the answer (one result per record, in order) is sent only after the accepted records are durable. A retried record is reported `duplicate` and stored once. 503 with Retry-After when the write queue is full.',
          requestBody: {
            required: true,
            content: {
              'application/json': { schema: { oneOf: [{ type: 'array', items: ref('AuditRecordInput') }, { type: 'object', required: ['records'], properties: { records: { type: 'array', items: ref('AuditRecordInput') } } }] } },
              'application/x-ndjson': { schema: { type: 'string', description: 'One AuditRecordInput JSON object per line' } },
            },
          },
          responses: responses({ description: 'Per-record results', content: json(ref('IngestResponse')) }, '200', 'BODY_MALFORMED', 'BODY_ENCODING_INVALID', 'BODY_FORBIDDEN_KEY', 'SCOPE_MISSING', 'BODY_TOO_LARGE', 'BATCH_TOO_LARGE', 'RECORD_TOO_LARGE', 'MEDIA_TYPE_UNSUPPORTED', 'RECORD_TOO_DEEP', 'QUEUE_FULL', 'STORAGE_UNAVAILABLE', 'INGEST_DISABLED'),
        }),
        get: op('query', 'Query action/approval events', 'read', { parameters: auditParams, responses: responses({ description: 'A page of events', content: json(ref('EventPage')) }, '200', ...readErrors) }),
      },
      '/v1/events/count': { get: op('query', 'Count matching events', 'read', { parameters: auditParams, responses: responses({ description: 'The count (limit, cursor and offset ignored)', content: json(countSchema) }, '200', ...readErrors) }) },
      '/v1/events/{id}': { get: op('query', 'One event', 'read', { parameters: [idParam('eventId')], responses: responses({ description: 'The event', content: json(ref('AuditEvent')) }, '200', 'NOT_FOUND') }) },
      '/v1/interactions': {
        get: op('query', 'Query interactions (with thoughts, tool calls, metrics)', 'read', { parameters: auditParams, responses: responses({ description: 'A page of interactions', content: json(ref('InteractionPage')) }, '200', ...readErrors) }),
      },
      '/v1/interactions/count': {
        get: op('query', 'Count matching interactions', 'read', { parameters: auditParams, responses: responses({ description: 'The count (limit, cursor and offset ignored)', content: json(countSchema) }, '200', ...readErrors) }),
      },
      '/v1/interactions/{id}': {
        get: op('query', 'One interaction with its action events', 'read', { parameters: [idParam('interactionId')], responses: responses({ description: 'The interaction', content: json(ref('InteractionDetail')) }, '200', 'NOT_FOUND') }),
      },
      '/v1/sessions': { get: op('query', 'Query sessions', 'read', { parameters: auditParams, responses: responses({ description: 'A page of sessions', content: json(ref('SessionPage')) }, '200', ...readErrors) }) },
      '/v1/sessions/{id}': {
        get: op('query', 'One session with its interactions in order', 'read', {
          parameters: [idParam('sessionId'), ...queryParams(AuditQuerySchema.shape, ['sessionId'])],
          responses: responses({ description: 'The session and a page of its interactions (oldest first by default)', content: json(ref('SessionDetail')) }, '200', 'NOT_FOUND'),
        }),
      },
      '/v1/analytics': {
        get: op('query', 'Volume, errors, latency percentiles and tokens per time bucket and group', 'read', {
          parameters: queryParams(AnalyticsQuerySchema.shape),
          responses: responses({ description: 'Rows per bucket and group', content: json(ref('AnalyticsResponse')) }, '200', ...readErrors),
        }),
      },
      '/v1/export': {
        get: op('query', 'Stream every matching record as JSONL or CSV', 'read', {
          description: 'Constant memory for any size. Oldest first by default. Resumable: pass the cursor of the last row received (CSV: its `cursor` column; JSONL: encode [timestamp, id] as base64url JSON, or take nextCursor from the final {"kind":"export_end"} line).',
          parameters: [...queryParams(ExportParamsSchema.shape), ...queryParams(AuditQuerySchema.shape, ['limit', 'offset'])],
          responses: responses(
            { description: 'The export', content: { 'application/x-ndjson': { schema: { type: 'string' } }, 'text/csv': { schema: { type: 'string' } } } },
            '200',
            ...readErrors,
          ),
        }),
      },
      '/v1/checkpoints': {
        get: op('integrity', "The org's signed checkpoints, oldest first, and the public keys that verify them", 'read', {
          responses: responses({ description: 'Checkpoints (docs/integrity.md)', content: json({ type: 'object', properties: { orgId: { type: 'string' }, publicKeys: { type: 'array' }, items: { type: 'array' } } }) }, '200', 'INTEGRITY_UNAVAILABLE', ...readErrors),
        }),
      },
      '/v1/chain': {
        get: op('integrity', "The org's chain for an independent verifier: a header, every signed checkpoint, then every record with its seq and stored hash", 'read', {
          description: 'NDJSON from one snapshot: {"type":"auditrail.chain-export.v1","orgId","head","records"}, {"type":"checkpoint","checkpoint"} lines, {"type":"record","seq","hash","record"} lines in seq order (docs/integrity.md).',
          responses: responses({ description: 'The export', content: { 'application/x-ndjson': { schema: { type: 'string' } } } }, '200', 'INTEGRITY_UNAVAILABLE', ...readErrors),
        }),
      },
      '/v1/proofs/{id}': {
        get: op('integrity', 'An inclusion proof of one record: its canonical entry, the hash before it and the RFC 6962 audit path to a signed checkpoint', 'read', {
          parameters: [idParam('recordId')],
          responses: responses({ description: 'The proof (docs/integrity.md, "Inclusion proofs")', content: json({ type: 'object' }) }, '200', 'NOT_FOUND', 'PROOF_UNAVAILABLE', 'INTEGRITY_UNAVAILABLE'),
        }),
      },
      '/v1/verify': {
        get: op('integrity', "Recompute the org's hash chain and check it against its checkpoints and the external log", 'read', {
          description: 'JSON report (ok, records, head, checkpoints, uncheckpointed, findings). With Accept: application/x-ndjson or ?progress=true: {"type":"progress","done","total"} lines, then {"type":"result",...report}.',
          responses: responses(
            { description: 'The verify report (200 whether or not findings were found)', content: { ...json({ type: 'object' }), 'application/x-ndjson': { schema: { type: 'string' } } } },
            '200',
            'INTEGRITY_UNAVAILABLE',
            ...readErrors,
          ),
        }),
      },
      '/v1/keys': {
        get: op('keys', "List the keys of the caller's org", 'admin', { responses: responses({ description: 'Keys (never their secrets)', content: json({ type: 'object', properties: { items: { type: 'array', items: ref('ApiKey') } } }) }, '200', 'SCOPE_MISSING') }),
        post: op('keys', "Create a key in the caller's org", 'admin', {
          requestBody: { required: true, content: json(ref('CreateKeyRequest')) },
          responses: responses({ description: 'The key, with its token (shown once)', content: json(ref('CreatedApiKey')) }, '201', 'REQUEST_INVALID', 'SCOPE_MISSING'),
        }),
      },
      '/v1/keys/{id}': { delete: op('keys', 'Revoke a key', 'admin', { parameters: [idParam('keyId')], responses: responses({ description: 'Revoked', content: json({ type: 'object' }) }, '200', 'NOT_FOUND', 'SCOPE_MISSING') }) },
      '/v1/whoami': { get: op('keys', 'The org and scopes of the calling key', null, { security: [{ bearer: [] }, { apiKey: [] }], responses: responses({ description: 'The caller', content: json(ref('Whoami')) }) }) },
      '/healthz': { get: op('operations', 'Liveness', null, { responses: { 200: { description: 'Alive' } } }) },
      '/readyz': { get: op('operations', 'Readiness: storage reachable, queue not full', null, { responses: { 200: { description: 'Ready', content: json(ref('Readiness')) }, 503: { description: 'Not ready', content: json(ref('Readiness')) } } }) },
      '/metrics': { get: op('operations', 'Prometheus metrics', null, { responses: { 200: { description: 'Prometheus text format' } } }) },
      '/openapi.json': { get: op('operations', 'This document', null, { responses: { 200: { description: 'OpenAPI 3.1' } } }) },
      '/docs': { get: op('operations', 'API reference page', null, { responses: { 200: { description: 'HTML' } } }) },
    },
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'Authorization: Bearer atr_…' }, apiKey: { type: 'apiKey', in: 'header', name: 'x-api-key' } },
      schemas: components(),
    },
  };
}
