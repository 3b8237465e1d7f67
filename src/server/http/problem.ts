import type { FastifyReply } from 'fastify';
import { AuditrailError, isAuditrailError, type ErrorName } from '../../core/errors.js';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json; charset=utf-8';

/** RFC 9457 problem details, with auditrail's stable code, hint and per-field issues. */
export interface Problem {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string;
  readonly code: string;
  readonly hint: string;
  readonly issues?: readonly { path: string; message: string }[];
  readonly instance?: string;
}

export function problemOf(err: AuditrailError, requestId?: string): Problem {
  return {
    type: `urn:auditrail:error:${err.code}`,
    title: err.message.split(':')[0] ?? err.message,
    status: err.status,
    detail: err.message,
    code: err.code,
    hint: err.hint,
    ...(err.issues.length > 0 ? { issues: err.issues } : {}),
    ...(requestId ? { instance: `urn:auditrail:request:${requestId}` } : {}),
  };
}

export function sendProblem(reply: FastifyReply, err: AuditrailError, headers: Record<string, string | number> = {}): FastifyReply {
  for (const [k, v] of Object.entries(headers)) void reply.header(k, v);
  return reply.code(err.status).type(PROBLEM_CONTENT_TYPE).send(problemOf(err, reply.request.id));
}

const FASTIFY_CODES: Readonly<Record<string, ErrorName>> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'BODY_TOO_LARGE',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'MEDIA_TYPE_UNSUPPORTED',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'BODY_MALFORMED',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'BODY_MALFORMED',
  FST_ERR_CTP_INVALID_JSON_BODY: 'BODY_MALFORMED',
  FST_ERR_VALIDATION: 'REQUEST_INVALID',
  FST_ERR_NOT_FOUND: 'NOT_FOUND',
};

/** Any error a handler or fastify raised, as a catalogue error (unknown ones become INTERNAL). */
export function toAuditrailError(err: unknown): AuditrailError {
  if (isAuditrailError(err)) return err;
  const e = err as { code?: string; statusCode?: number; message?: string };
  const message = typeof e.message === 'string' ? e.message : 'unexpected error';
  if (/prototype property|constructor property/i.test(message)) return new AuditrailError('BODY_FORBIDDEN_KEY', message);
  const mapped = e.code !== undefined ? FASTIFY_CODES[e.code] : undefined;
  if (mapped) return new AuditrailError(mapped, message);
  if (e.statusCode === 400 && err instanceof SyntaxError) return new AuditrailError('BODY_MALFORMED', message);
  if (typeof e.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500) return new AuditrailError('BODY_MALFORMED', message);
  return new AuditrailError('INTERNAL', undefined, { cause: err });
}
