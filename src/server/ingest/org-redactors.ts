import type { Redactor } from '../../core/redactor.js';
import { createRedactor, type RedactorOptions } from '../../redaction/index.js';
import type { AuditrailConfig } from '../config/config-schema.js';
import { defaultRedactionPolicies, loadRedactionPolicies, type RedactionPolicies } from '../config/redaction-policies.js';

/**
 * Which redactor runs on an org's records on the server: the seam between the policies and the
 * ingestion routes. Any `Redactor` of core may be returned (createRedactor's, or another
 * implementation: one that throws gets the record stored fail-closed, see server-redaction.ts).
 */
export interface OrgRedactors {
  /** The org's own redactor, else the default one; undefined when the server does not redact. */
  redactorFor(orgId: string): Redactor | undefined;
  /** What runs, for the startup output, e.g. "on: policy file p.yaml (own policy for acme; the default policy for every other org)". */
  readonly summary: string;
}

export interface OrgRedactorsOptions extends RedactorOptions {
  /** Where the policies come from, named in the summary (e.g. the policy file). */
  readonly source?: string;
}

/** Orgs named in the summary, at most. */
const MAX_NAMED = 10;

/**
 * One redactor per policy, built once (each compiles ~25 regexes): the org's own for the orgs the
 * policies name, the default for every other org. The policies must be valid (see
 * loadRedactionPolicies); a bad one throws AUDITRAIL_ERR_OPTIONS_INVALID here.
 */
export function createOrgRedactors(policies: RedactionPolicies, options: OrgRedactorsOptions = {}): OrgRedactors {
  const { source, ...redactorOptions } = options;
  const fallback = createRedactor(policies.default, redactorOptions);
  const own = new Map<string, Redactor>(Object.entries(policies.orgs).map(([org, policy]) => [org, createRedactor(policy, redactorOptions)]));
  const orgs = [...own.keys()];
  const named = orgs.length > MAX_NAMED ? `${orgs.slice(0, MAX_NAMED).join(', ')} and ${orgs.length - MAX_NAMED} more` : orgs.join(', ');
  const what = source ?? 'policies given in code';
  const summary = orgs.length === 0 ? `on: ${what} (its default policy for every org)` : `on: ${what} (own policy for ${named}; the default policy for every other org)`;
  return Object.freeze({ redactorFor: (orgId: string) => own.get(orgId) ?? fallback, summary });
}

/** One redactor for every org (createAuditrailServer's `redactor` option). */
export function singleRedactor(redactor: Redactor): OrgRedactors {
  return Object.freeze({ redactorFor: () => redactor, summary: 'on: one redactor given in code for every org' });
}

/** The server stores records as sent (redaction.enabled: false). */
export const NO_REDACTION: OrgRedactors = Object.freeze({ redactorFor: () => undefined, summary: 'off (redaction.enabled: false): records are stored as sent' });

/**
 * The redactors of a configuration: none when redaction.enabled is false, else the policies of
 * redaction.policy_file (read and validated now; throws AUDITRAIL_ERR_CONFIG_INVALID listing
 * every problem) or the built-in default policy for every org.
 */
export function orgRedactorsFromConfig(config: Pick<AuditrailConfig, 'redaction'>, options: RedactorOptions = {}): OrgRedactors {
  const { enabled, policy_file: file } = config.redaction;
  if (!enabled) return NO_REDACTION;
  if (file === '') return Object.freeze({ ...createOrgRedactors(defaultRedactionPolicies(), options), summary: 'on: the built-in policy (every detector) for every org' });
  return createOrgRedactors(loadRedactionPolicies(file), { ...options, source: `policy file ${file}` });
}
