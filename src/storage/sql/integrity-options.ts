import { z } from 'zod';
import { createCheckpointPolicy } from '../../integrity/checkpoint-policy.js';
import { createFileCheckpointSink } from '../../integrity/file-checkpoint-sink.js';
import { createSigningKeyring } from '../../integrity/keyring.js';
import type { SqlIntegritySettings } from './sql-storage.js';

/**
 * Checkpoint signing for the SQL storages (docs/integrity.md). Records are always chained; with
 * these options the writer also cuts signed checkpoints and appends them to an external log.
 */
export const IntegrityOptionsSchema = z
  .object({
    /** Ed25519 private keys as PKCS#8 PEM: the first signs, the others (older) still verify. */
    signingKeys: z.array(z.string().min(1)).min(1),
    /** Public keys (SPKI PEM or 64 hex digits) of retired keys whose private half is gone. */
    retiredPublicKeys: z.array(z.string().min(1)).default([]),
    /** The external checkpoint log (a file the database's superuser cannot rewrite). */
    checkpointLog: z.string().min(1).optional(),
    checkpointEveryRecords: z.number().int().min(1).max(10_000_000).default(1000),
    checkpointEveryMs: z.number().int().min(1).max(86_400_000).default(60_000),
    idleCheckpointEveryMs: z.number().int().min(1).max(604_800_000).default(900_000),
    /** How often due checkpoints are looked for with no new write; 0 = only on writes. */
    checkpointTimerMs: z.number().int().min(0).max(3_600_000).default(15_000),
  })
  .strict();

export type IntegrityOptions = z.input<typeof IntegrityOptionsSchema>;

/** Builds the keyring (SIGNING_KEY_INVALID for a bad key), the policy and the log's sink. */
export function integritySettings(o: z.output<typeof IntegrityOptionsSchema>): SqlIntegritySettings {
  const keyring = createSigningKeyring({ privateKeys: o.signingKeys, publicKeys: o.retiredPublicKeys });
  const policy = createCheckpointPolicy({ everyRecords: o.checkpointEveryRecords, everyMs: o.checkpointEveryMs, idleEveryMs: o.idleCheckpointEveryMs });
  return {
    signing: { keyring, policy },
    ...(o.checkpointLog ? { sink: createFileCheckpointSink({ path: o.checkpointLog }), externalLogPath: o.checkpointLog } : {}),
    checkpointTimerMs: o.checkpointTimerMs,
  };
}
