import { describe } from 'vitest';
import { analyticsCases } from './analytics-cases.js';
import { appendCases } from './append-cases.js';
import { eventQueryCases } from './event-query-cases.js';
import { interactionQueryCases } from './interaction-query-cases.js';
import { lifecycleCases } from './lifecycle-cases.js';
import { paginationCases } from './pagination-cases.js';
import { sessionCases } from './session-cases.js';
import { loadDataset, type OpenStorageUnderTest } from './support.js';

export type { OpenStorageUnderTest, StorageUnderTest } from './support.js';

/**
 * The storage contract: one suite every backend runs (the hono `common.case.test.ts` pattern).
 * A backend's test file is a few lines:
 *
 * ```ts
 * describeStorageContract('file', async () => {
 *   const dir = await mkdtemp(join(tmpdir(), 'auditrail-'));
 *   const options = { directory: dir };
 *   return {
 *     storage: await createFileStorage(options),
 *     reopen: () => createFileStorage(options),
 *     cleanup: () => rm(dir, { recursive: true, force: true }),
 *   };
 * });
 * ```
 *
 * `open` must return a fresh, empty storage each time (it is called once per mutating case and
 * once for the shared, read-only data set). The suite closes every storage it got (close() must be
 * idempotent) before calling `cleanup`. `reopen`, when given, must open a new Storage on the same
 * data; the suite closes the previous one first.
 */
export function describeStorageContract(name: string, open: OpenStorageUnderTest): void {
  describe(`storage contract: ${name}`, () => {
    appendCases(open);
    lifecycleCases(open);
    describe('queries over a generated data set', () => {
      const loaded = loadDataset(open);
      eventQueryCases(loaded);
      interactionQueryCases(loaded);
      paginationCases(loaded, open);
      sessionCases(loaded, open);
      analyticsCases(loaded, open);
    });
  });
}
