import { z } from 'zod';
import { AuditrailError } from '../core/errors.js';
import { toIssues } from '../core/record.js';
import { DEFAULT_ENCRYPTED_FIELDS, ENCRYPTABLE_FIELDS } from './field-paths.js';
import type { KeyStore } from './key-store.js';
import type { MasterKey } from './master-key.js';

const isMasterKey = (v: unknown): v is MasterKey =>
  typeof v === 'object' && v !== null && typeof (v as MasterKey).id === 'string' && typeof (v as MasterKey).wrap === 'function' && typeof (v as MasterKey).unwrap === 'function';

const isKeyStore = (v: unknown): v is KeyStore =>
  typeof v === 'object' && v !== null && (['list', 'insert', 'rewrap', 'destroy', 'page'] as const).every((m) => typeof (v as KeyStore)[m] === 'function');

const MasterKeySchema = z.custom<MasterKey>(isMasterKey, { message: 'must be a MasterKey (parseMasterKey(), readMasterKeyFile() or createMasterKey())' });

export const FieldEncryptionOptionsSchema = z
  .object({
    /**
     * Wraps new data keys and unwraps existing ones. Absent: encryption is off for new records,
     * and reading an encrypted field fails with ENCRYPTION_KEY_UNAVAILABLE (never ciphertext
     * passed off as text).
     */
    masterKey: MasterKeySchema.optional(),
    /** Older master keys, used only to unwrap data keys not yet re-wrapped (master key rotation). */
    previousMasterKeys: z.array(MasterKeySchema).default([]),
    keyStore: z.custom<KeyStore>(isKeyStore, { message: 'must be a KeyStore (createMemoryKeyStore() or createSqlKeyStore(db))' }),
    /** Which fields new records have encrypted. Reads decrypt every encrypted field whatever this says. */
    fields: z
      .array(z.enum(ENCRYPTABLE_FIELDS))
      .default([...DEFAULT_ENCRYPTED_FIELDS])
      .refine((f) => new Set(f).size === f.length, { message: 'lists a field twice' }),
    /** The orgs whose new records are encrypted: 'all' (default) or a list of org ids. */
    orgs: z.union([z.literal('all'), z.array(z.string().min(1))]).default('all'),
    /** How long unwrapped data keys are kept in memory; a rotation elsewhere is seen within it. */
    keyCacheTtlMs: z.number().int().min(0).default(60_000),
    /** The clock, for tests. */
    now: z.custom<() => number>((v) => typeof v === 'function').optional(),
  })
  .strict()
  .superRefine((o, ctx) => {
    const ids = [o.masterKey, ...o.previousMasterKeys].filter((k) => k !== undefined).map((k) => k.id);
    if (new Set(ids).size !== ids.length) ctx.addIssue({ code: 'custom', path: ['previousMasterKeys'], message: 'names the same master key twice (or the active one)' });
  });

export type FieldEncryptionOptions = z.input<typeof FieldEncryptionOptionsSchema>;
export type ResolvedFieldEncryptionOptions = Readonly<z.output<typeof FieldEncryptionOptionsSchema>>;

/** Validates once, defaults, freezes; throws AUDITRAIL_ERR_OPTIONS_INVALID listing every problem. */
export function resolveFieldEncryptionOptions(options: FieldEncryptionOptions): ResolvedFieldEncryptionOptions {
  const r = FieldEncryptionOptionsSchema.safeParse(options);
  if (!r.success) {
    const issues = toIssues(r.error);
    throw new AuditrailError('OPTIONS_INVALID', issues.map((i) => `${i.path}: ${i.message}`).join('; '), { issues });
  }
  return Object.freeze(r.data);
}
