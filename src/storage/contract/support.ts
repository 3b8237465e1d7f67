import { afterAll, beforeAll, expect } from 'vitest';
import { isAuditrailError, parseQuery, type AuditQueryInput, type AuditRecord, type ErrorName, type Page, type Storage } from '../../core/index.js';
import { comparableRecord, generateDataset, type Dataset } from './fixtures.js';

/** What a backend's test gives the contract suite for each fresh, empty storage. */
export interface StorageUnderTest {
  readonly storage: Storage;
  /**
   * Opens a new Storage on the same data (same directory, same database). The suite closes the
   * previous storage first. Omit it for backends without durability (memory).
   */
  readonly reopen?: () => Promise<Storage>;
  /** Removes what the storage left behind (temp directory, schema). Storages are closed by then. */
  readonly cleanup: () => Promise<void>;
}

export type OpenStorageUnderTest = () => Promise<StorageUnderTest>;

/** Runs `fn` on a fresh storage, then closes every storage it opened and cleans up. */
export async function withStorage(open: OpenStorageUnderTest, fn: (s: StorageUnderTest, track: (s: Storage) => Storage) => Promise<void>): Promise<void> {
  const sut = await open();
  const opened: Storage[] = [sut.storage];
  try {
    await fn(sut, (s) => {
      opened.push(s);
      return s;
    });
  } finally {
    for (const s of opened) await s.close();
    await sut.cleanup();
  }
}

/** Asserts that a promise rejects with the catalogue error `name`. */
export async function expectAuditrailError(promise: Promise<unknown>, name: ErrorName): Promise<void> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err, `expected a rejection with ${name}`).toBeDefined();
  if (!isAuditrailError(err, name)) throw new Error(`expected AuditrailError ${name}, got ${String(err)}`, { cause: err });
}

/** A shared storage loaded with the generated data set (several batches) for read-only cases. */
export interface LoadedStorage {
  readonly storage: Storage;
  readonly data: Dataset;
}

/** Opens one storage in beforeAll, appends the data set in batches of 37, closes it in afterAll. */
export function loadDataset(open: OpenStorageUnderTest): () => LoadedStorage {
  let loaded: LoadedStorage | undefined;
  let sut: StorageUnderTest | undefined;
  beforeAll(async () => {
    sut = await open();
    const data = generateDataset();
    for (let i = 0; i < data.records.length; i += 37) await sut.storage.append(data.records.slice(i, i + 37));
    loaded = { storage: sut.storage, data };
  });
  afterAll(async () => {
    if (!sut) return;
    await sut.storage.close();
    await sut.cleanup();
  });
  return () => {
    if (!loaded) throw new Error('data set not loaded');
    return loaded;
  };
}

export const q = (input: AuditQueryInput = {}) => parseQuery(input);

/** Walks every page of a keyset-paginated read and returns all items in order. */
export async function walkPages<T>(read: (query: ReturnType<typeof q>) => Promise<Page<T>>, input: AuditQueryInput): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | undefined;
  for (let guard = 0; guard < 10_000; guard++) {
    const page = await read(q({ ...input, ...(cursor === undefined ? {} : { cursor }) }));
    items.push(...page.items);
    expect(page.items.length).toBeLessThanOrEqual(input.limit === undefined ? 100 : Number(input.limit));
    if (page.nextCursor === null) return items;
    expect(page.items.length, 'a page with a nextCursor is full').toBe(input.limit === undefined ? 100 : Number(input.limit));
    cursor = page.nextCursor;
  }
  throw new Error('pagination did not end');
}

/** Sorts by (timestamp, id) as the query model orders, ascending or descending. */
export function ordered<T>(items: readonly T[], key: (item: T) => { t: string; id: string }, order: 'asc' | 'desc' = 'desc'): T[] {
  const dir = order === 'asc' ? 1 : -1;
  return items.slice().sort((a, b) => {
    const ka = key(a);
    const kb = key(b);
    const d = Date.parse(ka.t) - Date.parse(kb.t);
    if (d !== 0) return dir * d;
    return dir * (ka.id < kb.id ? -1 : ka.id > kb.id ? 1 : 0);
  });
}

export const evKey = (e: { timestamp: string; eventId: string }) => ({ t: e.timestamp, id: e.eventId });
export const ixKey = (i: { timestamp: string; interactionId: string }) => ({ t: i.timestamp, id: i.interactionId });

/** Records as compared: null and absent are the same for the schema's optional fields. */
export const comparable = (records: readonly AuditRecord[]) => records.map((r) => comparableRecord(r));

export const ids = (records: readonly AuditRecord[]) => records.map((r) => (r.kind === 'event' ? r.eventId : r.interactionId));
