import { ApiError, kindOfStatus } from './api-error.js';
import type {
  AnalyticsQuery,
  AnalyticsRow,
  AuditEvent,
  EventQuery,
  Interaction,
  InteractionQuery,
  JsonObject,
  Page,
  SessionQuery,
  SessionSummary,
} from './types.js';

export interface ApiClientOptions {
  /** Origin of the auditrail server; '' means the page's own origin (the server serves the dashboard). */
  readonly baseUrl?: string;
  readonly apiKey: string;
  readonly timeoutMs?: number;
}

/** The dashboard's whole view of the server: read-only calls under /v1. */
export interface ApiClient {
  readonly baseUrl: string;
  interactions(q: InteractionQuery, signal?: AbortSignal): Promise<Page<Interaction>>;
  /** The interaction; the server adds its action events (approvals, rejections) as `events`. */
  interaction(id: string, signal?: AbortSignal): Promise<Interaction & { events?: AuditEvent[] }>;
  events(q: EventQuery, signal?: AbortSignal): Promise<Page<AuditEvent>>;
  sessions(q: SessionQuery, signal?: AbortSignal): Promise<Page<SessionSummary>>;
  analytics(q: AnalyticsQuery, signal?: AbortSignal): Promise<AnalyticsRow[]>;
  /** Runs verify; an NDJSON answer reports progress line by line, its last line is the result. */
  verify(onProgress?: (p: JsonObject) => void, signal?: AbortSignal): Promise<JsonObject>;
  checkpoints(signal?: AbortSignal): Promise<unknown>;
}

type Params = object;

/** Verify walks the whole chain: it may take minutes on a large org. */
const VERIFY_TIMEOUT_MS = 30 * 60_000;

export function createApiClient(options: ApiClientOptions): ApiClient {
  const baseUrl = (options.baseUrl ?? '').replace(/\/+$/, '');
  const timeoutMs = options.timeoutMs ?? 30_000;

  async function send(path: string, params: Params | undefined, signal: AbortSignal | undefined, limitMs: number): Promise<Response> {
    const url = `${baseUrl}${path}${toSearch(params)}`;
    const timeout = AbortSignal.timeout(limitMs);
    const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
    let res: Response;
    try {
      res = await fetch(url, { headers: { authorization: `Bearer ${options.apiKey}`, accept: 'application/json' }, signal: combined });
    } catch (err) {
      if (signal?.aborted) throw err;
      if (timeout.aborted) throw new ApiError('timeout', `The server did not answer within ${limitMs / 1000} s.`);
      throw new ApiError('unreachable', `Cannot reach the auditrail server at ${baseUrl || window.location.origin}.`);
    }
    if (!res.ok) throw await toApiError(res);
    return res;
  }

  async function get<T>(path: string, params: Params | undefined, signal: AbortSignal | undefined): Promise<T> {
    const res = await send(path, params, signal, timeoutMs);
    return (await res.json()) as T;
  }

  async function verify(onProgress: ((p: JsonObject) => void) | undefined, signal: AbortSignal | undefined): Promise<JsonObject> {
    const res = await send('/v1/verify', { progress: true }, signal, VERIFY_TIMEOUT_MS);
    if (!(res.headers.get('content-type') ?? '').includes('ndjson') || !res.body) return (await res.json()) as JsonObject;
    let last: JsonObject = {};
    let buffered = '';
    const decoder = new TextDecoder();
    const reader = res.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      buffered += decoder.decode(value, { stream: !done });
      const lines = buffered.split('\n');
      buffered = done ? '' : (lines.pop() ?? '');
      for (const line of lines) {
        if (!line.trim()) continue;
        last = JSON.parse(line) as JsonObject;
        onProgress?.(last);
      }
      if (done) return last;
    }
  }

  return {
    baseUrl,
    interactions: (q, signal) => get('/v1/interactions', q, signal),
    interaction: (id, signal) => get(`/v1/interactions/${encodeURIComponent(id)}`, undefined, signal),
    events: (q, signal) => get('/v1/events', q, signal),
    sessions: (q, signal) => get('/v1/sessions', q, signal),
    analytics: async (q, signal) => unwrapRows(await get<unknown>('/v1/analytics', q, signal)),
    verify: (onProgress, signal) => verify(onProgress, signal),
    checkpoints: (signal) => get('/v1/checkpoints', undefined, signal),
  };
}

function toSearch(params: Params | undefined): string {
  if (!params) return '';
  const sp = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined || v === null || v === '') continue;
    sp.set(k, String(v));
  }
  const s = sp.toString();
  return s ? `?${s}` : '';
}

/** Analytics may come as a bare array or wrapped ({ rows } / { items }). */
function unwrapRows(body: unknown): AnalyticsRow[] {
  if (Array.isArray(body)) return body as AnalyticsRow[];
  if (body && typeof body === 'object') {
    const o = body as { rows?: unknown; items?: unknown };
    if (Array.isArray(o.rows)) return o.rows as AnalyticsRow[];
    if (Array.isArray(o.items)) return o.items as AnalyticsRow[];
  }
  return [];
}

async function toApiError(res: Response): Promise<ApiError> {
  let code: string | null = null;
  let hint: string | null = null;
  let detail = '';
  try {
    const body = (await res.json()) as { code?: unknown; title?: unknown; detail?: unknown; message?: unknown; hint?: unknown };
    if (typeof body.code === 'string') code = body.code;
    if (typeof body.hint === 'string') hint = body.hint;
    const text = body.detail ?? body.message ?? body.title;
    if (typeof text === 'string') detail = text;
  } catch {
    // not JSON: the status says enough
  }
  const kind = kindOfStatus(res.status);
  return new ApiError(kind, detail || `${res.status} ${res.statusText}`.trim(), res.status, code, hint);
}
