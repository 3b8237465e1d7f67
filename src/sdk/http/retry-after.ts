/**
 * Milliseconds to wait from a `Retry-After` header (RFC 9110 §10.2.3): either delay-seconds or
 * an HTTP date. Undefined when the header is absent or unreadable; a date in the past is 0.
 */
export function parseRetryAfter(value: string | null | undefined, nowMs: number = Date.now()): number | undefined {
  if (value === null || value === undefined) return undefined;
  const text = value.trim();
  if (text === '') return undefined;
  if (/^\d+$/.test(text)) return Number(text) * 1_000;
  // an HTTP date names its day and month; anything else (e.g. "-1", which Date.parse reads as a year) is not one
  if (!/[a-z]/i.test(text)) return undefined;
  const at = Date.parse(text);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - nowMs);
}
