import type { AuditRecord } from './record.js';

/**
 * The redaction seam: returns the record with sensitive values replaced. Implementations must
 * fail closed (a field that cannot be redacted is replaced by a marker, never passed through).
 */
export interface Redactor {
  redact(record: AuditRecord): AuditRecord;
}
