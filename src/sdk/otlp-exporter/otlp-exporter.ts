import { promisify } from 'node:util';
import { gzip as gzipCallback } from 'node:zlib';
import { AuditrailError, errorMessage, type AuditRecord, type Exporter, type ExportResult } from '../../core/index.js';
import { createFetchTransport } from '../http/fetch-transport.js';
import type { HttpTransport, TransportRequest } from '../http/http-transport.js';
import { createRetryingTransport } from '../http/retrying-transport.js';
import { parseOtlpExporterOptions, type OtlpExporterOptions } from './otlp-exporter-options.js';
import { rejectedFromPartialSuccess, toOtlpTracesRequest } from './traces-request.js';

const gzip = promisify(gzipCallback);

/**
 * Exports auditrail records to an OpenTelemetry collector (or any OTLP/HTTP traces endpoint,
 * auditrail's own /v1/traces included) as OTLP/JSON spans that follow the GenAI conventions, with
 * auditrail.* attributes for what they do not cover (docs/otlp.md, "Export"). Use it as the
 * logger's exporter, or beside another with your own fan-out. Results are values, never
 * exceptions:
 * - 2xx: success; a partialSuccess is reported as rejected records (counted, ids unknown);
 * - network errors, timeouts, 408/429/500/502/503/504/507: retryable (after the retrying
 *   transport's attempts within timeoutMs; Retry-After honoured);
 * - 413: the batch is split in halves until it fits; a single record that does not is rejected;
 * - any other status: failure.
 */
export function createOtlpExporter(options: OtlpExporterOptions, transportOverride?: HttpTransport): Exporter {
  const o = parseOtlpExporterOptions(options);
  const headers = { 'content-type': 'application/json', 'user-agent': 'auditrail-sdk-otlp', ...o.headers };
  const plain = transportOverride ?? createFetchTransport({ endpoint: o.url, headers });
  const transport = o.retry === false ? plain : createRetryingTransport(plain, o.retry);
  let shutDown = false;

  async function encode(records: readonly AuditRecord[]): Promise<TransportRequest> {
    const json = Buffer.from(JSON.stringify(toOtlpTracesRequest(records, o.resource)));
    if (!o.gzip || json.length < o.gzipMinBytes) return { body: json };
    return { body: await gzip(json), contentEncoding: 'gzip' };
  }

  async function send(records: readonly AuditRecord[], deadline: number): Promise<ExportResult> {
    const remainingMs = deadline - Date.now();
    if (remainingMs <= 0) return { code: 'retryable', error: new AuditrailError('EXPORT_FAILED', `${o.url}: no answer within timeoutMs=${o.timeoutMs}`) };
    const r = await transport.send(await encode(records), remainingMs);
    if (r.code === 'success') return { code: 'success', rejected: rejectedFromPartialSuccess(r.body, records) };
    if (r.code === 'retryable') return r;
    if (r.status !== 413) return { code: 'failure', error: r.error };
    if (records.length === 1) return { code: 'success', rejected: [{ id: '(unknown)', code: 'AUDITRAIL_ERR_BODY_TOO_LARGE', message: r.error.message }] };
    const half = Math.ceil(records.length / 2);
    const first = await send(records.slice(0, half), deadline);
    if (first.code !== 'success') return first;
    const second = await send(records.slice(half), deadline);
    if (second.code !== 'success') return second;
    return { code: 'success', rejected: [...(first.rejected ?? []), ...(second.rejected ?? [])] };
  }

  return Object.freeze({
    name: `otlp:${o.url}`,
    async export(records: readonly AuditRecord[]): Promise<ExportResult> {
      if (shutDown) return { code: 'failure', error: new AuditrailError('EXPORT_FAILED', 'the otlp exporter is shut down') };
      if (records.length === 0) return { code: 'success' };
      try {
        return await send(records, Date.now() + o.timeoutMs);
      } catch (err) {
        return { code: 'failure', error: new AuditrailError('EXPORT_FAILED', `could not encode the batch as OTLP: ${errorMessage(err)}`, { cause: err }) };
      }
    },
    shutdown(): Promise<void> {
      shutDown = true;
      return Promise.resolve();
    },
  });
}
