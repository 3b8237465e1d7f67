import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseQuery } from '../../core/query.js';
import { parseAnalyticsQuery } from '../../core/analytics.js';
import { FIXTURE_START_MS, makeEvent, makeInteraction } from '../contract/fixtures.js';
import { createPostgresStorage, type PostgresStorage } from './create-postgres-storage.js';
import { createTestDatabase, type TestDatabase } from './test-support/test-database.js';
import { TENANT_ROLE_SQL, tenantRoleName } from '../sql/tenant-role.js';

let db: TestDatabase;
let s: PostgresStorage;
const at = (k: number) => new Date(FIXTURE_START_MS + k * 1000).toISOString();
const a = [makeInteraction({ orgId: 'rls_a', sessionId: 'shared', question: 'secret of a', timestamp: at(1) }), makeEvent({ orgId: 'rls_a', sessionId: 'shared', timestamp: at(2) })];
const b = [makeInteraction({ orgId: 'rls_b', sessionId: 'shared', question: 'secret of b', timestamp: at(3) }), makeEvent({ orgId: 'rls_b', sessionId: 'shared', timestamp: at(4) })];

beforeAll(async () => {
  db = await createTestDatabase();
  s = await createPostgresStorage({ connectionString: db.connectionString, searchIndexIntervalMs: 0, partitionsAheadDays: 0 });
  await s.append([...a, ...b]);
  await s.flushSearchIndex();
});
afterAll(async () => {
  await s.close();
  await db.drop();
});

describe('row-level security (migration 0400)', () => {
  it('is in force for the connecting user, with a reader role of this database only', async () => {
    expect(s.rowLevelSecurity).toBe(true);
    const [r] = await s.driver.query<{ role: string }>(`SELECT ${TENANT_ROLE_SQL} AS role`);
    expect(r!.role).toBe(tenantRoleName(db.name));
    const grants = await s.driver.query<{ n: string }>(`SELECT count(*)::text AS n FROM pg_roles WHERE rolname = $1`, [tenantRoleName(db.name)]);
    expect(grants[0]!.n).toBe('1');
  });

  it("returns only the view's org, even when the caller asks for another org or none (a handler bug)", async () => {
    const viewA = s.forOrg('rls_a');
    // the query filter names org b, or nothing: the database still answers for org a only
    expect((await viewA.queryInteractions(parseQuery({ orgId: 'rls_b' }))).items).toEqual([]);
    expect((await viewA.queryInteractions(parseQuery({}))).items.map((i) => i.question)).toEqual(['secret of a']);
    expect((await viewA.queryEvents(parseQuery({}))).items.map((e) => e.orgId)).toEqual(['rls_a']);
    expect(await viewA.countEvents(parseQuery({}))).toBe(1);
    expect(await viewA.countInteractions(parseQuery({ search: 'secret' }))).toBe(1);
    expect(await viewA.getInteraction(b[0]!.kind === 'interaction' ? b[0]!.interactionId : '')).toBeUndefined();
    expect(await viewA.getEvent(b[1]!.kind === 'event' ? b[1]!.eventId : '')).toBeUndefined();
    const sessions = await viewA.querySessions(parseQuery({}));
    expect(sessions.items.map((x) => [x.orgId, x.sessionId])).toEqual([['rls_a', 'shared']]);
    const rows = await viewA.analytics(parseAnalyticsQuery({ from: new Date(FIXTURE_START_MS - 3_600_000).toISOString(), to: new Date(FIXTURE_START_MS + 3_600_000).toISOString() }));
    expect(rows.reduce((n, r) => n + r.count, 0)).toBe(1);
    // the owner (the writer) still sees both
    expect(await s.countInteractions(parseQuery({}))).toBe(2);
  });

  it('denies the reader role every other org in plain SQL', async () => {
    const seen = await s.driver.transaction(async (tx) => {
      await tx.query(`SELECT set_config('role', ${TENANT_ROLE_SQL}, true), set_config('auditrail.org_id', 'rls_b', true)`);
      const rows = await tx.query<{ org_id: string }>('SELECT org_id FROM interactions UNION ALL SELECT org_id FROM events UNION ALL SELECT org_id FROM sessions UNION ALL SELECT org_id FROM tool_calls');
      const write = await tx.query(`INSERT INTO chain_heads (org_id, seq, hash) VALUES ('x', 1, '\\x00')`).then(
        () => 'written',
        (err: Error) => err.message,
      );
      return { orgs: [...new Set(rows.map((r) => r.org_id))], write };
    });
    expect(seen.orgs).toEqual(['rls_b']);
    expect(seen.write).toMatch(/permission denied/);
  });

  it('answers nothing to the reader role without an org set', async () => {
    const n = await s.driver.transaction(async (tx) => {
      await tx.query(`SELECT set_config('role', ${TENANT_ROLE_SQL}, true)`);
      return (await tx.query<{ n: string }>('SELECT count(*)::text AS n FROM events'))[0]!.n;
    });
    expect(n).toBe('0');
  });
});
