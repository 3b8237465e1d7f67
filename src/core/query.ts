import { z } from 'zod';
import { EventTypeSchema, IdSchema, TimestampSchema } from './audit-event.js';
import { AuditrailError } from './errors.js';
import { toIssues } from './record.js';
import { InteractionStatusSchema } from './interaction.js';

const csv = <T extends z.ZodType>(item: T) =>
  z.preprocess((v) => (typeof v === 'string' ? v.split(',').filter(Boolean) : v), z.array(item).min(1));
const bool = z.preprocess((v) => (v === 'true' ? true : v === 'false' ? false : v), z.boolean());
const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

/**
 * The query model: every filter of both seeds. Filters that do not apply to a record kind are
 * ignored for it (e.g. `model` for action events, `eventTypes` for interactions).
 * Time range: `from` inclusive, `to` exclusive. Pagination: keyset (`cursor`, preferred, stable
 * under concurrent writes) or `offset` (seed compatibility). Order is by (timestamp, id).
 */
export const AuditQuerySchema = z
  .object({
    orgId: IdSchema.optional(),
    userId: IdSchema.optional(),
    agentId: IdSchema.optional(),
    sessionId: IdSchema.optional(),
    interactionId: IdSchema.optional(),
    actionId: IdSchema.optional(),
    eventTypes: csv(EventTypeSchema).optional(),
    success: bool.optional(),
    actionName: IdSchema.optional(),
    from: TimestampSchema.optional(),
    to: TimestampSchema.optional(),
    model: IdSchema.optional(),
    status: InteractionStatusSchema.optional(),
    provider: IdSchema.optional(),
    cluster: IdSchema.optional(),
    /** Full-text search over questions and answers (interactions). */
    search: z.string().min(1).max(1000).optional(),
    limit: int(1, 1000).default(100),
    offset: int(0, 10_000_000).optional(),
    cursor: z.string().max(512).optional(),
    order: z.enum(['asc', 'desc']).default('desc'),
  })
  .strict()
  .refine((q) => !(q.cursor !== undefined && q.offset !== undefined), { message: 'use either cursor or offset, not both', path: ['cursor'] })
  .refine((q) => q.from === undefined || q.to === undefined || Date.parse(q.from) <= Date.parse(q.to), {
    message: 'from must not be after to',
    path: ['from'],
  });

export type AuditQuery = z.output<typeof AuditQuerySchema>;
export type AuditQueryInput = z.input<typeof AuditQuerySchema>;

/** Validates and defaults a query; throws AUDITRAIL_ERR_QUERY_INVALID listing every problem. */
export function parseQuery(input: unknown): AuditQuery {
  const r = AuditQuerySchema.safeParse(input ?? {});
  if (r.success) return r.data;
  const issues = toIssues(r.error);
  throw new AuditrailError('QUERY_INVALID', issues.map((i) => `${i.path}: ${i.message}`).join('; '), { issues });
}

/** A page of results. `nextCursor` is null on the last page. */
export interface Page<T> {
  readonly items: T[];
  readonly nextCursor: string | null;
}

/** Keyset position: the (timestamp, id) of the last item of a page. */
export interface CursorPosition {
  readonly t: string;
  readonly id: string;
}

export function encodeCursor(pos: CursorPosition): string {
  return base64url(JSON.stringify([pos.t, pos.id]));
}

export function decodeCursor(cursor: string): CursorPosition {
  try {
    const v: unknown = JSON.parse(fromBase64url(cursor));
    if (Array.isArray(v) && v.length === 2 && typeof v[0] === 'string' && typeof v[1] === 'string' && !Number.isNaN(Date.parse(v[0]))) {
      return { t: v[0], id: v[1] };
    }
  } catch {
    // fall through
  }
  throw new AuditrailError('CURSOR_INVALID', `cannot decode ${JSON.stringify(cursor.slice(0, 40))}`);
}

function base64url(s: string): string {
  const bytes = new TextEncoder().encode(s);
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64url(s: string): string {
  const bin = atob(s.replace(/-/g, '+').replace(/_/g, '/'));
  return new TextDecoder('utf-8', { fatal: true }).decode(Uint8Array.from(bin, (c) => c.charCodeAt(0)));
}
