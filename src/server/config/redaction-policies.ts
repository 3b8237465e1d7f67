import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { IdSchema } from '../../core/audit-event.js';
import { LIMITS } from '../../core/limits.js';
import { AuditrailError, errorMessage, type ErrorIssue } from '../../core/errors.js';
import { RedactionPolicySchema, type RedactionPolicy } from '../../redaction/index.js';
import { parseYamlSource, type YamlSource } from './yaml-source.js';

/** The server's redaction policies: the default for every org, and the orgs that have their own. */
export interface RedactionPolicies {
  readonly default: RedactionPolicy;
  /** Org id -> its own policy, used instead of the default (not merged with it). */
  readonly orgs: Readonly<Record<string, RedactionPolicy>>;
}

const PolicyFileSchema = z
  .object({
    default: RedactionPolicySchema.optional(),
    orgs: z.record(IdSchema, RedactionPolicySchema).optional(),
  })
  .strict();

/** The built-in policy (every detector on), for every org: what runs when no policy file is given. */
export function defaultRedactionPolicies(): RedactionPolicies {
  return Object.freeze({ default: RedactionPolicySchema.parse({}), orgs: Object.freeze({}) });
}

/**
 * Reads and validates `redaction.policy_file` once, at start. Throws AUDITRAIL_ERR_CONFIG_INVALID
 * listing every problem of every policy, each with its path in the file and its line.
 */
export function loadRedactionPolicies(file: string): RedactionPolicies {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw invalid(file, [{ path: 'redaction.policy_file', message: `cannot read ${file}: ${errorMessage(err)}` }]);
  }
  return parseRedactionPolicies(text, file);
}

/** Validates the text of a policy file (`file` only names it in errors). */
export function parseRedactionPolicies(text: string, file: string): RedactionPolicies {
  // merge keys let an org's policy start from a shared one: `acme: { <<: *base, keepPrivateIps: true }`
  const source = parseYamlSource(text, { merge: true });
  if (source.problems.length > 0) throw invalid(file, source.problems);
  const data = source.data;
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw invalid(file, [{ path: '(root)', message: 'line 1: the file must be a mapping with `default:` (the policy of every org) and/or `orgs:` (org id -> its policy); see docs/redaction.md' }]);
  }
  const parsed = PolicyFileSchema.safeParse(data);
  if (!parsed.success) throw invalid(file, toIssues(parsed.error, source));
  return Object.freeze({ default: parsed.data.default ?? RedactionPolicySchema.parse({}), orgs: Object.freeze({ ...parsed.data.orgs }) });
}

function toIssues(error: z.ZodError, source: YamlSource): ErrorIssue[] {
  const issues: ErrorIssue[] = [];
  for (const issue of error.issues) {
    const base = issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p));
    const paths = issue.code === 'unrecognized_keys' ? issue.keys.map((k) => [...base, k]) : [base];
    for (const path of paths) {
      const line = source.lineOf(path);
      const message = issue.code === 'unrecognized_keys' ? unknownKeyMessage(path) : issue.code === 'invalid_key' ? `not an org id (1 to ${LIMITS.maxIdLength} characters)` : issue.message;
      issues.push({ path: path.map((p) => (p === '' ? '""' : p)).join('.') || '(root)', message: `${line === undefined ? '' : `line ${line}: `}${message}` });
    }
  }
  return issues;
}

function unknownKeyMessage(path: readonly (string | number)[]): string {
  if (path.length === 1) return 'unknown key: the file holds `default:` and `orgs:` only';
  if (path.includes('detectors')) return 'unknown detector (the detectors are listed in docs/redaction.md)';
  return 'unknown key (the policy keys are listed in docs/redaction.md)';
}

function invalid(file: string, issues: readonly ErrorIssue[]): AuditrailError {
  const list = issues.map((i) => `  - ${i.path}: ${i.message}`).join('\n');
  return new AuditrailError('CONFIG_INVALID', `redaction.policy_file ${file}: ${issues.length} problem(s)\n${list}`, { issues });
}
