/** The embedded storage (PGlite). Import from here, not from a storage barrel. */
export { createPgliteStorage, type PgliteStorage } from './create-pglite-storage.js';
export type { PgliteStorageOptions, ResolvedPgliteStorageOptions } from './options.js';
export type { SqlStorageDiagnostic } from '../sql/sql-storage-diagnostics.js';
export type { RetentionReport, RetentionDayReport } from '../sql/retention-run.js';
