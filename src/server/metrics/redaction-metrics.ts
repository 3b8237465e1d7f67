import { Counter, type Registry } from 'prom-client';
import type { RedactionReport } from '../../core/redactor.js';

/**
 * Server-side redaction counters: counts by detector, never a value. No org label: /metrics is
 * served without a key by default (auth.public_metrics), and org ids and their activity are the
 * tenants' business; the series count stays bounded by the detectors.
 */
export interface RedactionMetrics {
  /** Counts one record's redaction report. */
  observe(report: RedactionReport): void;
}

export function createRedactionMetrics(registry: Registry): RedactionMetrics {
  const registers = [registry];
  const redactions = new Counter({
    name: 'auditrail_redactions_total',
    help: 'Values replaced by server-side redaction, by detector (built-in detector, custom rule or field rule name).',
    labelNames: ['detector'] as const,
    registers,
  });
  const failures = new Counter({
    name: 'auditrail_redaction_failures_total',
    help: 'Values replaced by the failure marker because they could not be redacted (stored fail-closed, never in clear), by reason.',
    labelNames: ['reason'] as const,
    registers,
  });
  const redactedRecords = new Counter({
    name: 'auditrail_redacted_records_total',
    help: 'Records in which server-side redaction replaced at least one value.',
    registers,
  });
  const failedRecords = new Counter({
    name: 'auditrail_redaction_failed_records_total',
    help: 'Records with at least one value replaced by the failure marker.',
    registers,
  });
  return {
    observe(report) {
      let replaced = false;
      for (const detector in report.counts) {
        const n = report.counts[detector]!;
        if (n > 0) {
          redactions.inc({ detector }, n);
          replaced = true;
        }
      }
      if (replaced) redactedRecords.inc();
      if (report.failures.length === 0) return;
      failedRecords.inc();
      for (const f of report.failures) failures.inc({ reason: f.reason });
    },
  };
}
