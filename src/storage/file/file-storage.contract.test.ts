import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeStorageContract } from '../contract/storage-contract.js';
import { createFileStorage } from './index.js';

describeStorageContract('file', async () => {
  const directory = await mkdtemp(join(tmpdir(), 'auditrail-file-'));
  const options = { directory, maxFileBytes: 64 * 1024, fsync: 'always' as const };
  return {
    storage: await createFileStorage(options),
    reopen: () => createFileStorage(options),
    cleanup: () => rm(directory, { recursive: true, force: true }),
  };
});
