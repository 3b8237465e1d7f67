import { describeStorageContract } from '../contract/storage-contract.js';
import { createPgliteStorage } from './create-pglite-storage.js';
import { createPgliteTestDir } from './test-support/pglite-test-dir.js';

describeStorageContract('pglite (worker thread)', async () => {
  const { dataDir, cleanup } = await createPgliteTestDir();
  const options = { dataDir, partitionsAheadDays: 0, searchIndexIntervalMs: 0 };
  return {
    storage: await createPgliteStorage(options),
    reopen: () => createPgliteStorage(options),
    cleanup,
  };
});
