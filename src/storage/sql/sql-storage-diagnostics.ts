import type { ChainDiagnostic } from './chain-writer.js';
/**
 * What the SQL storages report through `onDiagnostic` instead of throwing: retries while the
 * database is unreachable, and failures of the background upkeep (which is retried on its next
 * tick). Retention runs report here too.
 */
export type SqlStorageDiagnostic =
  | { readonly type: 'write-retry'; readonly attempt: number; readonly delayMs: number; readonly error: string }
  | { readonly type: 'read-retry'; readonly attempt: number; readonly delayMs: number; readonly error: string }
  | { readonly type: 'connection-lost'; readonly error: string }
  | { readonly type: 'maintenance-failed'; readonly error: string }
  | { readonly type: 'search-index-failed'; readonly error: string }
  | { readonly type: 'retention-day'; readonly day: string; readonly state: 'archived' | 'dropped'; readonly archivePath: string; readonly rows: number }
  | { readonly type: 'retention-failed'; readonly error: string }
  | { readonly type: 'retention-kept-back'; readonly day: string; readonly reason: string }
  | ChainDiagnostic
  | { readonly type: 'checkpoint-failed'; readonly error: string }
  | { readonly type: 'tenant-role-unavailable'; readonly error: string }
  | { readonly type: 'checkpoint-log-failed'; readonly error: string };
