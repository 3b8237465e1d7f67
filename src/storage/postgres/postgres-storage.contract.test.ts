import { afterAll, beforeAll } from 'vitest';
import { describeStorageContract } from '../contract/storage-contract.js';
import { createPostgresStorage } from './create-postgres-storage.js';
import { createTestDatabase, type TestDatabase } from './test-support/test-database.js';

// Each case gets a fresh database (the contract wants an empty storage each time).
const databases: TestDatabase[] = [];
beforeAll(() => undefined);
afterAll(async () => {
  for (const db of databases) await db.drop();
});

describeStorageContract('postgres', async () => {
  const db = await createTestDatabase();
  databases.push(db);
  const options = { connectionString: db.connectionString, partitionsAheadDays: 1, searchIndexIntervalMs: 0 };
  return {
    storage: await createPostgresStorage(options),
    reopen: () => createPostgresStorage(options),
    cleanup: () => db.drop(),
  };
});
