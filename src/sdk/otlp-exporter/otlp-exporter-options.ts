import { z } from 'zod';
import { AuditrailError } from '../../core/index.js';
import { toIssues } from '../../core/record.js';

const Ms = (min: number, max: number) => z.number().int().min(min).max(max);

const RetrySchema = z
  .object({
    /** Attempts after the first one, within timeoutMs. */
    maxRetries: z.number().int().min(0).max(100).default(4),
    initialBackoffMs: Ms(1, 600_000).default(1_000),
    maxBackoffMs: Ms(1, 600_000).default(5_000),
    multiplier: z.number().min(1).max(10).default(1.5),
  })
  .strict();

const OtlpExporterOptionsSchema = z
  .object({
    /**
     * The collector's traces endpoint, e.g. http://collector:4318/v1/traces (as
     * OTEL_EXPORTER_OTLP_TRACES_ENDPOINT). A URL without a path gets /v1/traces appended (as
     * OTEL_EXPORTER_OTLP_ENDPOINT).
     */
    url: z
      .string()
      .refine((v) => URL.canParse(v) && /^https?:$/.test(new URL(v).protocol), { message: 'must be an http:// or https:// URL, e.g. http://127.0.0.1:4318/v1/traces' }),
    /** Request headers, e.g. { authorization: 'Bearer atr_...' } or a vendor's API key header. */
    headers: z.record(z.string(), z.string()).default({}),
    /** Deadline of one export() call, retries included. */
    timeoutMs: Ms(1, 600_000).default(10_000),
    /** Compress bodies of at least gzipMinBytes with gzip. */
    gzip: z.boolean().default(true),
    gzipMinBytes: z.number().int().min(0).max(1_073_741_824).default(1_024),
    /** Retries of 429/502/503/504 and network errors within timeoutMs (Retry-After honoured); `false` for one attempt. */
    retry: z.union([z.literal(false), RetrySchema]).prefault({}),
    /** Resource attributes of every span; service.name defaults to "auditrail". */
    resource: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).default({}),
  })
  .strict();

export type OtlpExporterOptions = z.input<typeof OtlpExporterOptionsSchema>;
export type ResolvedOtlpExporterOptions = Readonly<z.output<typeof OtlpExporterOptionsSchema>>;

/** Validates once, applies defaults, freezes. Throws AUDITRAIL_ERR_OPTIONS_INVALID listing every problem. */
export function parseOtlpExporterOptions(input: unknown): ResolvedOtlpExporterOptions {
  const r = OtlpExporterOptionsSchema.safeParse(input ?? {});
  if (!r.success) {
    const issues = toIssues(r.error);
    throw new AuditrailError('OPTIONS_INVALID', `otlp exporter: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`, { issues });
  }
  const o = r.data;
  const url = new URL(o.url);
  if (url.pathname === '' || url.pathname === '/') url.pathname = '/v1/traces';
  const retry = o.retry === false ? false : Object.freeze({ ...o.retry, maxBackoffMs: Math.max(o.retry.maxBackoffMs, o.retry.initialBackoffMs) });
  return Object.freeze({
    ...o,
    url: url.toString(),
    headers: Object.freeze({ ...o.headers }),
    resource: Object.freeze({ 'service.name': 'auditrail', ...o.resource }),
    retry,
  });
}
