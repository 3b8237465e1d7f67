/**
 * Field paths of field rules: dotted segments from the record root, `*` for exactly one segment
 * (an object key or an array index), `**` for any number of segments, e.g.
 * `toolCalls.*.input.password`, `metadata.customer.email`, `**.ssn`. A JSON string is transparent:
 * `toolCalls.*.input.password` also reaches into an input sent as a JSON text.
 *
 * Matching runs as a small NFA over the path being walked: each state is (rule, position), so
 * a walk with no rules carries an empty state list and costs nothing.
 */

/** Structural fields no rule may target: identity, time, enums, numbers. Rules naming them are refused. */
const PROTECTED_ROOTS = new Set([
  'kind',
  'eventId',
  'interactionId',
  'eventType',
  'timestamp',
  'orgId',
  'status',
  'severity',
  'requiresApproval',
  'approvalGranted',
  'success',
  'durationMs',
  'totalDurationMs',
  'assistantDurationMs',
  'parseDurationMs',
  'metrics',
  'usage',
]);
const PROTECTED_THOUGHT = new Set(['sequence', 'timestamp']);
const PROTECTED_TOOL_CALL = new Set(['sequence', 'durationMs', 'startedAt', 'status']);
const MAX_SEGMENTS = 64;

export function compileFieldPath(path: string): readonly string[] {
  return Object.freeze(path.split('.'));
}

/** Why a path cannot be a rule's path, or undefined. */
export function fieldPathProblem(path: string): string | undefined {
  const segs = path.split('.');
  if (segs.some((s) => s.length === 0)) return 'has an empty segment (write a.b.c, * for one segment, ** for any)';
  if (segs.length > MAX_SEGMENTS) return `has more than ${MAX_SEGMENTS} segments`;
  const [root, , child] = segs;
  if (PROTECTED_ROOTS.has(root!)) return `"${root!}" is structural (id, time, enum or number) and cannot be dropped, masked or hashed`;
  if ((root === 'thoughts' || root === 'toolCalls') && segs.length <= 2) return `${root} is a list: target a field of each item, e.g. ${root === 'thoughts' ? 'thoughts.*.content' : 'toolCalls.*.input'}`;
  if (root === 'thoughts' && child !== undefined && PROTECTED_THOUGHT.has(child)) return `thoughts.*.${child} is structural; rules may target thoughts.*.content`;
  if (root === 'toolCalls' && child !== undefined && PROTECTED_TOOL_CALL.has(child)) return `toolCalls.*.${child} is structural and cannot be dropped, masked or hashed`;
  return undefined;
}

/** NFA states: rule index * 128 + position in the rule's segments. */
export type PathStates = readonly number[];
export const NO_STATES: PathStates = Object.freeze([]);

function addClosure(rules: readonly (readonly string[])[], out: number[], rule: number, pos: number): void {
  const state = rule * 128 + pos;
  if (out.includes(state)) return;
  out.push(state);
  if (rules[rule]![pos] === '**') addClosure(rules, out, rule, pos + 1);
}

/** States at the record root. */
export function rootStates(rules: readonly (readonly string[])[]): PathStates {
  if (rules.length === 0) return NO_STATES;
  const out: number[] = [];
  for (let r = 0; r < rules.length; r++) addClosure(rules, out, r, 0);
  return out;
}

/** States after stepping into `key` (an object key or an array index as text). */
export function stepStates(rules: readonly (readonly string[])[], states: PathStates, key: string): PathStates {
  if (states.length === 0) return NO_STATES;
  let out: number[] | undefined;
  for (const state of states) {
    const rule = state >> 7;
    const pos = state & 127;
    const seg = rules[rule]![pos];
    if (seg === undefined) continue;
    if (seg === '**') addClosure(rules, (out ??= []), rule, pos);
    else if (seg === '*' || seg === key) addClosure(rules, (out ??= []), rule, pos + 1);
  }
  return out ?? NO_STATES;
}

/** The first rule (in policy order) whose whole path ends at this node, or -1. */
export function matchedRule(rules: readonly (readonly string[])[], states: PathStates): number {
  let best = -1;
  for (const state of states) {
    const rule = state >> 7;
    if ((state & 127) === rules[rule]!.length && (best === -1 || rule < best)) best = rule;
  }
  return best;
}
