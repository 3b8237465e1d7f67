import { AuditrailError, type ErrorIssue } from '../core/errors.js';
import { recordId, type AuditRecord } from '../core/record.js';
import type { RecordKey } from './data-key.js';
import { isEnvelope, objectEnvelope, parseEnvelope } from './envelope.js';
import { ALL_FIELDS } from './field-paths.js';
import { isKeyProblem, type OrgKeys } from './org-keys.js';
import { KEEP, mapRecordFields } from './record-fields.js';

export interface DecryptRecordOptions {
  /**
   * What a field that cannot be decrypted does. 'throw' (default): the whole record fails with
   * AUDITRAIL_ERR_DECRYPT_FAILED (changed or moved ciphertext) or ENCRYPTION_KEY_UNAVAILABLE (its
   * version destroyed). 'mark': the field is replaced by a marker (`[DECRYPT_FAILED]`,
   * `[ENCRYPTION_KEY_UNAVAILABLE]`, `{}` for an object field) and listed under
   * `metadata["auditrail.encryption"].failures`, so that one bad row does not hide a page of good
   * ones. Either way nothing undecrypted is passed off as plaintext, and an org-wide problem (no
   * or wrong master key, key store down) always throws.
   */
  readonly onFailure?: 'throw' | 'mark';
}

/** Where decryption failures are listed in 'mark' mode. */
export const DECRYPT_DIAGNOSTIC_KEY = 'auditrail.encryption';

export interface DecryptFailure {
  readonly path: string;
  readonly code: 'AUDITRAIL_ERR_DECRYPT_FAILED' | 'AUDITRAIL_ERR_ENCRYPTION_KEY_UNAVAILABLE';
  readonly keyVersion?: number;
}

interface FieldFailure {
  readonly name: 'DECRYPT_FAILED' | 'ENCRYPTION_KEY_UNAVAILABLE';
  readonly path: string;
  readonly detail: string;
  readonly keyVersion?: number;
}

type Opened = { readonly value: unknown } | { readonly failure: FieldFailure };

/**
 * Decrypts every encrypted field of a record: every envelope at any encryptable path, whatever
 * the fields configured now (old rows keep what they were written with); plaintext fields (rows
 * written before encryption was on) pass through. Each envelope names its key version, so rows
 * of every version decrypt side by side. Pure apart from the keys; the input is not modified.
 *
 * Throws AUDITRAIL_ERR_DECRYPT_FAILED naming the record and field when a ciphertext does not
 * authenticate (changed, or copied from another record, field or org) or is malformed, and
 * AUDITRAIL_ERR_ENCRYPTION_KEY_UNAVAILABLE when its key is not available.
 */
export function decryptRecord<R extends AuditRecord>(record: R, org: OrgKeys, options: DecryptRecordOptions = {}): R {
  const id = recordId(record);
  const mark = options.onFailure === 'mark';
  const keys = new Map<number, RecordKey | FieldFailure>();
  const failures: FieldFailure[] = [];
  const recordKey = (version: number, path: string): RecordKey | FieldFailure => {
    const known = keys.get(version);
    if (known) return 'name' in known ? { ...known, path } : known;
    if (record.orgId !== org.orgId) {
      throw new AuditrailError('ENCRYPTION_KEY_UNAVAILABLE', `the keys given are org ${JSON.stringify(org.orgId)}'s, the ${record.kind} ${id} is org ${JSON.stringify(record.orgId)}'s`);
    }
    const key = org.key(version);
    let out: RecordKey | FieldFailure;
    if (!isKeyProblem(key)) out = key.forRecord(record.kind, id);
    else if (key.scope === 'org') throw new AuditrailError('ENCRYPTION_KEY_UNAVAILABLE', `cannot decrypt ${record.kind} ${id}: ${key.reason}`);
    else out = { name: 'ENCRYPTION_KEY_UNAVAILABLE', path, detail: key.reason, keyVersion: version };
    keys.set(version, out);
    return out;
  };
  const out = mapRecordFields(record, ALL_FIELDS, (value, path, spec) => {
    const envelope = spec.object ? objectEnvelope(value) : isEnvelope(value) ? value : undefined;
    if (envelope === undefined) return KEEP;
    const opened = openEnvelope(envelope, path, recordKey);
    if ('value' in opened) return opened.value;
    if (!mark) throw toError(record, opened.failure);
    failures.push(opened.failure);
    return spec.object ? {} : `[${opened.failure.name}]`;
  });
  if (failures.length === 0) return out;
  const listed: DecryptFailure[] = failures.map((f) => ({
    path: f.path,
    code: f.name === 'DECRYPT_FAILED' ? 'AUDITRAIL_ERR_DECRYPT_FAILED' : 'AUDITRAIL_ERR_ENCRYPTION_KEY_UNAVAILABLE',
    ...(f.keyVersion === undefined ? {} : { keyVersion: f.keyVersion }),
  }));
  return { ...out, metadata: { ...out.metadata, [DECRYPT_DIAGNOSTIC_KEY]: { failures: listed } } };
}

function openEnvelope(envelope: string, path: string, recordKey: (version: number, path: string) => RecordKey | FieldFailure): Opened {
  const parsed = parseEnvelope(envelope);
  if (!parsed) return { failure: { name: 'DECRYPT_FAILED', path, detail: 'malformed envelope (expected enc:v1:<version>:<base64url>)' } };
  const rk = recordKey(parsed.keyVersion, path);
  if ('name' in rk) return { failure: rk };
  const keyVersion = parsed.keyVersion;
  const plain = rk.open(path, parsed.sealed);
  if (!plain) {
    return { failure: { name: 'DECRYPT_FAILED', path, keyVersion, detail: 'the ciphertext does not authenticate: it was changed, or copied from another record, field or org' } };
  }
  try {
    return { value: JSON.parse(UTF8.decode(plain)) as unknown };
  } catch {
    return { failure: { name: 'DECRYPT_FAILED', path, keyVersion, detail: 'the plaintext is not the JSON text of a value' } };
  }
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

function toError(record: AuditRecord, f: FieldFailure): AuditrailError {
  const version = f.keyVersion === undefined ? '' : ` (key version ${f.keyVersion})`;
  const issues: ErrorIssue[] = [{ path: f.path, message: f.detail }];
  return new AuditrailError(f.name, `${record.kind} ${recordId(record)}, field ${f.path}${version}: ${f.detail}`, { issues });
}

/** The key versions a record's envelopes name (malformed envelopes are left to decryptRecord). */
export function envelopeVersions(record: AuditRecord): Set<number> {
  const versions = new Set<number>();
  mapRecordFields(record, ALL_FIELDS, (value, _path, spec) => {
    const envelope = spec.object ? objectEnvelope(value) : isEnvelope(value) ? value : undefined;
    const parsed = envelope === undefined ? undefined : parseEnvelope(envelope);
    if (parsed) versions.add(parsed.keyVersion);
    return KEEP;
  });
  return versions;
}

/** True when any encryptable field of the record holds an envelope (well-formed or not). */
export function hasEncryptedFields(record: AuditRecord): boolean {
  let found = false;
  mapRecordFields(record, ALL_FIELDS, (value, _path, spec) => {
    if (!found && (spec.object ? objectEnvelope(value) !== undefined : isEnvelope(value))) found = true;
    return KEEP;
  });
  return found;
}
