import { Counter, type Registry } from 'prom-client';
import type { RedactionReport } from '../../core/redactor.js';

/** Server-side redaction counters: counts by org and detector, never a value. */
export interface RedactionMetrics {
  /** Counts one record's redaction report. */
  observe(orgId: string, report: RedactionReport): void;
}

export function createRedactionMetrics(registry: Registry): RedactionMetrics {
  const registers = [registry];
  const redactions = new Counter({
    name: 'auditrail_redactions_total',
    help: 'Values replaced by server-side redaction, by org and detector (built-in detector, custom rule or field rule name).',
    labelNames: ['org', 'detector'] as const,
    registers,
  });
  const failures = new Counter({
    name: 'auditrail_redaction_failures_total',
    help: 'Values replaced by the failure marker because they could not be redacted (stored fail-closed, never in clear), by org and reason.',
    labelNames: ['org', 'reason'] as const,
    registers,
  });
  const redactedRecords = new Counter({
    name: 'auditrail_redacted_records_total',
    help: 'Records in which server-side redaction replaced at least one value, by org.',
    labelNames: ['org'] as const,
    registers,
  });
  const failedRecords = new Counter({
    name: 'auditrail_redaction_failed_records_total',
    help: 'Records with at least one value replaced by the failure marker, by org.',
    labelNames: ['org'] as const,
    registers,
  });
  return {
    observe(org, report) {
      let replaced = false;
      for (const detector in report.counts) {
        const n = report.counts[detector]!;
        if (n > 0) {
          redactions.inc({ org, detector }, n);
          replaced = true;
        }
      }
      if (replaced) redactedRecords.inc({ org });
      if (report.failures.length === 0) return;
      failedRecords.inc({ org });
      for (const f of report.failures) failures.inc({ org, reason: f.reason });
    },
  };
}
