import { AuditrailError } from '../../core/errors.js';

export interface ValueLimits {
  /** Deepest nesting; the record itself is level 1. */
  readonly maxDepth: number;
  /** Longest string (values and keys), in UTF-16 code units. */
  readonly maxStringLength: number;
}

/**
 * Walks a parsed record once, without recursion (a hostile body may be nested a million levels):
 * refuses nesting beyond maxDepth, strings longer than maxStringLength, and the keys that can
 * pollute prototypes when an object is later merged: `__proto__` anywhere, and `constructor`
 * holding a `prototype` (the same rule as fastify's secure-json-parse). JSON.parse itself stores
 * `__proto__` as a plain own property, so nothing is polluted before this check refuses it.
 * Throws the AuditrailError of the first violation, its path prefixed by `path`.
 */
export function inspectValue(value: unknown, limits: ValueLimits, path: string): void {
  const stack: { v: unknown; depth: number; path: string }[] = [{ v: value, depth: 1, path }];
  while (stack.length > 0) {
    const { v, depth, path: at } = stack.pop()!;
    if (typeof v === 'string') {
      if (v.length > limits.maxStringLength) {
        throw new AuditrailError('RECORD_TOO_LARGE', `${at}: a string of ${v.length} characters; at most ${limits.maxStringLength} (limits.max_string_length)`, {
          issues: [{ path: at, message: `longer than ${limits.maxStringLength} characters` }],
        });
      }
      continue;
    }
    if (typeof v !== 'object' || v === null) continue;
    if (depth > limits.maxDepth) {
      throw new AuditrailError('RECORD_TOO_DEEP', `${at}: nested deeper than ${limits.maxDepth} levels (limits.max_depth)`, {
        issues: [{ path: at, message: `deeper than ${limits.maxDepth} levels` }],
      });
    }
    if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push({ v: v[i], depth: depth + 1, path: `${at}.${i}` });
      continue;
    }
    for (const key of Object.keys(v)) {
      const child = (v as Record<string, unknown>)[key];
      const keyPath = `${at}.${key}`;
      if (key === '__proto__' || (key === 'constructor' && typeof child === 'object' && child !== null && Object.hasOwn(child, 'prototype'))) {
        throw new AuditrailError('BODY_FORBIDDEN_KEY', `${keyPath}: the key "${key}" is refused`, { issues: [{ path: keyPath, message: 'forbidden key' }] });
      }
      if (key.length > limits.maxStringLength) {
        throw new AuditrailError('RECORD_TOO_LARGE', `${at}: a key of ${key.length} characters`, { issues: [{ path: at, message: 'key too long' }] });
      }
      stack.push({ v: child, depth: depth + 1, path: keyPath });
    }
  }
}
