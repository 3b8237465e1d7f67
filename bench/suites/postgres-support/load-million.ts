import type { SqlDriver, SqlExecutor } from '../../../src/storage/sql/sql-driver.js';

/**
 * Builds the query benchmark's data set with set-based SQL (generate_series), not through the
 * API: `n` interactions over 30 days from 2026-02-01 (2 thoughts, 3 tool calls, 3 metrics each),
 * 5 orgs, sessions of 10 interactions, 3 models; one question in ten in Chinese (集群, nginx);
 * every question carries 'incident-<g % 20000>' (a rare term: n/20000 rows each). Secondary
 * indexes are dropped during the load and rebuilt after it, then everything is analyzed.
 */
export const DATA_START = '2026-02-01T00:00:00Z';
export const DATA_DAYS = 30;

const PARENTS = ['interactions', 'thoughts', 'tool_calls', 'performance_metrics', 'events', 'interaction_search'];

export async function loadMillion(driver: SqlDriver, n: number, log: (m: string) => void): Promise<void> {
  // One connection, one transaction: the session setting holds for the index builds.
  await driver.transaction((tx) => load(tx, n, log));
}

async function load(driver: SqlExecutor, n: number, log: (m: string) => void): Promise<void> {
  const step = (DATA_DAYS * 86_400) / n;
  const days = Array.from({ length: DATA_DAYS + 1 }, (_, k) => new Date(Date.parse(DATA_START) + k * 86_400_000).toISOString().slice(0, 10));
  await driver.query('SELECT auditrail_ensure_partitions($1::date[])', [days]);
  const defs = await driver.query<{ indexname: string; indexdef: string }>(
    `SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() AND tablename = ANY($1::text[]) AND indexname NOT LIKE '%_pkey'`,
    [PARENTS],
  );
  for (const d of defs) await driver.exec(`DROP INDEX ${d.indexname}`);
  const t0 = Date.now();
  const lap = (what: string) => log(`  load: ${what} (${((Date.now() - t0) / 1000).toFixed(0)} s)`);
  await driver.exec(`SET LOCAL maintenance_work_mem = '256MB'`);
  await driver.exec(`
    INSERT INTO interactions (interaction_id, org_id, created_at, session_id, user_id, agent_id, client_ip, user_agent, question, model_name,
      provider, base_url, cluster, final_answer, status, error_message, total_duration_ms, assistant_duration_ms, parse_duration_ms, usage, metadata)
    SELECT (lpad(to_hex((extract(epoch FROM ts) * 1000)::bigint), 12, '0') || '7' || substr(h, 1, 3) || '8' || substr(h, 4, 15))::uuid,
      'org-' || ((g / 10) % 5), ts, 'session-' || (g / 10), 'user-' || ((g / 10) % 997), 'agent-' || (g % 3), '10.0.' || (g % 250) || '.' || (g % 200),
      'OpsAgent-CLI/2.3',
      CASE WHEN g % 10 = 0 THEN 'prod-bj 集群里 nginx 的 Pod 为什么一直重启？事件 incident-' || (g % 20000)
           WHEN g % 10 < 4 THEN 'Why is pod payments-api-' || substr(h, 20, 5) || ' restarting in namespace prod? incident-' || (g % 20000)
           WHEN g % 10 < 7 THEN 'Show CPU usage of node worker-' || (g % 50) || ' over the last hour, ticket incident-' || (g % 20000)
           ELSE 'Which deployments in staging have fewer ready replicas than desired? incident-' || (g % 20000) END,
      (ARRAY['gpt-4o', 'claude-sonnet-4', 'qwen-max'])[1 + g % 3], (ARRAY['openai', 'anthropic', 'dashscope'])[1 + g % 3],
      'https://api.example.com/v1', (ARRAY['prod-bj', 'staging-sh'])[1 + g % 2],
      CASE WHEN g % 10 = 0 THEN '配置文件缺失导致 CrashLoopBackOff，请恢复 ConfigMap 后重启 nginx。'
           ELSE 'The pod is OOMKilled: its memory limit is 512Mi while the heap is 768Mi. Raise the limit to 1Gi, then roll the deployment.' END,
      CASE WHEN g % 20 = 0 THEN 'error' ELSE 'success' END, NULL, 800 + (g::int8 * 7919) % 4000, 700 + g % 3000, 3,
      json_build_object('inputTokens', 1500 + g % 500, 'outputTokens', 200 + g % 100), json_build_object('n', g)
    FROM (SELECT g, md5(g::text) AS h, $ts$${DATA_START}$ts$::timestamptz + g * interval '${step} seconds' AS ts FROM generate_series(0, ${n - 1}) AS g) s`);
  lap('interactions');
  await driver.exec(`
    INSERT INTO thoughts (interaction_id, org_id, created_at, ordinal, sequence_number, thought)
    SELECT i.interaction_id, i.org_id, i.created_at, k, k, 'Check the pod status and recent events first, then the container logs.'
    FROM interactions i CROSS JOIN generate_series(0, 1) AS k`);
  lap('thoughts');
  await driver.exec(`
    INSERT INTO tool_calls (interaction_id, org_id, created_at, ordinal, sequence_number, tool_name, tool_input, tool_observation, duration_ms, status, action_id)
    SELECT i.interaction_id, i.org_id, i.created_at, k, k, (ARRAY['kubectl_get', 'kubectl_describe', 'kubectl_logs'])[1 + k],
      '{"namespace":"prod","selector":"app=payments-api"}', '"payments-api-7d9f 0/1 CrashLoopBackOff 14 2h"', 40 + k * 30, 'success', NULL
    FROM interactions i CROSS JOIN generate_series(0, 2) AS k`);
  lap('tool_calls');
  await driver.exec(`
    INSERT INTO performance_metrics (interaction_id, org_id, created_at, ordinal, metric_name, duration_ms)
    SELECT i.interaction_id, i.org_id, i.created_at, k, (ARRAY['llm_first_token', 'tool_total', 'render'])[1 + k], 100 + k
    FROM interactions i CROSS JOIN generate_series(0, 2) AS k`);
  lap('performance_metrics');
  await driver.exec(`INSERT INTO record_ids (id, org_id, kind, created_at) SELECT interaction_id, org_id, 'i', created_at FROM interactions`);
  await driver.exec(`
    INSERT INTO sessions (org_id, session_id, user_id, client_ip, user_agent, first_seen, last_seen, interaction_count)
    SELECT org_id, session_id, min(user_id), min(client_ip), min(user_agent), min(created_at), max(created_at), count(*) FROM interactions GROUP BY 1, 2`);
  lap('record_ids, sessions');
  await driver.exec(`
    INSERT INTO interaction_search (interaction_id, org_id, created_at, doc)
    SELECT interaction_id, org_id, created_at, auditrail_search_doc(question, final_answer) FROM interactions`);
  lap('search documents');
  for (const d of defs) {
    // pg_indexes shows a partitioned index as 'ON ONLY parent': built that way it would cover no partition.
    await driver.exec(d.indexdef.replace(' ON ONLY ', ' ON '));
    lap(`index ${d.indexname}`);
  }
}
