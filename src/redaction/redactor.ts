import type { AuditRecord } from '../core/record.js';
import type { RedactionFailure, RedactionReport, Redactor } from '../core/redactor.js';
import { createBuiltinDetectors } from './detectors/builtin.js';
import { createCustomRuleDetector } from './detectors/custom-rule.js';
import type { Detector } from './detectors/detector.js';
import { createKeyedHash } from './keyed-hash.js';
import { resolvePolicy, type RedactionPolicyInput, type ResolvedPolicy } from './policy.js';
import { createScanner, type RedactionMatch, type Tally } from './scanner.js';
import { createWalker, failWholeRecord } from './walker.js';

/** The metadata key under which a record carries the description of its redaction failures. */
export const FAILURE_ANNOTATION_KEY = 'auditrail.redaction';

export interface RedactorOptions {
  /**
   * Detectors written in code, run after the built-ins and before the policy's custom rules.
   * They get the same fail-closed treatment: one that throws turns the field into the marker.
   */
  readonly extraDetectors?: readonly Detector[];
  /** Clock for the time budget, in milliseconds (default performance.now). Tests may pass a fake. */
  readonly now?: () => number;
}

/** Cumulative counters since the redactor was created. Values are never kept, only counts. */
export interface RedactionStats {
  /** Records redacted. */
  readonly records: number;
  /** Records in which at least one value was replaced by the failure marker. */
  readonly recordsFailed: number;
  /** Replacements by detector, custom rule or field rule name. */
  readonly redactions: Readonly<Record<string, number>>;
  /** Failed values by reason. */
  readonly failures: Readonly<Record<RedactionFailure['reason'], number>>;
}

export interface RecordRedactor extends Redactor {
  redact(record: AuditRecord): AuditRecord;
  redactWithReport(record: AuditRecord): RedactionReport;
  /** Redacts one free-text string with the detectors and custom rules (no field rules). */
  redactText(text: string): string;
  /** Where the detectors match in text (offsets into the caller's own string), for dry runs. */
  inspect(text: string): RedactionMatch[];
  stats(): RedactionStats;
  readonly policy: ResolvedPolicy;
}

const EMPTY_COUNTS: Readonly<Record<string, number>> = Object.freeze({});
const NO_FAILURES: readonly RedactionFailure[] = Object.freeze([]);

/**
 * Builds a redactor from a policy (validated once; bad policies throw
 * AUDITRAIL_ERR_OPTIONS_INVALID listing every problem). Synchronous and allocation-free on
 * records with nothing to redact (the same object comes back). It fails closed: content it could
 * not redact is replaced by the failure marker and described, never passed through.
 */
export function createRedactor(policyInput: RedactionPolicyInput = {}, options: RedactorOptions = {}): RecordRedactor {
  const policy = resolvePolicy(policyInput);
  const now = options.now ?? (() => performance.now());
  const detectors: Detector[] = [
    ...createBuiltinDetectors(policy.detectors, { keepPrivate: policy.keepPrivateIps }),
    ...(options.extraDetectors ?? []),
    ...policy.customRules.map((r) => createCustomRuleDetector(r)),
  ];
  const scanner = createScanner({ detectors, allowValues: policy.allowValues, allowPatterns: policy.allowPatterns, replacement: policy.replacement, now });
  const walk = createWalker({ scanner, policy, hash: policy.hashKey === undefined ? undefined : createKeyedHash(policy.hashKey), now });

  let records = 0;
  let recordsFailed = 0;
  const redactions: Record<string, number> = {};
  const failureCounts: Record<RedactionFailure['reason'], number> = { detector_threw: 0, time_budget_exceeded: 0, unexpected_error: 0 };

  function report(record: AuditRecord): RedactionReport {
    records++;
    let result: { record: AuditRecord; counts: Readonly<Record<string, number>> | null; failures: readonly RedactionFailure[] | null };
    try {
      result = walk(record);
    } catch {
      // the walk itself broke (e.g. nesting deep enough to overflow the stack): nothing is trusted
      result = { record: failWholeRecord(record, policy.failureMarker), counts: null, failures: [{ path: '(record)', reason: 'unexpected_error' }] };
    }
    const counts = result.counts ?? EMPTY_COUNTS;
    for (const name in counts) redactions[name] = (redactions[name] ?? 0) + counts[name]!;
    if (!result.failures) return { record: result.record, counts, failures: NO_FAILURES };
    recordsFailed++;
    for (const f of result.failures) failureCounts[f.reason]++;
    const out = policy.annotateFailures ? annotate(result.record, result.failures) : result.record;
    return { record: out, counts, failures: result.failures };
  }

  return {
    policy,
    redact: (record) => report(record).record,
    redactWithReport: report,
    redactText(text) {
      const tally: Tally = { counts: null };
      try {
        const out = scanner.scan(text, tally, now() + policy.timeBudgetMs);
        for (const name in tally.counts ?? EMPTY_COUNTS) redactions[name] = (redactions[name] ?? 0) + tally.counts![name]!;
        return out;
      } catch {
        return policy.failureMarker;
      }
    },
    inspect: (text) => scanner.matches(text),
    stats: () => ({ records, recordsFailed, redactions: { ...redactions }, failures: { ...failureCounts } }),
  };
}

/**
 * The fail-closed result for a record that could not be redacted at all (e.g. a Redactor of
 * another implementation threw): every free-text and JSON field is replaced by the marker and
 * the failure is described in the record. Never carries anything the record said.
 */
export function failedRecordReport(record: AuditRecord, failureMarker = '[REDACTION_FAILED]'): RedactionReport {
  const failures: readonly RedactionFailure[] = Object.freeze([{ path: '(record)', reason: 'unexpected_error' }]);
  return { record: annotate(failWholeRecord(record, failureMarker), failures), counts: EMPTY_COUNTS, failures };
}

/** Adds (or extends) metadata["auditrail.redaction"] with the failures: paths and reasons only. */
function annotate(record: AuditRecord, failures: readonly RedactionFailure[]): AuditRecord {
  const metadata = record.metadata;
  const previous = metadata[FAILURE_ANNOTATION_KEY] as { failures?: unknown } | undefined;
  const earlier = previous && Array.isArray(previous.failures) ? (previous.failures as unknown[]) : [];
  return {
    ...record,
    metadata: { ...metadata, [FAILURE_ANNOTATION_KEY]: { code: 'AUDITRAIL_ERR_REDACTION_FAILED', failures: [...earlier, ...failures.map((f) => ({ ...f }))] } },
  };
}
