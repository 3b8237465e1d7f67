import type { z } from 'zod';
import { AuditrailError } from '../../../core/index.js';
import { toIssues } from '../../../core/record.js';
import type { AuditLogger } from '../../logger.js';

/** Validates an integration's options once; throws AUDITRAIL_ERR_OPTIONS_INVALID listing every problem. */
export function parseOptions<S extends z.ZodType>(schema: S, input: unknown, label: string): Readonly<z.output<S>> {
  const r = schema.safeParse(input ?? {});
  if (!r.success) {
    const issues = toIssues(r.error);
    throw new AuditrailError('OPTIONS_INVALID', `${label}: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`, { issues });
  }
  return Object.freeze(r.data);
}

/** Duck-typed check for an AuditLogger (zod custom validator). */
export const isAuditLogger = (v: unknown): v is AuditLogger =>
  typeof v === 'object' && v !== null && typeof (v as AuditLogger).interaction === 'function' && typeof (v as AuditLogger).withContext === 'function';

export const LOGGER_MESSAGE = 'must be an AuditLogger (createAuditLogger())';
