import type { FastifyBaseLogger } from 'fastify';
import { recordId, type AuditRecord } from '../../core/record.js';
import type { RedactionReport, Redactor } from '../../core/redactor.js';
import { ERRORS } from '../../core/errors.js';
import { failedRecordReport } from '../../redaction/index.js';
import type { RedactionMetrics } from '../metrics/redaction-metrics.js';
import type { OrgRedactors } from './org-redactors.js';

/** Redacts one record; never throws (what cannot be redacted becomes the failure marker). */
export type RedactRecord = (record: AuditRecord) => AuditRecord;

/** Server-side redaction as the ingestion routes use it: per org, counted, failures logged. */
export interface ServerRedaction {
  /**
   * The redaction of `orgId`'s records, or undefined when the server does not redact. Failures
   * are logged on `log` (default: the server's logger) with AUDITRAIL_ERR_REDACTION_FAILED.
   */
  forOrg(orgId: string, log?: FastifyBaseLogger): RedactRecord | undefined;
}

const FAILED = ERRORS.REDACTION_FAILED.code;

export function createServerRedaction(redactors: OrgRedactors, metrics: RedactionMetrics, serverLog: FastifyBaseLogger): ServerRedaction {
  return {
    forOrg(orgId, log = serverLog) {
      const redactor = redactors.redactorFor(orgId);
      if (redactor === undefined) return undefined;
      return (record) => {
        const report = reportOf(redactor, record);
        metrics.observe(report);
        if (report.failures.length > 0) {
          // paths, reasons and detector names only: never the text (nor an error that may quote it)
          log.warn({ code: FAILED, orgId, recordId: recordId(report.record), failures: report.failures }, `${FAILED}: ${report.failures.length} value(s) could not be redacted and were stored as the failure marker`);
        }
        return report.record;
      };
    },
  };
}

/**
 * createRedactor's redactWithReport never throws. Another Redactor may: then nothing it returned
 * is trusted and the record is stored with every free-text field replaced (fail closed), rather
 * than rejected, so that the audit keeps the fact that it happened.
 */
function reportOf(redactor: Redactor, record: AuditRecord): RedactionReport {
  try {
    if (redactor.redactWithReport) return redactor.redactWithReport(record);
    return { record: redactor.redact(record), counts: {}, failures: [] };
  } catch {
    return failedRecordReport(record);
  }
}
