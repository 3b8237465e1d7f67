import { AuditrailError, errorMessage } from '../core/errors.js';
import { recordId, type AuditRecord } from '../core/record.js';
import type { RecordKey } from './data-key.js';
import { ENCRYPTED_OBJECT_KEY, formatEnvelope } from './envelope.js';
import { selectFields, type FieldSelection } from './field-paths.js';
import { isKeyProblem, type OrgKeys } from './org-keys.js';
import { KEEP, mapRecordFields } from './record-fields.js';

const DEFAULT_SELECTION = selectFields();

export interface EncryptRecordOptions {
  /** Which fields; default: question, finalAnswer, thoughts[].content, toolCalls[].input and .observation. */
  readonly fields?: FieldSelection;
}

/**
 * Encrypts the chosen fields of a record under its org's active data key. Pure apart from the
 * key and the random IVs: the input is not modified; fields that are null or absent stay so.
 * Each value is sealed as the UTF-8 of its JSON text (so a string keeps lone surrogates and a
 * tool input keeps its type) and replaced by its envelope. Call it once per record, after
 * redaction and before the integrity chain: the chain then covers the ciphertext.
 *
 * Throws AUDITRAIL_ERR_ENCRYPTION_KEY_UNAVAILABLE when the org has no usable active key, or the
 * keys belong to another org; AUDITRAIL_ERR_RECORD_INVALID when a value JSON cannot carry.
 */
export function encryptRecord<R extends AuditRecord>(record: R, org: OrgKeys, options: EncryptRecordOptions = {}): R {
  if (record.orgId !== org.orgId) {
    throw new AuditrailError('ENCRYPTION_KEY_UNAVAILABLE', `the keys given are org ${JSON.stringify(org.orgId)}'s, the record is org ${JSON.stringify(record.orgId)}'s`);
  }
  const key = org.active;
  if (isKeyProblem(key)) throw new AuditrailError('ENCRYPTION_KEY_UNAVAILABLE', `cannot encrypt ${record.kind} ${recordId(record)}: ${key.reason}`);
  let rk: RecordKey | undefined;
  return mapRecordFields(record, options.fields ?? DEFAULT_SELECTION, (value, path, spec) => {
    const text = jsonText(value, record, path);
    if (text === undefined) return KEEP;
    rk ??= key.forRecord(record.kind, recordId(record));
    const envelope = formatEnvelope(key.version, rk.seal(path, Buffer.from(text, 'utf8')));
    return spec.object ? { [ENCRYPTED_OBJECT_KEY]: envelope } : envelope;
  });
}

/** JSON text of a field value; undefined when JSON leaves it out (a function), as storage would. */
function jsonText(value: unknown, record: AuditRecord, path: string): string | undefined {
  try {
    return JSON.stringify(value);
  } catch (err) {
    throw new AuditrailError('RECORD_INVALID', `${record.kind} ${recordId(record)}: ${path} cannot be encoded as JSON: ${errorMessage(err)}`, {
      issues: [{ path, message: 'not JSON-encodable' }],
    });
  }
}
