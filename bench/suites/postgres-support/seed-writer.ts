import type pg from 'pg';
import type { Interaction } from '../../../src/core/interaction.js';

/**
 * seed 002's writer, reproduced: per interaction, SELECT EXISTS on the session, INSERT it when
 * missing, INSERT the interaction, then one INSERT per thought, tool call and metric; ten
 * interactions per transaction; one worker. Into auditrail's schema (same tables and indexes).
 */
export async function seedWrite(client: pg.Client, interactions: readonly Interaction[], perTransaction = 10): Promise<void> {
  for (let b = 0; b < interactions.length; b += perTransaction) {
    await client.query('BEGIN');
    for (const i of interactions.slice(b, b + perTransaction)) {
      const exists = await client.query('SELECT EXISTS(SELECT 1 FROM sessions WHERE org_id = $1 AND session_id = $2) AS e', [i.orgId, i.sessionId]);
      if (!(exists.rows[0] as { e: boolean }).e) {
        await client.query(
          'INSERT INTO sessions (org_id, session_id, user_id, client_ip, user_agent, first_seen, last_seen, interaction_count) VALUES ($1, $2, $3, $4, $5, $6, $6, 1)',
          [i.orgId, i.sessionId, i.userId, i.clientIp, i.userAgent, i.timestamp],
        );
      }
      await client.query(
        `INSERT INTO interactions (interaction_id, org_id, created_at, session_id, user_id, agent_id, client_ip, user_agent, question, model_name, provider,
           base_url, cluster, final_answer, status, error_message, total_duration_ms, assistant_duration_ms, parse_duration_ms, usage, metadata)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21)`,
        [
          i.interactionId, i.orgId, i.timestamp, i.sessionId, i.userId, i.agentId, i.clientIp, i.userAgent, i.question, i.model, i.provider,
          i.baseUrl, i.cluster, i.finalAnswer, i.status, i.errorMessage, i.totalDurationMs, i.assistantDurationMs, i.parseDurationMs,
          JSON.stringify(i.usage), JSON.stringify(i.metadata),
        ],
      );
      for (const [k, t] of i.thoughts.entries()) {
        await client.query('INSERT INTO thoughts (interaction_id, org_id, created_at, ordinal, sequence_number, thought) VALUES ($1, $2, $3, $4, $5, $6)', [
          i.interactionId, i.orgId, i.timestamp, k, t.sequence, t.content,
        ]);
      }
      for (const [k, c] of i.toolCalls.entries()) {
        await client.query(
          `INSERT INTO tool_calls (interaction_id, org_id, created_at, ordinal, sequence_number, tool_name, tool_input, tool_observation, duration_ms, status, action_id)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
          [i.interactionId, i.orgId, i.timestamp, k, c.sequence, c.name, JSON.stringify(c.input), JSON.stringify(c.observation), c.durationMs, c.status, c.actionId],
        );
      }
      for (const [k, m] of i.metrics.entries()) {
        await client.query('INSERT INTO performance_metrics (interaction_id, org_id, created_at, ordinal, metric_name, duration_ms) VALUES ($1, $2, $3, $4, $5, $6)', [
          i.interactionId, i.orgId, i.timestamp, k, m.name, m.durationMs,
        ]);
      }
    }
    await client.query('COMMIT');
  }
}
