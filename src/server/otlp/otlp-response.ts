import type { FastifyReply } from 'fastify';
import type { AuditrailError } from '../../core/errors.js';
import type { OtlpEncoding } from './decode-request.js';
import { encodeProtobuf } from './otlp-proto.js';

export type OtlpSignal = 'traces' | 'logs';

export interface PartialSuccess {
  /** Spans (or log records) refused for good; 0 with a message is a warning. */
  readonly rejected: number;
  readonly errorMessage: string;
}

const RESPONSE = { traces: 'ExportTraceServiceResponse', logs: 'ExportLogsServiceResponse' } as const;
const REJECTED_FIELD = { traces: 'rejectedSpans', logs: 'rejectedLogRecords' } as const;

/**
 * 200 with an Export*ServiceResponse in the request's encoding (OTLP/HTTP: "the response body
 * MUST be the same Content-Type as the request"): `partialSuccess` only when something was
 * rejected, with the count (int64: a decimal string in JSON) and why.
 */
export function sendExportResponse(reply: FastifyReply, signal: OtlpSignal, encoding: OtlpEncoding, partial: PartialSuccess | undefined): FastifyReply {
  const body = partial === undefined ? {} : { partialSuccess: { [REJECTED_FIELD[signal]]: String(partial.rejected), errorMessage: partial.errorMessage } };
  if (encoding === 'protobuf') return reply.code(200).type('application/x-protobuf').send(Buffer.from(encodeProtobuf(RESPONSE[signal], body)));
  return reply.code(200).type('application/json').send(body);
}

/** gRPC status codes for the google.rpc.Status of an error answer. */
function grpcCode(status: number): number {
  if (status === 400 || status === 413 || status === 415 || status === 422) return 3; // INVALID_ARGUMENT
  if (status === 401) return 16; // UNAUTHENTICATED
  if (status === 403) return 7; // PERMISSION_DENIED
  if (status === 404) return 5; // NOT_FOUND
  if (status === 429 || status === 507) return 8; // RESOURCE_EXHAUSTED
  if (status === 503) return 14; // UNAVAILABLE
  return 13; // INTERNAL
}

/**
 * An error answer as OTLP/HTTP asks: the HTTP status says whether to retry (400-class: never;
 * 429 and 503 with Retry-After: later), the body is a google.rpc.Status in the request's
 * encoding whose message carries auditrail's error code and text.
 */
export function sendOtlpError(reply: FastifyReply, err: AuditrailError, encoding: OtlpEncoding, headers: Record<string, string | number> = {}): FastifyReply {
  for (const [k, v] of Object.entries(headers)) void reply.header(k, v);
  const status = { code: grpcCode(err.status), message: `${err.code}: ${err.message}` };
  if (encoding === 'protobuf') return reply.code(err.status).type('application/x-protobuf').send(Buffer.from(encodeProtobuf('RpcStatus', status)));
  return reply.code(err.status).type('application/json').send(status);
}
