import { promisify } from 'node:util';
import { gzip as gzipCallback } from 'node:zlib';
import { AuditrailError, errorMessage, recordId, type AuditRecord, type Exporter, type ExportResult } from '../../core/index.js';
import { createFetchTransport } from './fetch-transport.js';
import { parseHttpExporterOptions, type HttpExporterOptions } from './http-exporter-options.js';
import type { HttpTransport, TransportRequest, TransportResult } from './http-transport.js';
import { rejectedFromAnswer } from './ingest-answer.js';
import { createRetryingTransport } from './retrying-transport.js';

const gzip = promisify(gzipCallback);

/**
 * Request-level refusals that one record's content can cause (docs/api.md): the body or batch is
 * too large, a string too long, nesting too deep, a forbidden key. The exporter splits such a
 * batch in halves until the culprit is alone, and reports only that record as rejected: one bad
 * record never sinks a batch, on the client side either.
 */
const SPLITTABLE = new Set(['AUDITRAIL_ERR_BODY_TOO_LARGE', 'AUDITRAIL_ERR_BATCH_TOO_LARGE', 'AUDITRAIL_ERR_RECORD_TOO_LARGE', 'AUDITRAIL_ERR_RECORD_TOO_DEEP', 'AUDITRAIL_ERR_BODY_FORBIDDEN_KEY']);

function splittable(r: Extract<TransportResult, { code: 'failure' }>): boolean {
  return r.problemCode === undefined ? r.status === 413 : SPLITTABLE.has(r.problemCode);
}

/**
 * Exports batches to an auditrail server: POST `${url}/v1/events` with a JSON array (gzip from
 * gzipMinBytes). Answers become export results (values, never exceptions):
 * - 2xx: `success`; records the server rejected one by one are listed in `rejected` (accepted
 *   and duplicate records are both stored);
 * - network errors, timeouts, 408/429/500/502/503/504/507: `retryable` (with Retry-After), after
 *   the retrying transport has used up its attempts within timeoutMs;
 * - any other status: `failure`, never retried (401/403 carry UNAUTHENTICATED / SCOPE_MISSING);
 * - a refusal caused by one record's content: the batch is split until that record is alone.
 */
export function createHttpExporter(options: HttpExporterOptions, transportOverride?: HttpTransport): Exporter {
  const o = parseHttpExporterOptions(options);
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'user-agent': 'auditrail-sdk',
    ...(o.apiKey ? { authorization: `Bearer ${o.apiKey}` } : {}),
    ...o.headers,
  };
  const plain = transportOverride ?? createFetchTransport({ endpoint: `${o.url}/v1/events`, headers });
  const transport = o.retry === false ? plain : createRetryingTransport(plain, o.retry);
  let shutDown = false;

  async function encode(records: readonly AuditRecord[]): Promise<TransportRequest> {
    const json = Buffer.from(JSON.stringify(records));
    if (!o.gzip || json.length < o.gzipMinBytes) return { body: json };
    return { body: await gzip(json), contentEncoding: 'gzip' };
  }

  async function send(records: readonly AuditRecord[], deadline: number): Promise<ExportResult> {
    const remainingMs = deadline - Date.now();
    if (remainingMs <= 0) return { code: 'retryable', error: new AuditrailError('SERVER_UNREACHABLE', `${o.url}: no answer within timeoutMs=${o.timeoutMs}`) };
    const r = await transport.send(await encode(records), remainingMs);
    if (r.code === 'success') return { code: 'success', rejected: rejectedFromAnswer(r.body, records) };
    if (r.code === 'retryable') return r;
    if (!splittable(r)) return { code: 'failure', error: r.error };
    if (records.length === 1) return { code: 'success', rejected: [{ id: recordId(records[0]!), code: r.problemCode ?? 'AUDITRAIL_ERR_RECORD_TOO_LARGE', message: r.error.message }] };
    const half = Math.ceil(records.length / 2);
    const first = await send(records.slice(0, half), deadline);
    if (first.code !== 'success') return first;
    const second = await send(records.slice(half), deadline);
    if (second.code !== 'success') return second;
    return { code: 'success', rejected: [...(first.rejected ?? []), ...(second.rejected ?? [])] };
  }

  return Object.freeze({
    name: `http:${o.url}`,
    async export(records: readonly AuditRecord[]): Promise<ExportResult> {
      if (shutDown) return { code: 'failure', error: new AuditrailError('EXPORT_FAILED', 'the http exporter is shut down') };
      if (records.length === 0) return { code: 'success' };
      try {
        return await send(records, Date.now() + o.timeoutMs);
      } catch (err) {
        // encode() threw: a record JSON cannot carry got past validation; nothing was sent
        return { code: 'failure', error: new AuditrailError('EXPORT_FAILED', `could not encode the batch: ${errorMessage(err)}`, { cause: err }) };
      }
    },
    shutdown(): Promise<void> {
      shutDown = true;
      return Promise.resolve();
    },
  });
}
