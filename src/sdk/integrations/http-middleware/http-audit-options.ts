import { z } from 'zod';
import { LIMITS } from '../../../core/index.js';
import type { AuditLogger } from '../../logger.js';
import { isAuditLogger, LOGGER_MESSAGE, parseOptions } from '../shared/parse-options.js';
import { isRoutePattern, type RoutePattern } from './route-matcher.js';

/** What the middleware knows about a request, for `identify`. */
export interface HttpRequestInfo {
  readonly method: string;
  readonly path: string;
  readonly sessionId: string;
  readonly clientIp: string | undefined;
  readonly userAgent: string | undefined;
  header(name: string): string | undefined;
}

/** Who is asking, when the application knows (its own auth): filled into the interaction. */
export interface HttpIdentity {
  userId?: string;
  agentId?: string;
  metadata?: Record<string, unknown>;
}

const Text = z.string().min(1).max(LIMITS.maxIdLength);
const CookieName = z.string().regex(/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/, { message: 'must be a cookie name token (letters, digits, !#$%&\'*+-.^_`|~)' });

const Schema = z
  .object({
    logger: z.custom<AuditLogger>(isAuditLogger, { message: LOGGER_MESSAGE }),
    /** Routes to audit; none by default. Exact paths, '/x/:id' segments, '/x/*' prefixes or RegExps. */
    routes: z.array(z.custom<RoutePattern>(isRoutePattern, { message: "must be a path starting with '/' or a RegExp" })).default([]),
    /** Only these methods (upper case); all when absent. */
    methods: z.array(z.string().min(1).transform((m) => m.toUpperCase())).optional(),
    cookie: z
      .object({
        name: CookieName.default('auditrail_session'),
        secure: z.boolean().default(false),
        sameSite: z.enum(['Lax', 'Strict', 'None']).default('Lax'),
        path: z.string().startsWith('/').default('/'),
        domain: z.string().min(1).optional(),
        maxAgeSeconds: z.number().int().min(1).max(400 * 86_400).optional(),
      })
      .strict()
      .refine((c) => c.sameSite !== 'None' || c.secure, { message: 'SameSite=None needs secure: true (browsers refuse it otherwise)', path: ['sameSite'] })
      .prefault({}),
    /** false (default): the socket address; true: every proxy trusted; n: the n nearest proxies. */
    trustProxy: z.union([z.boolean(), z.number().int().min(0).max(32)]).default(false),
    /** Body field whose string value is the question when the handler sets none; false for none. */
    questionField: z.union([z.literal(false), Text]).default('question'),
    /** Values for the interaction when nobody sets them. */
    defaults: z
      .object({ model: Text.default('unknown'), provider: Text.optional(), baseUrl: z.string().min(1).max(4096).optional(), cluster: Text.optional(), agentId: Text.optional() })
      .strict()
      .prefault({}),
    /** Who is asking (your auth), called once per audited request. */
    identify: z.custom<(request: HttpRequestInfo) => HttpIdentity | undefined>((v) => typeof v === 'function', { message: 'must be a function (request) => { userId?, agentId?, metadata? }' }).optional(),
  })
  .strict();

export type HttpAuditOptions = z.input<typeof Schema>;
export type ResolvedHttpAuditOptions = Readonly<z.output<typeof Schema>>;

export function parseHttpAuditOptions(input: unknown, label: string): ResolvedHttpAuditOptions {
  return parseOptions(Schema, input, label);
}
