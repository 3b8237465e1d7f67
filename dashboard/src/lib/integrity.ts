import type { JsonObject } from '../api/types.js';

/**
 * Reads verify and checkpoint answers loosely: their exact shape belongs to the integrity work, so
 * the dashboard looks for the usual names and always shows the raw answer too.
 */
export function checkpointList(body: unknown): JsonObject[] {
  const list = Array.isArray(body) ? body : isObject(body) ? (body.items ?? body.checkpoints ?? body.rows) : undefined;
  if (Array.isArray(list)) return list.filter(isObject);
  return isObject(body) && isObject(body.last) ? [body.last] : [];
}

/** The most recent checkpoint, by sequence or time. */
export function latestCheckpoint(list: readonly JsonObject[]): JsonObject | undefined {
  const seq = (c: JsonObject) => Number(c.toSeq ?? c.sequence ?? c.seq ?? NaN);
  const time = (c: JsonObject) => {
    const t = c.createdAt ?? c.timestamp ?? c.time ?? c.timeMs;
    return typeof t === 'string' ? Date.parse(t) : typeof t === 'number' ? t : NaN;
  };
  return [...list].sort((a, b) => orZero(seq(b) - seq(a)) || orZero(time(b) - time(a)))[0];
}

export type VerifyOutcome = 'passed' | 'failed' | 'unknown';

export function verifyOutcome(result: JsonObject): VerifyOutcome {
  const v = result.ok ?? result.valid ?? result.passed ?? result.verified;
  if (v === true) return 'passed';
  if (v === false) return 'failed';
  if (typeof result.status === 'string') return /^(ok|passed|valid)$/i.test(result.status) ? 'passed' : /fail|invalid|broken/i.test(result.status) ? 'failed' : 'unknown';
  return 'unknown';
}

export function verifyProblems(result: JsonObject): unknown[] {
  const p = result.findings ?? result.problems ?? result.errors ?? result.issues ?? result.failures;
  return Array.isArray(p) ? p : [];
}

/** A finding as one line: `[severity] kind: message` when it has those, else its JSON. */
export function describeProblem(p: unknown): string {
  if (isObject(p) && typeof p.message === 'string') {
    const tag = [p.severity, p.kind].filter((x): x is string => typeof x === 'string');
    return tag.length > 0 ? `[${tag.join('] ')}: ${p.message}` : p.message;
  }
  return typeof p === 'string' ? p : JSON.stringify(p);
}

/** A progress fraction from a progress line ({ checked, total } or { done, total }), or null. */
export function progressFraction(p: JsonObject): number | null {
  const records = isObject(p.records) ? p.records : {};
  const done = Number(p.checked ?? p.done ?? records.checked ?? NaN);
  const total = Number(p.total ?? NaN);
  return Number.isFinite(done) && Number.isFinite(total) && total > 0 ? Math.min(1, done / total) : null;
}

function orZero(n: number): number {
  return Number.isNaN(n) ? 0 : n;
}

function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
