import { AuditrailError, errorMessage } from '../core/errors.js';
import type { AuditRecord } from '../core/record.js';
import { decryptRecord, envelopeVersions, hasEncryptedFields, type DecryptRecordOptions } from './decrypt-record.js';
import { encryptRecord } from './encrypt-record.js';
import { SEARCHED_FIELDS, selectFields, type EncryptableField, type FieldSelection } from './field-paths.js';
import type { KeyPosition, StoredDataKey } from './key-store.js';
import { resolveFieldEncryptionOptions, type FieldEncryptionOptions } from './options.js';
import { OrgKeyCache } from './org-key-cache.js';
import { createOrgKeys, isKeyProblem, type OrgKeys } from './org-keys.js';

/** One data key version as an operator sees it (never the key). */
export interface DataKeyInfo {
  readonly orgId: string;
  readonly version: number;
  /** The master key that wraps it; null once destroyed. */
  readonly kekId: string | null;
  readonly createdAt: string;
  readonly destroyedAt: string | null;
  /** The version this process encrypts the org's new records under. */
  readonly active: boolean;
}

export interface RewrapReport {
  /** Data keys re-wrapped under the active master key by this run. */
  readonly rewrapped: number;
  /** Data keys that were already wrapped by it. */
  readonly current: number;
  /** Data keys left as they were, with why (their master key not configured, a damaged row). */
  readonly failed: ReadonlyArray<{ readonly orgId: string; readonly version: number; readonly reason: string }>;
}

/**
 * Field encryption at rest (docs/encryption.md): envelope encryption of chosen record fields
 * under per-org data keys wrapped by a master key. The server encrypts on ingestion (after
 * redaction, before the write queue and the integrity chain) and decrypts on reads for callers
 * with the read scope; verify reads the stored ciphertext and needs no key.
 */
export interface FieldEncryption {
  /** True when new records are encrypted (a master key is configured and fields are chosen). */
  readonly encrypting: boolean;
  readonly fields: readonly EncryptableField[];
  /** Whether this configuration encrypts the org's new records. */
  encryptsOrg(orgId: string): boolean;
  /**
   * False when the org's questions or answers are encrypted: full-text search cannot see them.
   * Without an org (a search across orgs): false when any org's are.
   */
  searchAvailable(orgId?: string): boolean;
  /**
   * Encrypts the chosen fields of each record of an encrypted org under its active data key
   * (created on first use); other records are returned as they are. Rejects with
   * ENCRYPTION_KEY_UNAVAILABLE (nothing to be stored in clear: refuse the batch, 503).
   */
  encryptRecords<R extends AuditRecord>(records: readonly R[]): Promise<R[]>;
  encryptRecord<R extends AuditRecord>(record: R): Promise<R>;
  /** Decrypts every encrypted field (any version, any configuration); plaintext records pass through untouched. */
  decryptRecords<R extends AuditRecord>(records: readonly R[], options?: DecryptRecordOptions): Promise<R[]>;
  decryptRecord<R extends AuditRecord>(record: R, options?: DecryptRecordOptions): Promise<R>;
  /** Adds a data key version for the org; new records use it, old rows keep theirs. Answers the version. */
  rotateDataKey(orgId: string): Promise<number>;
  /** Re-wraps every data key under the active master key (master key rotation); no record is touched. */
  rewrapDataKeys(options?: { readonly batchSize?: number; readonly onProgress?: (done: number) => void }): Promise<RewrapReport>;
  /**
   * Destroys one data key version (crypto-shredding): the records that name it can never be
   * decrypted again, anywhere; the integrity chain still verifies them. True when destroyed now.
   */
  destroyDataKey(orgId: string, version: number): Promise<boolean>;
  describeKeys(orgId: string): Promise<DataKeyInfo[]>;
  /** Drops cached unwrapped keys (all orgs, or one). */
  forgetKeys(orgId?: string): void;
}

export function createFieldEncryption(options: FieldEncryptionOptions): FieldEncryption {
  const o = resolveFieldEncryptionOptions(options);
  const selection: FieldSelection = selectFields(o.fields);
  const now = o.now ?? Date.now;
  const cache = new OrgKeyCache({ keyStore: o.keyStore, masterKey: o.masterKey, previousMasterKeys: o.previousMasterKeys, ttlMs: o.keyCacheTtlMs, now });
  const orgs = o.orgs === 'all' ? undefined : new Set(o.orgs);
  const encrypting = o.masterKey !== undefined && o.fields.length > 0;
  const searchEncrypted = SEARCHED_FIELDS.some((f) => o.fields.includes(f));
  const encryptsOrg = (orgId: string) => encrypting && (orgs === undefined || orgs.has(orgId));

  const encryptRecords = async <R extends AuditRecord>(records: readonly R[]): Promise<R[]> => {
    const out = [...records];
    const byOrg = new Map<string, number[]>();
    records.forEach((r, i) => {
      if (!encryptsOrg(r.orgId)) return;
      const list = byOrg.get(r.orgId);
      if (list) list.push(i);
      else byOrg.set(r.orgId, [i]);
    });
    for (const [orgId, indexes] of byOrg) {
      await cache.active(orgId);
      const keys = await cache.get(orgId);
      for (const i of indexes) out[i] = encryptRecord(records[i]!, keys, { fields: selection });
    }
    return out;
  };

  const decryptRecords = async <R extends AuditRecord>(records: readonly R[], decryptOptions?: DecryptRecordOptions): Promise<R[]> => {
    const needed = new Map<string, number>();
    const versionsOf = records.map((r) => envelopeVersions(r));
    records.forEach((r, i) => {
      const versions = versionsOf[i]!;
      if (versions.size === 0) return;
      needed.set(r.orgId, Math.max(needed.get(r.orgId) ?? 0, ...versions));
    });
    const keysOf = new Map<string, OrgKeys>();
    for (const [orgId, highest] of needed) keysOf.set(orgId, await cache.get(orgId, highest));
    return records.map((r, i) => {
      if (versionsOf[i]!.size === 0 && !hasEncryptedFields(r)) return r; // plaintext: rows written before encryption, or unencrypted orgs
      // a record with only malformed envelopes needs no key: decryptRecord reports them
      const keys = keysOf.get(r.orgId) ?? createOrgKeys(r.orgId, [], { scope: 'org', reason: 'no key was looked up' });
      return decryptRecord(r, keys, decryptOptions);
    });
  };

  return Object.freeze({
    encrypting,
    fields: selection.fields,
    encryptsOrg,
    searchAvailable: (orgId?: string) => !(searchEncrypted && (orgId === undefined ? encrypting : encryptsOrg(orgId))),
    encryptRecords,
    encryptRecord: async <R extends AuditRecord>(record: R) => (await encryptRecords([record]))[0]!,
    decryptRecords,
    decryptRecord: async <R extends AuditRecord>(record: R, decryptOptions?: DecryptRecordOptions) => (await decryptRecords([record], decryptOptions))[0]!,
    rotateDataKey: (orgId: string) => cache.rotate(orgId),
    async rewrapDataKeys(rewrapOptions: { readonly batchSize?: number; readonly onProgress?: (done: number) => void } = {}): Promise<RewrapReport> {
      const kek = o.masterKey;
      if (!kek) throw new AuditrailError('ENCRYPTION_KEY_UNAVAILABLE', 'no master key is configured to re-wrap the data keys under');
      const batchSize = rewrapOptions.batchSize ?? 500;
      let after: KeyPosition | null = null;
      let rewrapped = 0;
      let current = 0;
      const failed: Array<{ orgId: string; version: number; reason: string }> = [];
      for (;;) {
        const page: StoredDataKey[] = await storeCall(() => o.keyStore.page(after, batchSize), 'list the data keys');
        for (const row of page) {
          if (row.kekId === kek.id) current++;
          else {
            const material = cache.unwrapMaterial(row);
            if (isKeyProblem(material)) failed.push({ orgId: row.orgId, version: row.version, reason: material.reason });
            else {
              const next = { kekId: kek.id, wrappedKey: kek.wrap(row.orgId, row.version, material) };
              material.fill(0);
              if (await storeCall(() => o.keyStore.rewrap(row.orgId, row.version, row.kekId!, next), `re-wrap org ${row.orgId} version ${row.version}`)) rewrapped++;
              else current++; // another process re-wrapped (or destroyed) it meanwhile
            }
          }
        }
        rewrapOptions.onProgress?.(rewrapped + current + failed.length);
        if (page.length < batchSize) break;
        const last = page[page.length - 1]!;
        after = { orgId: last.orgId, version: last.version };
      }
      cache.forget();
      return { rewrapped, current, failed };
    },
    async destroyDataKey(orgId: string, version: number): Promise<boolean> {
      const destroyed = await storeCall(() => o.keyStore.destroy(orgId, version), `destroy org ${orgId} version ${version}`);
      cache.forget(orgId);
      return destroyed;
    },
    async describeKeys(orgId: string): Promise<DataKeyInfo[]> {
      const rows = await storeCall(() => o.keyStore.list(orgId), `list org ${orgId}'s data keys`);
      const highest = Math.max(0, ...rows.map((r) => r.version));
      return rows.map((r) => ({ orgId: r.orgId, version: r.version, kekId: r.kekId, createdAt: r.createdAt, destroyedAt: r.destroyedAt, active: r.version === highest && r.destroyedAt === null }));
    },
    forgetKeys: (orgId?: string) => cache.forget(orgId),
  });

  async function storeCall<T>(fn: () => Promise<T>, what: string): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      throw new AuditrailError('ENCRYPTION_KEY_UNAVAILABLE', `the key store (${o.keyStore.name}) could not ${what}: ${errorMessage(err)}`, { cause: err });
    }
  }
}
