import type { Interaction } from '../../core/interaction.js';
import type { SqlExecutor } from './sql-driver.js';
import { encodeNullableText, encodeText } from './text-codec.js';

/**
 * seed-002 sessions, kept by upsert (never EXISTS-then-INSERT, which races): one row per
 * (org, session) with first/last seen, the interaction count, and the user, client IP and user
 * agent of the earliest interaction that carries them. Rows are upserted in key order so that two
 * writers lock shared sessions in the same order.
 */
const UPSERT = `INSERT INTO sessions AS s (org_id, session_id, user_id, client_ip, user_agent, first_seen, last_seen, interaction_count)
SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::timestamptz[], $7::timestamptz[], $8::bigint[])
ORDER BY 1, 2
ON CONFLICT (org_id, session_id) DO UPDATE SET
  user_id = CASE WHEN excluded.first_seen < s.first_seen THEN coalesce(excluded.user_id, s.user_id) ELSE coalesce(s.user_id, excluded.user_id) END,
  client_ip = CASE WHEN excluded.first_seen < s.first_seen THEN coalesce(excluded.client_ip, s.client_ip) ELSE coalesce(s.client_ip, excluded.client_ip) END,
  user_agent = CASE WHEN excluded.first_seen < s.first_seen THEN coalesce(excluded.user_agent, s.user_agent) ELSE coalesce(s.user_agent, excluded.user_agent) END,
  first_seen = least(s.first_seen, excluded.first_seen),
  last_seen = greatest(s.last_seen, excluded.last_seen),
  interaction_count = s.interaction_count + excluded.interaction_count`;

interface Acc {
  org: string;
  session: string;
  user: string | null;
  ip: string | null;
  agent: string | null;
  first: number;
  last: number;
  count: number;
}

export async function upsertSessions(tx: SqlExecutor, interactions: readonly Interaction[]): Promise<void> {
  // Earliest first, so that "the first non-null value" is the earliest one.
  const sorted = interactions.slice().sort((a, b) => Date.parse(a.timestamp) - Date.parse(b.timestamp) || (a.interactionId < b.interactionId ? -1 : 1));
  const byKey = new Map<string, Acc>();
  for (const i of sorted) {
    const key = `${i.orgId}\u0000${i.sessionId}`;
    const t = Date.parse(i.timestamp);
    const a = byKey.get(key);
    if (!a) {
      byKey.set(key, { org: i.orgId, session: i.sessionId, user: i.userId ?? null, ip: i.clientIp ?? null, agent: i.userAgent ?? null, first: t, last: t, count: 1 });
      continue;
    }
    a.user ??= i.userId ?? null;
    a.ip ??= i.clientIp ?? null;
    a.agent ??= i.userAgent ?? null;
    a.last = Math.max(a.last, t);
    a.count++;
  }
  const rows = [...byKey.values()];
  await tx.query(UPSERT, [
    rows.map((r) => encodeText(r.org)),
    rows.map((r) => encodeText(r.session)),
    rows.map((r) => encodeNullableText(r.user)),
    rows.map((r) => encodeNullableText(r.ip)),
    rows.map((r) => encodeNullableText(r.agent)),
    rows.map((r) => new Date(r.first).toISOString()),
    rows.map((r) => new Date(r.last).toISOString()),
    rows.map((r) => r.count),
  ]);
}
