import type { AuditQuery } from '../../core/query.js';
import type { Params } from './params.js';
import { encodeText } from './text-codec.js';

/**
 * Full-text search semantics (the reference is core's matchesSearch): every whitespace-separated
 * term must occur, case-insensitively, as a substring of the question or the final answer.
 *
 * The exact predicate is checked on interactions. The trigram index on interaction_search.doc
 * only narrows the candidates: a term of 3+ characters as '%term%', a two-character CJK term as
 * the bigram word '% 集群 %' (see auditrail_search_doc in 0002_search.sql). Shorter terms cannot
 * narrow anything and are checked on the rows alone.
 */
const CJK = /^[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]{2}$/;

export function searchTerms(search: string): string[] {
  return search.split(/\s+/).filter(Boolean);
}

function likeEscape(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** LIKE patterns over interaction_search.doc, one per term that can use the index. */
export function searchPatterns(terms: readonly string[]): string[] {
  const out: string[] = [];
  for (const t of terms) {
    const chars = [...t];
    if (chars.length >= 3) out.push(`%${likeEscape(t)}%`);
    else if (CJK.test(t)) out.push(`% ${t} %`);
  }
  return out;
}

/** The exact condition on interactions (alias i), one strpos per term. */
export function searchExactConditions(terms: readonly string[], p: Params, a = 'i'): string[] {
  const hay = `lower(${a}.question || E'\\n' || coalesce(${a}.final_answer, ''))`;
  return terms.map((t) => `strpos(${hay}, lower(${p.add(encodeText(t))})) > 0`);
}

/**
 * The candidate condition: (interaction_id, created_at) among the indexed documents matching
 * every pattern, or still waiting in search_pending. Narrowed by org and time like the query.
 */
export function searchCandidateCondition(q: AuditQuery, patterns: readonly string[], p: Params, a = 'i', bound?: { op: '<=' | '>='; t: string }): string {
  const scope = (alias: string): string[] => {
    const w: string[] = [];
    if (q.orgId !== undefined) w.push(`${alias}.org_id = ${p.add(encodeText(q.orgId))}`);
    if (q.from !== undefined) w.push(`${alias}.created_at >= ${p.add(q.from)}::timestamptz`);
    if (q.to !== undefined) w.push(`${alias}.created_at < ${p.add(q.to)}::timestamptz`);
    if (bound !== undefined) w.push(`${alias}.created_at ${bound.op} ${p.add(bound.t)}::timestamptz`);
    return w;
  };
  const indexed = [...patterns.map((pat) => `s.doc LIKE lower(${p.add(pat)})`), ...scope('s')];
  const pending = scope('p');
  return `(${a}.interaction_id, ${a}.created_at) IN (
    SELECT s.interaction_id, s.created_at FROM interaction_search s WHERE ${indexed.join(' AND ')}
    UNION ALL
    SELECT p.interaction_id, p.created_at FROM search_pending p${pending.length > 0 ? ` WHERE ${pending.join(' AND ')}` : ''})`;
}
