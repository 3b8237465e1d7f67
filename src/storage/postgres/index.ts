/** The PostgreSQL storage. Import from here, not from a storage barrel. */
export { createPostgresStorage, migratePostgres, type PostgresStorage } from './create-postgres-storage.js';
export type { PostgresStorageOptions, ResolvedPostgresStorageOptions } from './options.js';
export type { SqlStorageDiagnostic } from '../sql/sql-storage-diagnostics.js';
export type { RetentionReport, RetentionDayReport } from '../sql/retention-run.js';
export type { MigrateResult } from '../sql/migrate.js';
