import { resolve } from 'node:path';
import { AuditrailError } from '../core/errors.js';
import type { Storage } from '../core/storage.js';
import { createFieldEncryption, type FieldEncryption } from '../encryption/field-encryption.js';
import type { EncryptableField } from '../encryption/field-paths.js';
import { parseMasterKey, readMasterKeyFile, type MasterKey } from '../encryption/master-key.js';
import { createSqlKeyStore, type SqlQueryable } from '../encryption/sql-key-store.js';
import type { AuditrailConfig } from './config/config-schema.js';

const list = (v: string) =>
  v
    .split(',')
    .map((x) => x.trim())
    .filter((x) => x !== '');

/**
 * Field encryption of a configuration (docs/encryption.md). The wrapped data keys live in the
 * storage's encryption_keys table, so encryption needs PGlite or PostgreSQL. With a master key but
 * `enabled: false`, nothing new is encrypted and what was encrypted before still reads. With no
 * master key at all, a SQL storage still gets a read-only instance without one: a record that was
 * encrypted earlier then reads as ENCRYPTION_KEY_UNAVAILABLE, never as ciphertext passed off as
 * text. A missing or unreadable master key file stops the start: never a fallback to clear text.
 * Undefined for memory and file storage without encryption configured.
 */
export async function openEncryption(config: AuditrailConfig, storage: Storage): Promise<FieldEncryption | undefined> {
  const e = config.encryption;
  const hasKey = e.master_key !== '' || e.master_key_file !== '';
  const driver = (storage as { driver?: SqlQueryable }).driver;
  if (e.enabled && !hasKey) throw new AuditrailError('CONFIG_INVALID', 'encryption.enabled is true but no master key is configured: set encryption.master_key_file (AUDITRAIL_ENCRYPTION_MASTER_KEY_FILE) or encryption.master_key');
  if (!driver) {
    if (e.enabled || hasKey) throw new AuditrailError('CONFIG_INVALID', `encryption needs PGlite or PostgreSQL storage (its data keys are kept in a table), not ${config.storage.type}`);
    return undefined;
  }
  if (!hasKey) return createFieldEncryption({ keyStore: createSqlKeyStore(driver), fields: [] });
  const masterKey: MasterKey = e.master_key_file ? await readMasterKeyFile(resolve(e.master_key_file)) : parseMasterKey(e.master_key, 'encryption.master_key');
  const previousMasterKeys = await Promise.all(list(e.previous_master_key_files).map((f) => readMasterKeyFile(resolve(f))));
  const orgs = e.orgs.trim() === 'all' ? ('all' as const) : list(e.orgs);
  return createFieldEncryption({
    masterKey,
    previousMasterKeys,
    keyStore: createSqlKeyStore(driver),
    fields: e.enabled ? (list(e.fields) as EncryptableField[]) : [],
    orgs,
    keyCacheTtlMs: e.key_cache_ttl_ms,
  });
}
