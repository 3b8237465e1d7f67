import { describe, expect, it } from 'vitest';
import { AuditrailError, createMemoryStorage, parseRecordOrThrow, uuidv7, type Storage } from '../core/index.js';
import { createStorageExporter, isTransientStorageError } from './storage-exporter.js';

const record = () =>
  parseRecordOrThrow({ kind: 'event', eventId: uuidv7(), eventType: 'action_started', timestamp: new Date().toISOString(), orgId: 'o', userId: 'u', agentId: 'a', sessionId: 's', actionId: 'x', actionName: 'n' });

const failingWith = (err: unknown): Storage => {
  const inner = createMemoryStorage();
  // A storage whose append fails with `err`, thrown as is (a backend may throw anything).
  return new Proxy(inner, { get: (t, k) => (k === 'append' ? async () => { throw err; } : Reflect.get(t, k, t) as unknown) });
};
const errno = (code: string) => Object.assign(new Error(code), { code });

describe('storage exporter', () => {
  it('answers success when the append resolves, duplicates included', async () => {
    const storage = createMemoryStorage();
    const exporter = createStorageExporter(storage);
    const r = record();
    expect(await exporter.export([r])).toEqual({ code: 'success' });
    expect(await exporter.export([r])).toEqual({ code: 'success' });
    expect(await storage.countEvents({ limit: 10, order: 'desc' })).toBe(1);
  });

  it('answers failure for a closed storage, and does not close a storage it does not own', async () => {
    const storage = createMemoryStorage();
    await createStorageExporter(storage).shutdown();
    expect(await storage.countEvents({ limit: 10, order: 'desc' })).toBe(0);
    await createStorageExporter(storage, { closeOnShutdown: true }).shutdown();
    const r = await createStorageExporter(storage).export([record()]);
    expect(r).toMatchObject({ code: 'failure', error: { code: 'AUDITRAIL_ERR_STORAGE_CLOSED' } });
  });

  it.each([
    ['STORAGE_UNAVAILABLE', new AuditrailError('STORAGE_UNAVAILABLE'), 'retryable'],
    ['STORAGE_FULL', new AuditrailError('STORAGE_FULL'), 'retryable'],
    ['ECONNRESET', errno('ECONNRESET'), 'retryable'],
    ['PostgreSQL 08006', errno('08006'), 'retryable'],
    ['PostgreSQL 40001', errno('40001'), 'retryable'],
    ['RECORD_INVALID', new AuditrailError('RECORD_INVALID'), 'failure'],
    ['a plain Error', new Error('bug'), 'failure'],
    ['a thrown string', 'nope', 'failure'],
  ])('maps %s to %s', async (_name, err, code) => {
    expect(isTransientStorageError(err)).toBe(code === 'retryable');
    expect(await createStorageExporter(failingWith(err)).export([record()])).toMatchObject({ code });
  });
});
