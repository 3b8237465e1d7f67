import { AuditrailError, ERRORS, errorMessage, type ErrorName } from '../../core/index.js';
import type { HttpTransport, TransportRequest, TransportResult } from './http-transport.js';
import { parseRetryAfter } from './retry-after.js';

export interface FetchTransportOptions {
  /** The full endpoint, e.g. http://127.0.0.1:7070/v1/events. */
  readonly endpoint: string;
  /** Sent with every request (authorization, content-type, user-agent, the caller's own). */
  readonly headers: Readonly<Record<string, string>>;
}

/**
 * Statuses worth sending the same request again for: timeout, rate limit, and the server or a
 * proxy being unavailable (OpenTelemetry's list: 429, 502, 503, 504; plus 408). 500 and 507 too:
 * auditrail answers 500 only for unexpected failures and documents that resending is safe (ids
 * are idempotency keys), and 507 is a full disk that can be freed. Every other status is final.
 */
const RETRYABLE_STATUSES = new Set([408, 429, 500, 502, 503, 504, 507]);

export function isRetryableStatus(status: number): boolean {
  return RETRYABLE_STATUSES.has(status);
}

/**
 * One POST with Node's global fetch (undici) per send(): no retries here (see retrying-transport).
 * Network errors and timeouts are retryable: the request may or may not have reached the server,
 * and ids make sending it again safe.
 */
export function createFetchTransport(options: FetchTransportOptions): HttpTransport {
  return {
    async send(request: TransportRequest, timeoutMs: number): Promise<TransportResult> {
      const headers: Record<string, string> = { ...options.headers };
      if (request.contentEncoding) headers['content-encoding'] = request.contentEncoding;
      let response: Response;
      let body: string;
      try {
        response = await fetch(options.endpoint, { method: 'POST', headers, body: request.body, signal: AbortSignal.timeout(Math.max(1, timeoutMs)) });
        body = await response.text();
      } catch (err) {
        return { code: 'retryable', error: networkError(options.endpoint, err, timeoutMs) };
      }
      const status = response.status;
      if (status >= 200 && status < 300) return { code: 'success', status, body };
      const problem = readProblem(body);
      const error = httpError(status, problem);
      if (isRetryableStatus(status)) {
        const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'));
        return { code: 'retryable', status, error, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) };
      }
      return { code: 'failure', status, error, ...(problem.code ? { problemCode: problem.code } : {}) };
    },
  };
}

interface Problem {
  readonly code?: string;
  readonly detail?: string;
}

/** The server's problem+json answer, when the body is one (a proxy may answer with HTML). */
function readProblem(body: string): Problem {
  try {
    const v = JSON.parse(body) as unknown;
    if (typeof v !== 'object' || v === null) return {};
    const { code, detail } = v as { code?: unknown; detail?: unknown };
    return { ...(typeof code === 'string' ? { code } : {}), ...(typeof detail === 'string' ? { detail } : {}) };
  } catch {
    return {};
  }
}

const NAME_BY_CODE = new Map<string, ErrorName>((Object.keys(ERRORS) as ErrorName[]).map((name) => [ERRORS[name].code, name]));

/** The server's own catalogue error when it named one, else EXPORT_FAILED with the status. */
function httpError(status: number, problem: Problem): AuditrailError {
  const name = problem.code === undefined ? undefined : NAME_BY_CODE.get(problem.code);
  const detail = `HTTP ${status}${problem.detail ? `: ${problem.detail}` : ''}`;
  return name === undefined ? new AuditrailError('EXPORT_FAILED', detail) : new AuditrailError(name, detail);
}

function networkError(endpoint: string, err: unknown, timeoutMs: number): AuditrailError {
  const e = err as { name?: string; cause?: { code?: string; message?: string } } | undefined;
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError') return new AuditrailError('SERVER_UNREACHABLE', `${endpoint}: no answer within ${timeoutMs} ms`, { cause: err });
  const why = e?.cause?.code ?? e?.cause?.message ?? errorMessage(err);
  return new AuditrailError('SERVER_UNREACHABLE', `${endpoint}: ${why}`, { cause: err });
}
