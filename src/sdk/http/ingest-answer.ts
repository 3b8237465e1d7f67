import { recordId, type AuditRecord, type RejectedRecord } from '../../core/index.js';

/**
 * The records a 200 answer of POST /v1/events refused one by one (docs/api.md: one result per
 * record, in request order). `accepted` and `duplicate` are both stored; only `rejected` ones are
 * listed. An answer that cannot be read still means the batch was processed: nothing is listed.
 */
export function rejectedFromAnswer(body: string, records: readonly AuditRecord[]): RejectedRecord[] {
  let results: unknown;
  try {
    results = (JSON.parse(body) as { results?: unknown } | null)?.results;
  } catch {
    return [];
  }
  if (!Array.isArray(results)) return [];
  const rejected: RejectedRecord[] = [];
  for (const r of results as unknown[]) {
    if (typeof r !== 'object' || r === null) continue;
    const { status, index, id, code, message } = r as Record<string, unknown>;
    if (status !== 'rejected') continue;
    const sent = typeof index === 'number' ? records[index] : undefined;
    const theId = typeof id === 'string' ? id : sent === undefined ? '(unknown)' : recordId(sent);
    rejected.push({ id: theId, code: typeof code === 'string' ? code : 'AUDITRAIL_ERR_RECORD_INVALID', message: typeof message === 'string' ? message : 'rejected by the server' });
  }
  return rejected;
}
