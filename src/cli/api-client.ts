import { AuditrailError, ERRORS, errorMessage, type ErrorIssue, type ErrorName } from '../core/errors.js';

export interface ApiClientOptions {
  /** Base URL of the server, e.g. http://127.0.0.1:7070. */
  readonly url: string;
  readonly key: string | undefined;
  readonly timeoutMs?: number;
}

export type QueryParams = Readonly<Record<string, string | number | boolean | readonly string[] | undefined>>;

/** The CLI's view of the server's HTTP API. Problems come back as AuditrailErrors with the server's code. */
export interface ApiClient {
  readonly url: string;
  get<T>(path: string, query?: QueryParams): Promise<T>;
  post<T>(path: string, body: unknown): Promise<T>;
  delete<T>(path: string): Promise<T>;
  /** A streaming GET; the caller reads response.body. */
  stream(path: string, query?: QueryParams, signal?: AbortSignal): Promise<Response>;
}

export function createApiClient(options: ApiClientOptions): ApiClient {
  const base = options.url.replace(/\/+$/, '');
  const headers = (): Record<string, string> => (options.key ? { authorization: `Bearer ${options.key}` } : {});

  async function send(method: string, path: string, query?: QueryParams, body?: unknown, signal?: AbortSignal, streaming = false): Promise<Response> {
    const target = `${base}${path}${queryString(query)}`;
    let res: Response;
    try {
      res = await fetch(target, {
        method,
        headers: { ...headers(), ...(body === undefined ? {} : { 'content-type': 'application/json' }), accept: 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        // a stream may run for hours: only the caller's signal ends it
        ...(streaming ? (signal ? { signal } : {}) : { signal: signal ?? AbortSignal.timeout(options.timeoutMs ?? 60_000) }),
      });
    } catch (err) {
      const cause = (err as { cause?: { code?: string } }).cause;
      throw new AuditrailError('SERVER_UNREACHABLE', `${base}: ${cause?.code ?? errorMessage(err)}`, { cause: err });
    }
    if (!res.ok) throw await problemError(res);
    return res;
  }

  return {
    url: base,
    async get<T>(path: string, query?: QueryParams) {
      return (await (await send('GET', path, query)).json()) as T;
    },
    async post<T>(path: string, body: unknown) {
      return (await (await send('POST', path, undefined, body)).json()) as T;
    },
    async delete<T>(path: string) {
      return (await (await send('DELETE', path)).json()) as T;
    },
    stream(path, query, signal) {
      return send('GET', path, query, undefined, signal, true);
    },
  };
}

function queryString(query: QueryParams | undefined): string {
  if (!query) return '';
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined) continue;
    if (Array.isArray(v)) p.set(k, v.join(','));
    else p.set(k, String(v));
  }
  const s = p.toString();
  return s ? `?${s}` : '';
}

const BY_CODE = new Map<string, ErrorName>(Object.entries(ERRORS).map(([name, s]) => [s.code, name as ErrorName]));

/** A problem+json answer as the AuditrailError the server raised (same code, detail, issues). */
async function problemError(res: Response): Promise<AuditrailError> {
  const text = await res.text().catch(() => '');
  let body: { code?: string; detail?: string; issues?: ErrorIssue[] } = {};
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    // not JSON: a proxy or another server answered
  }
  const name = body.code ? BY_CODE.get(body.code) : undefined;
  if (!name) return new AuditrailError('EXPORT_FAILED', `HTTP ${res.status} from ${res.url}: ${text.slice(0, 200)}`);
  const prefix = `${ERRORS[name].message}: `;
  const detail = body.detail?.startsWith(prefix) ? body.detail.slice(prefix.length) : body.detail;
  return new AuditrailError(name, detail === ERRORS[name].message ? undefined : detail, { issues: body.issues ?? [] });
}
