/**
 * auditrail redaction: detectors for personal data and secrets, field rules, allow-lists, and a
 * record walker that fails closed. Imports only core; the SDK (batch processor) and the server
 * (per-org policy, before the write queue) call it. See docs/redaction.md.
 */
export { createRedactor, failedRecordReport, FAILURE_ANNOTATION_KEY, type RecordRedactor, type RedactionStats, type RedactorOptions } from './redactor.js';
export { RedactionPolicySchema, resolvePolicy, type FieldAction, type RedactionPolicy, type RedactionPolicyInput, type ResolvedPolicy } from './policy.js';
export { BUILTIN_DETECTORS, type BuiltinDetectorName, type Detector, type MatchSink } from './detectors/detector.js';
export { regexSafetyProblem } from './regex-safety.js';
export type { RedactionMatch } from './scanner.js';
