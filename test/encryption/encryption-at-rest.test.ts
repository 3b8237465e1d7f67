import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAuditrailError } from '../../src/core/errors.js';
import type { Interaction } from '../../src/core/interaction.js';
import { normalizeRecord } from '../../src/core/normalize.js';
import { parseQuery } from '../../src/core/query.js';
import type { AuditRecord } from '../../src/core/record.js';
import type { Storage } from '../../src/core/storage.js';
import { ENCRYPTABLE_FIELDS, createEncryptingStorage, createFieldEncryption, createSqlKeyStore, isEnvelope, parseMasterKey, type FieldEncryption } from '../../src/encryption/index.js';
import { event, interaction } from '../../src/encryption/test-support/records.js';
import { appendToOrgChain, createSigningKeyring, cutCheckpoint, generateSigningKey, startOrgChain, verifyChain, type Checkpoint, type ChainEntry } from '../../src/integrity/index.js';
import { createPostgresStorage, type PostgresStorage } from '../../src/storage/postgres/create-postgres-storage.js';
import { createTestDatabase, type TestDatabase } from '../../src/storage/postgres/test-support/test-database.js';

// Encryption at rest end to end on a real PostgreSQL: the rows hold only ciphertext, reads give
// the records back, and the integrity chain over the stored (encrypted) rows verifies without
// any key, before and after a data key is destroyed; a changed ciphertext is named by both.

const ORG = 'org_acme';
const masterKey = parseMasterKey(Buffer.alloc(32, 42).toString('base64'));
let db: TestDatabase;
let pg: PostgresStorage;
let encryption: FieldEncryption;
let storage: Storage;

beforeAll(async () => {
  db = await createTestDatabase('auditrail_enc_e2e');
  pg = await createPostgresStorage({ connectionString: db.connectionString, partitionsAheadDays: 1, searchIndexIntervalMs: 0 });
  encryption = createFieldEncryption({ masterKey, keyStore: createSqlKeyStore(pg.driver), fields: [...ENCRYPTABLE_FIELDS] });
  storage = createEncryptingStorage(pg, encryption);
});

afterAll(async () => {
  await pg?.close();
  await db?.drop();
});

const written: AuditRecord[] = [];
const byTime = (a: AuditRecord, b: AuditRecord) => a.timestamp.localeCompare(b.timestamp);

/** The stored form of the org's records, as verify reads them: no decryption. */
async function storedRecords(): Promise<AuditRecord[]> {
  const q = parseQuery({ orgId: ORG, order: 'asc', limit: 1000 });
  return [...(await pg.queryEvents(q)).items, ...(await pg.queryInteractions(q)).items].sort(byTime);
}

describe('encryption at rest on PostgreSQL', () => {
  it('stores only ciphertext in the encrypted columns, and reads the records back exactly', async () => {
    const records: AuditRecord[] = [
      interaction({ timestamp: '2026-11-22T06:01:00.000Z', errorMessage: 'crash 💥' }),
      event({ timestamp: '2026-11-22T06:01:01.000Z' }),
      interaction({ timestamp: '2026-11-22T06:01:02.000Z', question: 'lone \udc00 surrogate, NUL \u0000' }),
    ];
    expect(await storage.append(records)).toMatchObject({ accepted: 3 });
    written.push(...records.map(normalizeRecord));
    const rows = await pg.driver.query<{ question: string; final_answer: string; error_message: string; metadata: unknown }>(
      'SELECT question, final_answer, error_message, metadata FROM interactions WHERE org_id = $1',
      [ORG],
    );
    for (const r of rows) {
      expect([isEnvelope(r.question), isEnvelope(r.final_answer)]).toEqual([true, true]);
      expect(JSON.stringify(r.metadata)).toMatch(/^\{"\$encrypted":"enc:v1:1:/);
    }
    const children = await pg.driver.query<{ t: string }>("SELECT thought AS t FROM thoughts UNION ALL SELECT tool_input::text FROM tool_calls UNION ALL SELECT action_params::text FROM events");
    expect(children.length).toBeGreaterThan(0);
    for (const c of children) expect(c.t).toMatch(/enc:v1:1:/);
    const everything = JSON.stringify(await pg.driver.query('SELECT * FROM interactions')) + JSON.stringify(await pg.driver.query('SELECT * FROM thoughts'));
    expect(everything).not.toContain('nginx 一直重启');
    expect(everything).not.toContain('先看 Pod 状态');
    const q = parseQuery({ orgId: ORG, order: 'asc' });
    const back = [...(await storage.queryEvents(q)).items, ...(await storage.queryInteractions(q)).items].sort(byTime);
    expect(back).toEqual(written);
    expect(await storage.getInteraction((records[2] as Interaction).interactionId, ORG)).toEqual(written[2]);
  });

  it('keeps the data keys wrapped in encryption_keys (migration 0200), never in clear', async () => {
    const rows = await pg.driver.query<{ org_id: string; version: number; kek_id: string; wrapped_key: string }>('SELECT org_id, version, kek_id, wrapped_key FROM encryption_keys');
    expect(rows.map((r) => [r.org_id, r.version, r.kek_id])).toEqual([[ORG, 1, masterKey.id]]);
    expect(rows[0]!.wrapped_key).toMatch(/^[A-Za-z0-9_-]{80}$/);
  });

  it('refuses full-text search over the encrypted questions', async () => {
    await expect(storage.queryInteractions(parseQuery({ orgId: ORG, search: 'nginx' }))).rejects.toMatchObject({ code: 'AUDITRAIL_ERR_SEARCH_UNAVAILABLE' });
  });

  it('chains and verifies the stored ciphertext without keys, also after the data key is destroyed', async () => {
    await encryption.rotateDataKey(ORG);
    const later = interaction({ timestamp: '2026-11-22T06:01:03.000Z' });
    await storage.append([later]);
    written.push(normalizeRecord(later));
    const stored = await storedRecords();
    expect(stored.map((r) => (r.kind === 'interaction' ? r.question.slice(0, 9) : 'event'))).toEqual(['enc:v1:1:', 'event', 'enc:v1:1:', 'enc:v1:2:']);
    const signing = generateSigningKey();
    const keyring = createSigningKeyring({ privateKeys: [signing.privateKeyPem] });
    const appended = appendToOrgChain(startOrgChain(ORG), stored, Date.UTC(2026, 10, 22, 6, 2));
    const cut = cutCheckpoint(appended.state, keyring, Date.UTC(2026, 10, 22, 6, 2));
    const checkpoints: Checkpoint[] = [cut.checkpoint];
    const verify = async (records: AuditRecord[], entries: readonly ChainEntry[]) =>
      verifyChain({ orgId: ORG, publicKeys: keyring, checkpoints, records: records.map((record, i) => ({ seq: entries[i]!.seq, hash: entries[i]!.hash, record })) });
    expect((await verify(stored, appended.entries)).ok).toBe(true);

    expect(await encryption.destroyDataKey(ORG, 1)).toBe(true);
    const err = await storage.getInteraction((written[0] as Interaction).interactionId, ORG).catch((e: unknown) => e);
    expect(isAuditrailError(err, 'ENCRYPTION_KEY_UNAVAILABLE')).toBe(true);
    expect((await storage.getInteraction(later.interactionId, ORG))!.question).toBe(later.question);
    const afterDestroy = await storedRecords();
    expect(afterDestroy).toEqual(stored);
    expect((await verify(afterDestroy, appended.entries)).ok).toBe(true);

    // a changed ciphertext: the chain names the record, decryption names record and field
    const target = later.interactionId;
    await pg.driver.query(
      "UPDATE thoughts SET thought = overlay(thought PLACING CASE WHEN substr(thought, 40, 1) = 'A' THEN 'B' ELSE 'A' END FROM 40 FOR 1) WHERE interaction_id = $1 AND ordinal = 1",
      [target],
    );
    const report = await verify(await storedRecords(), appended.entries);
    expect(report.ok).toBe(false);
    expect(report.findings).toContainEqual(expect.objectContaining({ kind: 'record-altered', seq: 4, recordId: target }));
    const failed = await storage.getInteraction(target, ORG).catch((e: unknown) => e);
    expect(isAuditrailError(failed, 'DECRYPT_FAILED')).toBe(true);
    expect((failed as Error).message).toContain(`interaction ${target}, field thoughts.1.content (key version 2)`);
  });
});
