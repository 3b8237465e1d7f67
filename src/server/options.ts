import type { z } from 'zod';
import { AuditrailError } from '../core/errors.js';
import { toIssues } from '../core/record.js';

/** Validates, defaults and freezes options; throws AUDITRAIL_ERR_OPTIONS_INVALID listing every problem. */
export function parseOptions<S extends z.ZodType>(schema: S, input: unknown, what: string): Readonly<z.output<S>> {
  const r = schema.safeParse(input ?? {});
  if (!r.success) {
    const issues = toIssues(r.error);
    throw new AuditrailError('OPTIONS_INVALID', `${what}: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`, { issues });
  }
  return Object.freeze(r.data);
}
