import type { AuditRecord } from './record.js';

/**
 * The redaction seam: returns the record with sensitive values replaced. Implementations must
 * fail closed (a field that cannot be redacted is replaced by a marker, never passed through).
 */
export interface Redactor {
  redact(record: AuditRecord): AuditRecord;
  /**
   * Optional richer form of redact(): the same record plus what was replaced (counts per
   * detector, never the values) and what could not be redacted. Pipelines use it for metrics and
   * diagnostics when present and fall back to redact() otherwise.
   */
  redactWithReport?(record: AuditRecord): RedactionReport;
}

export interface RedactionReport {
  readonly record: AuditRecord;
  /** Replacements made in this record, by detector or rule name. Empty when nothing matched. */
  readonly counts: Readonly<Record<string, number>>;
  /** Content that could not be redacted and was replaced by the failure marker. */
  readonly failures: readonly RedactionFailure[];
}

/** One field replaced by the failure marker (code AUDITRAIL_ERR_REDACTION_FAILED). */
export interface RedactionFailure {
  /** Dotted path of the replaced value, e.g. `toolCalls.1.observation`. */
  readonly path: string;
  /** A detector threw, the per-record time budget ran out, or the walk itself failed (e.g. absurd nesting). */
  readonly reason: 'detector_threw' | 'time_budget_exceeded' | 'unexpected_error';
  /** The detector or rule that threw, when there is one. */
  readonly detector?: string;
}
