import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Interaction } from '../../../src/core/interaction.js';
import { INTERACTION_DATA_COLUMNS, METRIC_COLUMNS, SEARCH_PENDING_COLUMNS, THOUGHT_COLUMNS, TOOL_CALL_COLUMNS } from '../../../src/storage/sql/columns.js';
import { buildCopyPayloads } from '../../../src/storage/sql/copy-rows.js';

/**
 * The ceiling of the write benchmark: the rows the storage writes for these interactions, as
 * COPY text files, and a psql script that loads them all with \copy in one transaction.
 */
export async function writeCopyFiles(dir: string, interactions: readonly Interaction[]): Promise<string> {
  const p = buildCopyPayloads(interactions, []);
  const ids = interactions.map((i) => `${i.interactionId}\t${i.orgId}\ti\t${i.timestamp}`).join('\n') + '\n';
  const sessions = new Map<string, { org: string; session: string; user: string; ip: string; agent: string; first: string; last: string; n: number }>();
  for (const i of interactions) {
    const key = `${i.orgId}/${i.sessionId}`;
    const s = sessions.get(key);
    if (s) {
      s.n++;
      if (i.timestamp > s.last) s.last = i.timestamp;
    } else sessions.set(key, { org: i.orgId, session: i.sessionId, user: i.userId ?? '', ip: i.clientIp ?? '', agent: i.userAgent ?? '', first: i.timestamp, last: i.timestamp, n: 1 });
  }
  const sess = [...sessions.values()].map((s) => [s.org, s.session, s.user, s.ip, s.agent, s.first, s.last, s.n].join('\t')).join('\n') + '\n';
  const files: [string, string, readonly string[], string][] = [
    ['record_ids', 'record_ids.tsv', ['id', 'org_id', 'kind', 'created_at'], ids],
    ['interactions', 'interactions.tsv', INTERACTION_DATA_COLUMNS, p.interactions],
    ['thoughts', 'thoughts.tsv', THOUGHT_COLUMNS, p.thoughts],
    ['tool_calls', 'tool_calls.tsv', TOOL_CALL_COLUMNS, p.toolCalls],
    ['performance_metrics', 'metrics.tsv', METRIC_COLUMNS, p.metrics],
    ['search_pending', 'search_pending.tsv', SEARCH_PENDING_COLUMNS, p.searchPending],
    ['sessions', 'sessions.tsv', ['org_id', 'session_id', 'user_id', 'client_ip', 'user_agent', 'first_seen', 'last_seen', 'interaction_count'], sess],
  ];
  const script = ['\\set ON_ERROR_STOP 1', 'BEGIN;'];
  for (const [table, file, columns, text] of files) {
    await writeFile(join(dir, file), text);
    script.push(`\\copy ${table} (${columns.join(', ')}) from '${join(dir, file)}'`);
  }
  script.push('COMMIT;');
  const scriptPath = join(dir, 'load.sql');
  await writeFile(scriptPath, script.join('\n') + '\n');
  return scriptPath;
}
