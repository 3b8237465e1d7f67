import { z } from 'zod';
import { AuditrailError } from '../core/errors.js';
import { toIssues } from '../core/record.js';

/** When an org's writer cuts a checkpoint (docs/integrity.md, "Checkpoints"). */
export const CheckpointPolicySchema = z
  .object({
    /** Cut once this many records wait in the period (a period may exceed it by one batch). */
    everyRecords: z.number().int().min(1).default(1000),
    /** Cut once the oldest uncheckpointed record is this old. */
    everyMs: z.number().int().min(1).default(60_000),
    /** With nothing new, re-sign the unchanged head this often (a signed tree head: proves freshness). */
    idleEveryMs: z.number().int().min(1).default(900_000),
  })
  .strict();

export type CheckpointPolicyOptions = z.input<typeof CheckpointPolicySchema>;
export type CheckpointPolicy = Readonly<z.output<typeof CheckpointPolicySchema>>;

/** Validates once, defaults, freezes; throws AUDITRAIL_ERR_OPTIONS_INVALID listing every problem. */
export function createCheckpointPolicy(options: CheckpointPolicyOptions = {}): CheckpointPolicy {
  const r = CheckpointPolicySchema.safeParse(options);
  if (!r.success) {
    const issues = toIssues(r.error);
    throw new AuditrailError('OPTIONS_INVALID', issues.map((i) => `${i.path}: ${i.message}`).join('; '), { issues });
  }
  return Object.freeze(r.data);
}
