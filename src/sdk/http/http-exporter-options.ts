import { z } from 'zod';
import { AuditrailError } from '../../core/index.js';
import { toIssues } from '../../core/record.js';

const Ms = (min: number, max: number) => z.number().int().min(min).max(max);

const HttpRetrySchema = z
  .object({
    /** Attempts after the first one, within timeoutMs. */
    maxRetries: z.number().int().min(0).max(100).default(4),
    initialBackoffMs: Ms(1, 600_000).default(1_000),
    maxBackoffMs: Ms(1, 600_000).default(5_000),
    multiplier: z.number().min(1).max(10).default(1.5),
  })
  .strict();

const HttpExporterOptionsSchema = z
  .object({
    /** The server's base URL; batches go to `${url}/v1/events`. */
    url: z
      .string()
      .refine((v) => URL.canParse(v) && /^https?:$/.test(new URL(v).protocol), { message: 'must be an http:// or https:// URL, e.g. http://127.0.0.1:7070' }),
    /** An API key with the `ingest` scope (sent as `Authorization: Bearer`). */
    apiKey: z.string().min(1).optional(),
    /** Deadline of one export() call, retries included; each attempt gets what is left. */
    timeoutMs: Ms(1, 600_000).default(10_000),
    /** Extra request headers (a proxy's, a tracing header). */
    headers: z.record(z.string(), z.string()).default({}),
    /** Compress bodies of at least gzipMinBytes with gzip. */
    gzip: z.boolean().default(true),
    gzipMinBytes: z.number().int().min(0).max(1_073_741_824).default(1_024),
    /** Retries of retryable answers within timeoutMs; `false` for a single attempt. */
    retry: z.union([z.literal(false), HttpRetrySchema]).prefault({}),
  })
  .strict();

export type HttpExporterOptions = z.input<typeof HttpExporterOptionsSchema>;
export type ResolvedHttpExporterOptions = Readonly<z.output<typeof HttpExporterOptionsSchema>>;

/** Validates once, applies defaults, freezes. Throws AUDITRAIL_ERR_OPTIONS_INVALID listing every problem. */
export function parseHttpExporterOptions(input: unknown): ResolvedHttpExporterOptions {
  const r = HttpExporterOptionsSchema.safeParse(input ?? {});
  if (!r.success) {
    const issues = toIssues(r.error);
    throw new AuditrailError('OPTIONS_INVALID', `http exporter: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`, { issues });
  }
  const o = r.data;
  const retry = o.retry === false ? false : Object.freeze({ ...o.retry, maxBackoffMs: Math.max(o.retry.maxBackoffMs, o.retry.initialBackoffMs) });
  return Object.freeze({ ...o, url: o.url.replace(/\/+$/, ''), headers: Object.freeze({ ...o.headers }), retry });
}
