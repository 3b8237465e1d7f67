import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isAuditrailError } from '../../core/index.js';
import { makeEvent } from '../contract/fixtures.js';
import { createFileStorage } from './index.js';
import { segmentFiles, tempStores } from './test-support/temp-store.js';

describe('file storage options', () => {
  const stores = tempStores();

  it('refuses bad options with every problem listed', async () => {
    const err = await createFileStorage({
      directory: '',
      maxFileBytes: 10,
      maxFiles: -1,
      fsync: 'sometimes' as 'always',
      fsyncIntervalMs: 0,
      onDiagnostic: 'log' as unknown as () => void,
      extra: true,
    } as never).catch((e: unknown) => e);
    expect(isAuditrailError(err, 'OPTIONS_INVALID')).toBe(true);
    if (!isAuditrailError(err)) return;
    const paths = err.issues.map((i) => i.path).sort();
    expect(paths).toEqual(['(root)', 'directory', 'fsync', 'fsyncIntervalMs', 'maxFileBytes', 'maxFiles', 'onDiagnostic']);
    expect(err.message).toContain('file storage');
  });

  it('creates the directory, with its parents, when it is missing', async () => {
    const directory = join(await stores.dir(), 'a', 'b', 'audit');
    const { storage } = await stores.open({ directory });
    await storage.append([makeEvent()]);
    expect((await stat(directory)).isDirectory()).toBe(true);
    expect(await segmentFiles(directory)).toEqual(['segment-0000000001.jsonl']);
  });

  it('defaults to fsync always, 64 MiB segments and no retention', async () => {
    const { storage } = await stores.open({ directory: await stores.dir() });
    expect(storage.name).toBe('file');
    expect(storage.stats()).toMatchObject({ segments: 1, bytes: 0, records: 0, removedSegments: 0 });
  });

  it('refuses a second storage on a directory in use, and allows it after close', async () => {
    const directory = await stores.dir();
    const first = await createFileStorage({ directory });
    const err = await createFileStorage({ directory }).catch((e: unknown) => e);
    expect(isAuditrailError(err, 'STORAGE_UNAVAILABLE')).toBe(true);
    expect(String(err)).toContain('in use');
    await first.close();
    const { storage } = await stores.open({ directory });
    expect(storage.stats().segments).toBe(1);
  });

  it('takes over the lock left by a process that no longer runs', async () => {
    const directory = await stores.dir();
    const { writeFile } = await import('node:fs/promises');
    await writeFile(join(directory, 'LOCK'), '999999999');
    const { storage } = await stores.open({ directory });
    await storage.append([makeEvent()]);
    expect(storage.stats().records).toBe(1);
  });
});
