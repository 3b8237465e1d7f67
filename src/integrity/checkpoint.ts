import { z } from 'zod';
import { toIssues } from '../core/record.js';
import { canonicalJson } from './canonical-json.js';
import { fromHex, toHex } from './hex.js';
import type { KeyCheck, PublicKeyring, SigningKeyring } from './keyring.js';

export const CHECKPOINT_TYPE = 'auditrail.checkpoint.v1';

/**
 * `periodic`: the records fromSeq..toSeq written since the previous checkpoint (an empty period,
 * fromSeq = toSeq + 1, is an idle checkpoint: the head is unchanged, re-signed with a new time).
 * `seal`: written by retention before it drops records fromSeq..toSeq; verify starts after it.
 */
export type CheckpointKind = 'periodic' | 'seal';

const Hash = z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lowercase hex digits');
const Seq = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

export const CheckpointSchema = z
  .object({
    type: z.literal(CHECKPOINT_TYPE),
    orgId: z.string().min(1),
    kind: z.enum(['periodic', 'seal']),
    fromSeq: Seq.min(1),
    toSeq: Seq,
    /** Hash of record toSeq (the genesis hash when toSeq is 0). */
    headHash: Hash,
    /** RFC 6962 root over the record hashes fromSeq..toSeq. */
    merkleRoot: Hash,
    /** When it was cut: UTC ISO 8601 with milliseconds. */
    time: z.iso.datetime({ offset: false }),
    keyId: z.string().regex(/^[0-9a-f]{16}$/, 'must be 16 lowercase hex digits'),
    /** Ed25519 over the UTF-8 JCS text of every other member. */
    signature: z.string().regex(/^[0-9a-f]{128}$/, 'must be 128 lowercase hex digits'),
  })
  .strict()
  .refine((c) => c.toSeq >= c.fromSeq - 1, { message: 'toSeq must be >= fromSeq - 1 (an empty period has toSeq = fromSeq - 1)', path: ['toSeq'] });

export type Checkpoint = z.output<typeof CheckpointSchema>;
export type CheckpointBody = Omit<Checkpoint, 'signature'>;

export type CheckpointParse = { ok: true; checkpoint: Checkpoint } | { ok: false; message: string };

/** Validates a checkpoint read from the database or the external log; never throws. */
export function parseCheckpoint(value: unknown): CheckpointParse {
  const r = CheckpointSchema.safeParse(value);
  if (r.success) return { ok: true, checkpoint: r.data };
  return { ok: false, message: toIssues(r.error).map((i) => `${i.path}: ${i.message}`).join('; ') };
}

/** The bytes a checkpoint's signature covers: UTF-8 of the JCS text of the body (every member but `signature`). */
export function checkpointMessage(body: CheckpointBody | Checkpoint): Buffer {
  const { signature: _omit, ...rest } = body as Checkpoint;
  return Buffer.from(canonicalJson(rest), 'utf8');
}

export interface UnsignedCheckpoint {
  readonly orgId: string;
  readonly kind: CheckpointKind;
  readonly fromSeq: number;
  readonly toSeq: number;
  readonly headHash: Uint8Array;
  readonly merkleRoot: Uint8Array;
  readonly timeMs: number;
}

/** Signs with the keyring's active key. */
export function signCheckpoint(c: UnsignedCheckpoint, keyring: SigningKeyring): Checkpoint {
  const body: CheckpointBody = {
    type: CHECKPOINT_TYPE,
    orgId: c.orgId,
    kind: c.kind,
    fromSeq: c.fromSeq,
    toSeq: c.toSeq,
    headHash: toHex(c.headHash),
    merkleRoot: toHex(c.merkleRoot),
    time: new Date(c.timeMs).toISOString(),
    keyId: keyring.activeKeyId,
  };
  const { signature } = keyring.sign(checkpointMessage(body));
  return Object.freeze({ ...body, signature: toHex(signature) });
}

export function checkCheckpointSignature(c: Checkpoint, keys: PublicKeyring): KeyCheck {
  return keys.verify(c.keyId, checkpointMessage(c), fromHex(c.signature) ?? Buffer.alloc(0));
}

/** Number of records a checkpoint covers. */
export function checkpointSize(c: Pick<Checkpoint, 'fromSeq' | 'toSeq'>): number {
  return c.toSeq - c.fromSeq + 1;
}
