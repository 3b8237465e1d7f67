import type { FastifyRequest } from 'fastify';
import { AuditrailError } from '../../core/errors.js';

/**
 * The query string as input for parseQuery/parseAnalyticsQuery: repeated parameters become lists
 * (or comma lists for the list filters), `omit` names route-specific parameters, and the org is
 * the key's: a query naming another org is refused.
 */
export function queryInput(request: FastifyRequest, omit: readonly string[] = []): Record<string, unknown> {
  const raw = (request.query ?? {}) as Record<string, string | string[] | undefined>;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(raw)) {
    if (omit.includes(k) || v === undefined) continue;
    out[k] = Array.isArray(v) ? (k === 'eventTypes' ? v.join(',') : v[v.length - 1]) : v;
  }
  const orgId = request.auth!.orgId;
  if (out.orgId !== undefined && out.orgId !== orgId) {
    throw new AuditrailError('ORG_MISMATCH', `the query names org ${JSON.stringify(out.orgId)} but the API key belongs to ${JSON.stringify(orgId)}`);
  }
  out.orgId = orgId;
  return out;
}

/** A route parameter as a string (fastify gives unknown). */
export function param(request: FastifyRequest, name: string): string {
  const v = (request.params as Record<string, unknown>)[name];
  return typeof v === 'string' ? v : '';
}

/** The caller's details for the access audit. */
export function accessDetails(request: FastifyRequest, filters: Record<string, unknown>) {
  return {
    method: request.method,
    path: request.routeOptions.url ?? request.url,
    filters,
    clientIp: request.ip,
    userAgent: request.headers['user-agent'],
    requestId: request.id,
  };
}
