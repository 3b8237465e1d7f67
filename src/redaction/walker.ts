import { LIMITS } from '../core/limits.js';
import type { AuditRecord } from '../core/record.js';
import type { RedactionFailure } from '../core/redactor.js';
import { isPlaceholder } from './detectors/placeholder.js';
import { isSecretKey } from './detectors/secret-assignment.js';
import { matchedRule, NO_STATES, rootStates, stepStates, type PathStates } from './field-path.js';
import type { ResolvedPolicy } from './policy.js';
import { ScanAbort, tallyAdd, type Scanner, type Tally } from './scanner.js';

/**
 * How each field of a record is treated. `text` and `json` are scanned (free text, and any JSON
 * value: params, metadata, tool input/output); `id` fields (who, which agent, which model) are
 * only touched by field rules; fields not listed (ids of the record, timestamps, enums, numbers,
 * usage, metrics) are never touched.
 */
type Slot = 'text' | 'required-text' | 'json' | 'id' | 'required-id';
type FieldSpec = Slot | { readonly items: Readonly<Record<string, Slot>> };

const EVENT_FIELDS: Readonly<Record<string, FieldSpec>> = {
  userId: 'required-id',
  agentId: 'required-id',
  sessionId: 'required-id',
  actionId: 'required-id',
  actionName: 'required-id',
  capabilityType: 'id',
  capabilitySource: 'id',
  capabilityVersion: 'id',
  mcpServerId: 'id',
  mcpServerName: 'id',
  approver: 'id',
  actionParams: 'json',
  reason: 'text',
  errorMessage: 'text',
  metadata: 'json',
};

const INTERACTION_FIELDS: Readonly<Record<string, FieldSpec>> = {
  sessionId: 'required-id',
  userId: 'id',
  agentId: 'id',
  clientIp: 'id',
  model: 'required-id',
  provider: 'id',
  cluster: 'id',
  userAgent: 'text',
  baseUrl: 'text',
  question: 'required-text',
  thoughts: { items: { content: 'required-text' } },
  toolCalls: { items: { name: 'required-id', actionId: 'id', input: 'json', observation: 'json', errorMessage: 'text' } },
  finalAnswer: 'text',
  errorMessage: 'text',
  metadata: 'json',
};

const MAX_LENGTH: Readonly<Record<string, number>> = { userAgent: 4096, baseUrl: 4096 };
/** JSON inside a string inside JSON...: parsed this many levels deep, then scanned as text. */
const MAX_JSON_STRING_DEPTH = 8;
const MAX_FAILURES_LISTED = 100;
const DROP: unique symbol = Symbol('drop');
type Visited = unknown;

export interface WalkResult {
  readonly record: AuditRecord;
  readonly counts: Readonly<Record<string, number>> | null;
  readonly failures: readonly RedactionFailure[] | null;
}

export interface WalkerOptions {
  readonly scanner: Scanner;
  readonly policy: ResolvedPolicy;
  readonly hash: ((value: unknown) => string) | undefined;
  readonly now: () => number;
}

interface Walk extends Tally {
  readonly deadline: number;
  strings: number;
  exhausted: boolean;
  failures: RedactionFailure[] | null;
  readonly path: (string | number)[];
}

/** The record walker: copy-on-write, so the input is never mutated and unchanged parts are shared. */
export function createWalker(options: WalkerOptions): (record: AuditRecord) => WalkResult {
  const { scanner, policy, hash, now } = options;
  const rules = policy.fieldRules.map((r) => r.segments);
  const root = rootStates(rules);
  const secretKeys = policy.detectors.secret_assignment;
  const marker = policy.failureMarker;

  function fail(w: Walk, reason: RedactionFailure['reason'], detector?: string): string {
    if (reason === 'time_budget_exceeded') w.exhausted = true;
    const failures = (w.failures ??= []);
    if (failures.length < MAX_FAILURES_LISTED) failures.push(detector ? { path: w.path.join('.'), reason, detector } : { path: w.path.join('.'), reason });
    return marker;
  }

  function step(states: PathStates, key: string | number): PathStates {
    return states.length === 0 ? NO_STATES : stepStates(rules, states, String(key));
  }

  /** Applies the field rule that ends here, if any; `undefined` when none does. */
  function applyRule(states: PathStates, value: unknown, w: Walk): Visited {
    if (states.length === 0 || value === null || value === undefined) return undefined;
    const r = matchedRule(rules, states);
    if (r === -1) return undefined;
    const rule = policy.fieldRules[r]!;
    tallyAdd(w, rule.name);
    if (rule.action === 'drop') return DROP;
    if (rule.action === 'hash') return hash!(value);
    return scanner.marker(rule.name);
  }

  function visitString(s: string, states: PathStates, w: Walk, depth: number): Visited {
    // the scanner checks the clock after every detector that runs; strings where none runs are
    // cheap, so the walk itself looks at the clock only every 32 strings
    if (w.exhausted || ((++w.strings & 31) === 0 && now() > w.deadline)) return fail(w, 'time_budget_exceeded');
    if (policy.parseJsonStrings && depth < MAX_JSON_STRING_DEPTH && looksLikeJson(s)) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(s);
      } catch {
        parsed = undefined;
      }
      if (typeof parsed === 'object' && parsed !== null) {
        const out = visitJson(parsed, states, w, depth + 1);
        return out === parsed ? s : JSON.stringify(out, null, s.includes('\n') ? 2 : undefined);
      }
    }
    try {
      return scanner.scan(s, w, w.deadline);
    } catch (err) {
      return err instanceof ScanAbort ? fail(w, err.reason, err.detector) : fail(w, 'unexpected_error');
    }
  }

  function visitJson(v: unknown, states: PathStates, w: Walk, depth: number): Visited {
    if (typeof v === 'string') return visitString(v, states, w, depth);
    if (typeof v === 'number') return Number.isInteger(v) && Math.abs(v) >= 1e10 ? visitLongNumber(v, w) : v;
    if (typeof v !== 'object' || v === null) return v;
    return Array.isArray(v) ? visitArray(v, states, w, depth) : visitObject(v as Record<string, unknown>, states, w, depth);
  }

  /** An integer of 11+ digits may be a phone, card or id number sent as a JSON number. */
  function visitLongNumber(v: number, w: Walk): Visited {
    if (w.exhausted) return fail(w, 'time_budget_exceeded');
    const s = String(v);
    try {
      const out = scanner.scan(s, w, w.deadline);
      return out === s ? v : out;
    } catch (err) {
      return err instanceof ScanAbort ? fail(w, err.reason, err.detector) : fail(w, 'unexpected_error');
    }
  }

  function visitArray(arr: readonly unknown[], states: PathStates, w: Walk, depth: number): Visited {
    let out: unknown[] | undefined;
    for (let i = 0; i < arr.length; i++) {
      const v = arr[i];
      w.path.push(i);
      const childStates = step(states, i);
      const ruled = applyRule(childStates, v, w);
      const nv = ruled !== undefined ? ruled : visitJson(v, childStates, w, depth);
      w.path.pop();
      if (nv !== v && out === undefined) out = arr.slice(0, i);
      if (out !== undefined && nv !== DROP) out.push(nv);
    }
    return out ?? arr;
  }

  function visitObject(obj: Record<string, unknown>, states: PathStates, w: Walk, depth: number): Visited {
    let out: Record<string, unknown> | undefined;
    for (const key in obj) {
      if (!Object.hasOwn(obj, key)) continue;
      const v = obj[key];
      w.path.push(key);
      const childStates = step(states, key);
      const ruled = applyRule(childStates, v, w);
      let nv: Visited;
      if (ruled !== undefined) nv = ruled;
      else if (secretKeys && (typeof v === 'string' || typeof v === 'number') && isSecretKey(key)) nv = secretValue(key, v, w);
      else nv = visitJson(v, childStates, w, depth);
      w.path.pop();
      if (nv === v) continue;
      out ??= { ...obj };
      if (nv === DROP) delete out[key];
      else out[key] = nv;
    }
    return out ?? obj;
  }

  /** The whole value of a key that names a secret, labelled by the detector that recognizes it. */
  function secretValue(key: string, v: string | number, w: Walk): Visited {
    if (w.exhausted) return fail(w, 'time_budget_exceeded');
    const text = String(v);
    if (isPlaceholder(text) || policy.allowValues.has(text) || policy.allowPatterns.some((p) => p.test(text))) return v;
    let label: string;
    try {
      label = /secret_?access_?key/i.test(key) && /^[A-Za-z0-9/+]{40}$/.test(text) ? 'aws_secret_access_key' : scanner.firstDetector(text) ?? 'secret_assignment';
    } catch (err) {
      return err instanceof ScanAbort ? fail(w, err.reason, err.detector) : fail(w, 'unexpected_error');
    }
    tallyAdd(w, label);
    return scanner.marker(label);
  }

  function visitField(key: string, slot: Slot, value: unknown, states: PathStates, w: Walk, inItem: boolean): Visited {
    const ruled = applyRule(states, value, w);
    if (ruled === DROP) {
      if (slot === 'required-text') return '';
      if (slot === 'required-id') return scanner.marker(policy.fieldRules[matchedRule(rules, states)]!.name);
      if (slot === 'json') return inItem ? DROP : {};
      return null;
    }
    if (ruled !== undefined) return ruled;
    if (slot === 'id' || slot === 'required-id') return value;
    // a text field holding something else (an unvalidated record) is still scanned, as JSON
    if (slot === 'json' || typeof value !== 'string') return visitJson(value, states, w, 0);
    const out = visitString(value, states, w, 0);
    const max = MAX_LENGTH[key] ?? LIMITS.maxStringLength;
    return typeof out === 'string' && out.length > max ? out.slice(0, max) : out;
  }

  function visitItems(items: readonly unknown[], spec: Readonly<Record<string, Slot>>, states: PathStates, w: Walk): Visited {
    let out: unknown[] | undefined;
    for (let i = 0; i < items.length; i++) {
      const item = items[i];
      let nItem = item;
      if (typeof item === 'object' && item !== null) {
        w.path.push(i);
        const itemStates = step(states, i);
        let copy: Record<string, unknown> | undefined;
        for (const key in spec) {
          const v = (item as Record<string, unknown>)[key];
          if (v === undefined || v === null) continue;
          w.path.push(key);
          const nv = visitField(key, spec[key]!, v, step(itemStates, key), w, true);
          w.path.pop();
          if (nv === v) continue;
          copy ??= { ...(item as Record<string, unknown>) };
          if (nv === DROP) delete copy[key];
          else copy[key] = nv;
        }
        w.path.pop();
        if (copy) nItem = copy;
      } else if (item !== undefined && item !== null) {
        // not an object (an unvalidated record): scan it like any JSON value rather than pass it through
        w.path.push(i);
        nItem = visitJson(item, NO_STATES, w, 0);
        w.path.pop();
      }
      if (nItem !== item && out === undefined) out = items.slice(0, i);
      if (out !== undefined) out.push(nItem);
    }
    return out ?? items;
  }

  return function walk(record: AuditRecord): WalkResult {
    const spec = record.kind === 'event' ? EVENT_FIELDS : INTERACTION_FIELDS;
    const w: Walk = { counts: null, failures: null, exhausted: false, deadline: now() + policy.timeBudgetMs, strings: 0, path: [] };
    const src = record as unknown as Record<string, unknown>;
    let out: Record<string, unknown> | undefined;
    for (const key in spec) {
      const value = src[key];
      if (value === undefined || value === null) continue;
      const fieldSpec = spec[key]!;
      w.path.push(key);
      const states = step(root, key);
      const nv = typeof fieldSpec === 'object' ? visitItems(value as unknown[], fieldSpec.items, states, w) : visitField(key, fieldSpec, value, states, w, false);
      w.path.pop();
      if (nv === value) continue;
      out ??= { ...src };
      out[key] = nv;
    }
    return { record: (out ?? src) as unknown as AuditRecord, counts: w.counts, failures: w.failures };
  };
}

/** `{…}` or `[…]` around the content, ignoring surrounding whitespace. */
function looksLikeJson(s: string): boolean {
  let i = 0;
  let j = s.length - 1;
  while (i < j && s.charCodeAt(i) <= 32) i++;
  while (j > i && s.charCodeAt(j) <= 32) j--;
  if (j - i < 1) return false;
  const a = s.charCodeAt(i);
  const b = s.charCodeAt(j);
  return (a === 123 && b === 125) || (a === 91 && b === 93);
}

/** Fallback when the walk itself failed: every free-text and JSON field becomes the failure marker. */
export function failWholeRecord(record: AuditRecord, marker: string): AuditRecord {
  const spec = record.kind === 'event' ? EVENT_FIELDS : INTERACTION_FIELDS;
  const out: Record<string, unknown> = { ...(record as unknown as Record<string, unknown>) };
  for (const key in spec) {
    const s = spec[key]!;
    const v = out[key];
    if (v === undefined || v === null) continue;
    if (typeof s === 'object') {
      out[key] = (v as Record<string, unknown>[]).map((item) => {
        const copy = { ...item };
        for (const k in s.items) if (copy[k] !== undefined && copy[k] !== null && (s.items[k] === 'json' || s.items[k]!.endsWith('text'))) copy[k] = marker;
        return copy;
      });
    } else if (s === 'json') out[key] = {};
    else if (s.endsWith('text')) out[key] = marker;
  }
  return out as unknown as AuditRecord;
}
