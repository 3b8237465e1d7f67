import { z } from 'zod';
import { AuditrailError, type ErrorIssue } from '../core/errors.js';
import { toIssues } from '../core/record.js';
import { BUILTIN_DETECTORS, type BuiltinDetectorName } from './detectors/detector.js';
import { compileFieldPath, fieldPathProblem } from './field-path.js';
import { regexSafetyProblem } from './regex-safety.js';

const RULE_NAME = /^[a-z][a-z0-9_]{0,62}$/;
const RuleNameSchema = z.string().regex(RULE_NAME, { message: 'must be snake_case: a-z, 0-9 and _, starting with a letter, at most 63 characters' });
const RegexSourceSchema = z.union([z.string().min(1), z.instanceof(RegExp)]);

const DetectorTogglesSchema = z
  .object(Object.fromEntries(BUILTIN_DETECTORS.map((n) => [n, z.boolean().default(true)])) as Record<BuiltinDetectorName, z.ZodDefault<z.ZodBoolean>>)
  .strict();

const CustomRuleSchema = z
  .object({
    name: RuleNameSchema,
    /** A regex source string (YAML-friendly) or a RegExp; compiled once, checked for safety. */
    pattern: RegexSourceSchema,
    /** Extra flags for a string pattern: any of i, m, s, u. */
    flags: z.string().regex(/^[imsu]*$/, { message: 'may only contain the flags i, m, s, u' }).optional(),
    /** Literal substrings of which every match contains one; the rule skips strings without any. */
    mustContain: z.array(z.string().min(1)).default([]),
  })
  .strict()
  .superRefine((rule, ctx) => {
    const problem = compileProblem(rule.pattern, rule.flags);
    if (problem) ctx.addIssue({ code: 'custom', path: ['pattern'], message: problem });
  });

const FieldRuleSchema = z
  .object({
    /** Dotted path from the record root; `*` is one segment (key or index), `**` any number. */
    path: z.string().min(1),
    action: z.enum(['drop', 'mask', 'hash']),
    /** Counter and marker name; defaults to `field_<action>`. */
    name: RuleNameSchema.optional(),
  })
  .strict()
  .superRefine((rule, ctx) => {
    const problem = fieldPathProblem(rule.path);
    if (problem) ctx.addIssue({ code: 'custom', path: ['path'], message: problem });
  });

export const RedactionPolicySchema = z
  .object({
    /** Built-in detectors, all on by default; set one to false to turn it off. */
    detectors: DetectorTogglesSchema.prefault({}),
    /** Keep private, loopback and link-local IP addresses (RFC 1918, CGNAT, fc00::/7, fe80::/10) in clear. */
    keepPrivateIps: z.boolean().default(false),
    customRules: z.array(CustomRuleSchema).default([]),
    fieldRules: z.array(FieldRuleSchema).default([]),
    /** HMAC-SHA256 key for `hash` field rules: 16+ characters or bytes. Same key, same hash: joinable. */
    hashKey: z.union([z.string().min(16), z.instanceof(Uint8Array).refine((b) => b.length >= 16, { message: 'must be at least 16 bytes' })]).optional(),
    /** Matches equal to one of these values, or fully matching one of these patterns, are kept. */
    allow: z
      .object({
        values: z.array(z.string()).default([]),
        patterns: z.array(RegexSourceSchema).default([]),
      })
      .strict()
      .prefault({}),
    /** Replacement of a detected value; `{detector}` becomes the detector or rule name. */
    replacement: z.string().min(1).max(64).default('[REDACTED:{detector}]'),
    /** What replaces content that could not be redacted (fail closed). */
    failureMarker: z.string().min(1).max(64).default('[REDACTION_FAILED]'),
    /** Per-record time budget; past it, the fields not yet scanned are replaced by the failure marker. */
    timeBudgetMs: z.number().positive().max(60_000).default(100),
    /** Parse strings that hold a JSON object or array, redact inside, re-serialize. */
    parseJsonStrings: z.boolean().default(true),
    /** Describe failures in the record itself, under metadata["auditrail.redaction"]. */
    annotateFailures: z.boolean().default(true),
  })
  .strict()
  .superRefine((p, ctx) => {
    const seen = new Set<string>(BUILTIN_DETECTORS);
    p.customRules.forEach((r, i) => {
      if (seen.has(r.name)) ctx.addIssue({ code: 'custom', path: ['customRules', i, 'name'], message: `"${r.name}" is already a detector or rule name` });
      seen.add(r.name);
    });
    p.fieldRules.forEach((r, i) => {
      if (r.action === 'hash' && p.hashKey === undefined) ctx.addIssue({ code: 'custom', path: ['fieldRules', i, 'action'], message: 'hash needs hashKey (16+ characters) in the policy' });
    });
    p.allow.patterns.forEach((pattern, i) => {
      const problem = compileProblem(pattern, undefined);
      if (problem) ctx.addIssue({ code: 'custom', path: ['allow', 'patterns', i], message: problem });
    });
  });

export type RedactionPolicyInput = z.input<typeof RedactionPolicySchema>;
export type RedactionPolicy = z.output<typeof RedactionPolicySchema>;

export type FieldAction = 'drop' | 'mask' | 'hash';

export interface ResolvedFieldRule {
  readonly path: string;
  readonly segments: readonly string[];
  readonly action: FieldAction;
  readonly name: string;
}

export interface ResolvedCustomRule {
  readonly name: string;
  readonly regex: RegExp;
  readonly mustContain: readonly string[];
}

/** The validated, compiled, frozen policy a redactor runs with. */
export interface ResolvedPolicy {
  readonly detectors: Readonly<Record<BuiltinDetectorName, boolean>>;
  readonly keepPrivateIps: boolean;
  readonly customRules: readonly ResolvedCustomRule[];
  readonly fieldRules: readonly ResolvedFieldRule[];
  readonly hashKey: string | Uint8Array | undefined;
  readonly allowValues: ReadonlySet<string>;
  readonly allowPatterns: readonly RegExp[];
  readonly replacement: string;
  readonly failureMarker: string;
  readonly timeBudgetMs: number;
  readonly parseJsonStrings: boolean;
  readonly annotateFailures: boolean;
}

function toRegExp(pattern: string | RegExp, flags: string | undefined): RegExp {
  return typeof pattern === 'string' ? new RegExp(pattern, flags ?? '') : new RegExp(pattern.source, pattern.flags.replace(/[gyd]/g, ''));
}

function compileProblem(pattern: string | RegExp, flags: string | undefined): string | undefined {
  try {
    const re = toRegExp(pattern, flags);
    const unsafe = regexSafetyProblem(re.source);
    return unsafe ? `unsafe regex (${unsafe}): it could backtrack catastrophically and cannot be interrupted; rewrite it without nested repetition` : undefined;
  } catch (err) {
    return `does not compile: ${err instanceof Error ? err.message : String(err)}`;
  }
}

/**
 * Validates a redaction policy once, with every problem listed, and compiles it. Throws
 * AUDITRAIL_ERR_OPTIONS_INVALID. The result is frozen.
 */
export function resolvePolicy(input: RedactionPolicyInput = {}): ResolvedPolicy {
  const parsed = RedactionPolicySchema.safeParse(input);
  if (!parsed.success) {
    const issues: ErrorIssue[] = toIssues(parsed.error);
    throw new AuditrailError('OPTIONS_INVALID', `redaction policy: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`, { issues });
  }
  const p = parsed.data;
  return Object.freeze({
    detectors: Object.freeze({ ...p.detectors }),
    keepPrivateIps: p.keepPrivateIps,
    customRules: Object.freeze(p.customRules.map((r) => Object.freeze({ name: r.name, regex: toRegExp(r.pattern, r.flags), mustContain: Object.freeze([...r.mustContain]) }))),
    fieldRules: Object.freeze(
      p.fieldRules.map((r) => Object.freeze({ path: r.path, segments: compileFieldPath(r.path), action: r.action, name: r.name ?? `field_${r.action}` })),
    ),
    hashKey: p.hashKey,
    allowValues: new Set(p.allow.values),
    allowPatterns: Object.freeze(p.allow.patterns.map((pattern) => new RegExp(`^(?:${toRegExp(pattern, undefined).source})$`, toRegExp(pattern, undefined).flags))),
    replacement: p.replacement,
    failureMarker: p.failureMarker,
    timeBudgetMs: p.timeBudgetMs,
    parseJsonStrings: p.parseJsonStrings,
    annotateFailures: p.annotateFailures,
  });
}
