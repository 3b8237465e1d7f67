/**
 * A static check for custom regexes, run once at policy load. A running regex cannot be
 * interrupted in JavaScript, so a pattern that backtracks catastrophically would hold the
 * process however small the time budget; we refuse the shapes that cause it instead:
 * - nested repetition: a group repeated by `*`, `+`, `{n,}` or `{n,m}` with m > 16 that itself
 *   contains such a repetition (`(a+)+`, `(\w+\s?)*`, `(?:x*y)+`) — exponential backtracking;
 * - backreferences (`\1`, `\k<name>`), which cannot run in linear time.
 * Returns the problem, or undefined for a pattern that passes. Not caught (documented):
 * overlapping alternatives under repetition (`(a|a)*`) and polynomial shapes (`.*a.*b.*c`).
 */
export function regexSafetyProblem(source: string): string | undefined {
  if (source.length > 2000) return 'longer than 2000 characters';
  const stack: boolean[] = [false]; // per open group: contains a repetition
  let lastAtomWasGroupWithRepeat = false;
  let i = 0;
  while (i < source.length) {
    const c = source[i]!;
    if (c === '\\') {
      const n = source[i + 1] ?? '';
      if (/[1-9]/.test(n) || n === 'k') return 'uses a backreference';
      i += n === 'u' && source[i + 2] === '{' ? source.indexOf('}', i) + 1 - i : 2;
      lastAtomWasGroupWithRepeat = false;
    } else if (c === '[') {
      i = classEnd(source, i);
      lastAtomWasGroupWithRepeat = false;
    } else if (c === '(') {
      stack.push(false);
      i++;
      lastAtomWasGroupWithRepeat = false;
    } else if (c === ')') {
      const inner = stack.pop() ?? false;
      if (stack.length === 0) return 'has an unbalanced parenthesis';
      if (inner) stack[stack.length - 1] = true;
      lastAtomWasGroupWithRepeat = inner;
      i++;
      continue;
    } else {
      const q = quantifierAt(source, i);
      if (q) {
        if (q.repeats) {
          if (lastAtomWasGroupWithRepeat) return `repeats a group that already repeats (nested quantifier near position ${i})`;
          stack[stack.length - 1] = true;
        }
        i += q.length;
        lastAtomWasGroupWithRepeat = false;
        continue;
      }
      i++;
      lastAtomWasGroupWithRepeat = false;
    }
  }
  return stack.length === 1 ? undefined : 'has an unbalanced parenthesis';
}

function classEnd(source: string, open: number): number {
  let i = open + 1;
  if (source[i] === '^') i++;
  if (source[i] === ']') i++;
  while (i < source.length && source[i] !== ']') i += source[i] === '\\' ? 2 : 1;
  return i + 1;
}

/** A quantifier at i: its length (with a lazy `?`) and whether it repeats more than 16 times. */
function quantifierAt(source: string, i: number): { length: number; repeats: boolean } | undefined {
  const c = source[i];
  let length = 0;
  let repeats = false;
  if (c === '*' || c === '+') {
    length = 1;
    repeats = true;
  } else if (c === '?') {
    length = 1;
  } else if (c === '{') {
    const m = /^\{(\d+)(,(\d*))?\}/.exec(source.slice(i, i + 24));
    if (!m) return undefined;
    length = m[0].length;
    const max = m[2] === undefined ? Number(m[1]) : m[3] === '' ? Infinity : Number(m[3]);
    repeats = max > 16;
  } else return undefined;
  if (source[i + length] === '?') length++;
  return { length, repeats };
}
