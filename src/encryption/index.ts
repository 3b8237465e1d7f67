/**
 * auditrail encryption: field encryption at rest (docs/encryption.md). Chosen record fields are
 * sealed with AES-256-GCM under per-org data keys (versions, rotation without rewriting rows)
 * wrapped by a master key from configuration. Imports only core; storage and the server call it.
 */
export { ENCRYPTED_OBJECT_KEY, ENVELOPE_PREFIX, MAX_KEY_VERSION, formatEnvelope, isEnvelope, objectEnvelope, parseEnvelope, type ParsedEnvelope } from './envelope.js';
export {
  ALL_FIELDS,
  DEFAULT_ENCRYPTED_FIELDS,
  ENCRYPTABLE_FIELDS,
  SEARCHED_FIELDS,
  selectFields,
  type EncryptableField,
  type FieldSelection,
} from './field-paths.js';
export { createDataKey, fieldAad, generateDataKeyMaterial, recordKeyInfo, type DataKey, type RecordKey } from './data-key.js';
export { createMasterKey, decodeMasterKeyText, generateMasterKey, masterKeyId, parseMasterKey, readMasterKeyFile, wrapAad, type MasterKey } from './master-key.js';
export { createOrgKeys, isKeyProblem, type KeyProblem, type OrgKeys, type UnavailableVersion } from './org-keys.js';
export { encryptRecord, type EncryptRecordOptions } from './encrypt-record.js';
export {
  DECRYPT_DIAGNOSTIC_KEY,
  decryptRecord,
  envelopeVersions,
  hasEncryptedFields,
  type DecryptFailure,
  type DecryptRecordOptions,
} from './decrypt-record.js';
export type { KeyPosition, KeyStore, NewDataKey, StoredDataKey } from './key-store.js';
export { createMemoryKeyStore, type MemoryKeyStoreOptions } from './memory-key-store.js';
export { createSqlKeyStore, type SqlQueryable } from './sql-key-store.js';
export { FieldEncryptionOptionsSchema, type FieldEncryptionOptions, type ResolvedFieldEncryptionOptions } from './options.js';
export { createFieldEncryption, type DataKeyInfo, type FieldEncryption, type RewrapReport } from './field-encryption.js';
export { createEncryptingStorage, refuseSearch, type EncryptingStorageOptions } from './encrypting-storage.js';
