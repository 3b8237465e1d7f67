import { AuditrailError, LIMITS } from '../core/index.js';

export interface JsonLimits {
  /** Deepest nesting; the record itself is level 1 (as the server counts). */
  readonly maxDepth: number;
  /** Longest string, value or key, in UTF-16 code units. */
  readonly maxStringLength: number;
}

const DEFAULT_LIMITS: JsonLimits = { maxDepth: LIMITS.maxDepth, maxStringLength: LIMITS.maxStringLength };

/**
 * Finds the first value of a validated record that JSON cannot carry, or that the server would
 * refuse for the whole request: a BigInt, a function or symbol value, a cycle, nesting beyond
 * maxDepth, a string (or key) beyond maxStringLength, a `__proto__` key or a `constructor` holding
 * `prototype`. The schema lets `actionParams`, `metadata` and tool inputs hold anything, so
 * without this walk one such record would fail its whole batch at export (JSON.stringify throws,
 * or the server answers 413/422/400 for the request). Returns the error naming the field, or
 * undefined when the record is safe. Recursion is bounded by maxDepth.
 */
export function findJsonHazard(record: unknown, limits: JsonLimits = DEFAULT_LIMITS): AuditrailError | undefined {
  return walk(record, 1, '', new Set<object>(), limits);
}

function walk(v: unknown, depth: number, path: string, ancestors: Set<object>, limits: JsonLimits): AuditrailError | undefined {
  switch (typeof v) {
    case 'string':
      return v.length > limits.maxStringLength
        ? hazard('RECORD_TOO_LARGE', path, `a string of ${v.length} characters; at most ${limits.maxStringLength}`)
        : undefined;
    case 'bigint':
      return hazard('RECORD_INVALID', path, 'a BigInt, which JSON cannot carry; convert it to a string or a number');
    case 'function':
      return hazard('RECORD_INVALID', path, 'a function, which JSON cannot carry');
    case 'symbol':
      return hazard('RECORD_INVALID', path, 'a symbol, which JSON cannot carry');
    case 'object':
      break;
    default:
      return undefined;
  }
  if (v === null) return undefined;
  if (depth > limits.maxDepth) return hazard('RECORD_TOO_DEEP', path, `nested deeper than ${limits.maxDepth} levels`);
  if (ancestors.has(v)) return hazard('RECORD_INVALID', path, 'a circular reference, which JSON cannot carry');
  // Dates and other objects with toJSON serialize as their toJSON() value: no need to walk them.
  if (typeof (v as { toJSON?: unknown }).toJSON === 'function') return undefined;
  ancestors.add(v);
  try {
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        const found = walk(v[i], depth + 1, join(path, String(i)), ancestors, limits);
        if (found) return found;
      }
      return undefined;
    }
    for (const key of Object.keys(v)) {
      const child = (v as Record<string, unknown>)[key];
      const at = join(path, key);
      if (key === '__proto__' || (key === 'constructor' && typeof child === 'object' && child !== null && Object.hasOwn(child, 'prototype'))) {
        return hazard('BODY_FORBIDDEN_KEY', at, `the key "${key}" is refused (it could pollute object prototypes)`);
      }
      if (key.length > limits.maxStringLength) return hazard('RECORD_TOO_LARGE', at, `a key of ${key.length} characters`);
      const found = walk(child, depth + 1, at, ancestors, limits);
      if (found) return found;
    }
    return undefined;
  } finally {
    ancestors.delete(v);
  }
}

function join(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}

function hazard(name: 'RECORD_INVALID' | 'RECORD_TOO_LARGE' | 'RECORD_TOO_DEEP' | 'BODY_FORBIDDEN_KEY', path: string, problem: string): AuditrailError {
  const at = path === '' ? '(root)' : path;
  return new AuditrailError(name, `${at}: ${problem}`, { issues: [{ path: at, message: problem }] });
}
